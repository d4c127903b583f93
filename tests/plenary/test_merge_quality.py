"""The plenary merge scored on the labelled evaluation set (bench/merge_quality.py), with thresholds.

The scores are printed (pytest -s shows them); docs/merge.md records them before and after.
"""

from __future__ import annotations

import itertools

import pytest

from bench import label_quality, merge_quality
from bench.merge_quality import (
    HELD_OUT_SET,
    HELD_OUT_SET_2,
    Labelled,
    Merged,
    Scores,
    by_question,
    load_eval_set,
    merge_two_levels,
    score,
)

# Targets of the merge: points that can be trusted, no headline point holding both sides.
POINTS_PRECISION_MIN = 0.9
# Themes: most answers on a theme land in it (the target), without gathering unrelated ones.
THEMES_RECALL_MIN = 0.8
# Floors just under what the merge reaches on the set, so a change that loses ground fails.
POINTS_RECALL_MIN = 0.3
THEMES_PRECISION_MIN = 0.8
THEME_COVERAGE_MIN = 0.85
# The held-out set (two Polis conversations the merge was not tuned on). Its points hold few
# pairs (7), so one pair moves precision by about 0.1: the floor is what the merge reaches, the
# target of 0.9 is not met there (docs/merge.md, Measured). Its themes are reported, with floors
# just under what they reach: the subject lists name little of electoral reform and tax.
HELD_OUT_POINTS_PRECISION_MIN = 0.7
HELD_OUT_THEMES_RECALL_MIN = 0.3
HELD_OUT_THEME_COVERAGE_MIN = 0.5
# The second held-out set (three more Polis conversations, labelled before the merge was changed
# for the first). Its points hold two pairs, both right: the target is the floor, so any wrong pair
# fails. Its themes, like the first set's, are near what pairs drawn at random would give
# (docs/merge.md): floors just under what they reach.
HELD_OUT_2_POINTS_PRECISION_MIN = 0.9
HELD_OUT_2_THEMES_RECALL_MIN = 0.3
HELD_OUT_2_THEMES_PRECISION_MIN = 0.15
HELD_OUT_2_THEME_COVERAGE_MIN = 0.5


@pytest.fixture(scope="module")
def labelled() -> list[Labelled]:
    return load_eval_set()


@pytest.fixture(scope="module")
def scores(labelled: list[Labelled]) -> Scores:
    result = score(labelled, merge_two_levels)
    print("\n".join(["", "merge quality on the evaluation set:", *result.lines()]))
    return result


@pytest.fixture(scope="module")
def held_out() -> list[Labelled]:
    return load_eval_set(HELD_OUT_SET)


@pytest.fixture(scope="module")
def held_out_scores(held_out: list[Labelled]) -> Scores:
    result = score(held_out, merge_two_levels)
    print("\n".join(["", "merge quality on the held-out set:", *result.lines()]))
    return result


@pytest.fixture(scope="module")
def held_out_2() -> list[Labelled]:
    return load_eval_set(HELD_OUT_SET_2)


@pytest.fixture(scope="module")
def held_out_2_scores(held_out_2: list[Labelled]) -> Scores:
    result = score(held_out_2, merge_two_levels)
    print("\n".join(["", "merge quality on the second held-out set:", *result.lines()]))
    return result


def test_the_evaluation_set_covers_three_languages_and_the_known_failure_cases(labelled: list[Labelled]) -> None:
    languages = {item.lang for item in labelled}
    texts = " ".join(item.text for item in labelled)

    assert languages == {"en", "de", "bn"}
    assert len({item.key for item in labelled}) == len(labelled)
    for template in ("I identify as", "should be a top priority", "affordable and accessible", "möglich"):
        assert texts.count(template) >= 3, template
    for negation in ("nicht", "kein", "না", "নয়"):
        assert negation in texts, negation
    opposite = [(a, b) for a, b in itertools.combinations(labelled, 2) if a.question == b.question and a.opposite(b)]
    assert len({a.lang for a, _ in opposite}) == 3
    themes_with_many_points = [
        theme
        for theme in {item.theme for item in labelled if item.theme}
        if len({item.point for item in labelled if item.theme == theme}) >= 5
    ]
    assert themes_with_many_points


def test_points_are_precise_and_never_hold_both_sides(scores: Scores) -> None:
    assert scores.points_precision >= POINTS_PRECISION_MIN
    assert scores.opposite_pairs == 0
    assert scores.opposite_in_headlines == 0
    assert scores.points_recall >= POINTS_RECALL_MIN


def test_themes_gather_most_answers_on_a_theme_and_little_else(scores: Scores) -> None:
    assert scores.themes_recall >= THEMES_RECALL_MIN
    assert scores.themes_precision >= THEMES_PRECISION_MIN
    assert scores.theme_coverage >= THEME_COVERAGE_MIN
    assert scores.themes_recall > scores.points_recall * 0.5


def test_the_scorer_counts_pairs_as_labelled() -> None:
    def item(key: str, theme: str, point: str, stance: str = "") -> Labelled:
        return Labelled(key, "q", "en", "r1", theme, point, stance, key)

    items = [
        item("a", "t", "p", "+"),
        item("b", "t", "p", "+"),
        item("c", "t", "p", "-"),
        item("d", "t", "q"),
        item("e", "", ""),
    ]

    def merge(_: object) -> Merged:
        return Merged(points=[("a", "b", "c"), ("d",), ("e",)], themes=[("a", "b", "c", "d"), ("e",)])

    result = merge_quality.score(items, merge)

    # Points: pairs ab, ac, bc; only ab is the same point; ac and bc are opposite.
    assert result.points_precision == pytest.approx(1 / 3)
    assert result.points_recall == 1.0
    assert result.opposite_pairs == 2
    assert result.opposite_in_headlines == 2
    # Themes: six pairs inside the computed theme, all the same labelled theme (e is unthemed).
    assert result.themes_precision == 1.0
    assert result.themes_recall == 1.0
    assert result.theme_coverage == 1.0


def test_the_held_out_set_is_polis_text_with_the_failure_cases_it_was_built_for(held_out: list[Labelled]) -> None:
    texts = [item.text for item in held_out]

    assert 150 <= len(held_out) <= 250
    assert len({item.key for item in held_out}) == len(held_out)
    assert set(by_question(held_out)) == {"ca-reform", "nz-tax"}
    assert sum(text.startswith("My household") and "per year" in text for text in texts) == 4
    assert any("underrepresented" in text for text in texts) and any("overrepresented" in text for text in texts)
    assert any("pleased with the current electoral system" in text for text in texts)
    assert sum(1 for a, b in itertools.combinations(held_out, 2) if a.question == b.question and a.same_point(b)) == 57
    assert sum(1 for a, b in itertools.combinations(held_out, 2) if a.question == b.question and a.opposite(b)) == 33


def test_held_out_points_are_precise_and_never_hold_both_sides(held_out_scores: Scores) -> None:
    assert held_out_scores.points_precision >= HELD_OUT_POINTS_PRECISION_MIN
    assert held_out_scores.opposite_pairs == 0
    assert held_out_scores.opposite_in_headlines == 0


def test_held_out_themes_are_reported_with_floors(held_out_scores: Scores) -> None:
    assert held_out_scores.themes_recall >= HELD_OUT_THEMES_RECALL_MIN
    assert held_out_scores.theme_coverage >= HELD_OUT_THEME_COVERAGE_MIN


def test_the_second_held_out_set_is_polis_text_of_three_other_conversations(held_out_2: list[Labelled]) -> None:
    texts = [item.text for item in held_out_2]

    assert 150 <= len(held_out_2) <= 250
    assert len({item.key for item in held_out_2}) == len(held_out_2)
    assert set(by_question(held_out_2)) == {"nz-housing", "ldn-policing", "nz-ubi"}
    assert not set(by_question(held_out_2)) & set(by_question(load_eval_set(HELD_OUT_SET)))
    assert sum(text.startswith("My household income") for text in texts) == 4
    assert sum(text.startswith("My ethnicity is") for text in texts) == 5
    same_point = [
        (a, b) for a, b in itertools.combinations(held_out_2, 2) if a.question == b.question and a.same_point(b)
    ]
    opposite = [(a, b) for a, b in itertools.combinations(held_out_2, 2) if a.question == b.question and a.opposite(b)]
    assert (len(same_point), len(opposite)) == (40, 9)


def test_second_held_out_points_are_precise_and_never_hold_both_sides(held_out_2_scores: Scores) -> None:
    assert held_out_2_scores.points_precision >= HELD_OUT_2_POINTS_PRECISION_MIN
    assert held_out_2_scores.opposite_pairs == 0
    assert held_out_2_scores.opposite_in_headlines == 0


def test_second_held_out_themes_are_reported_with_floors(held_out_2_scores: Scores) -> None:
    assert held_out_2_scores.themes_recall >= HELD_OUT_2_THEMES_RECALL_MIN
    assert held_out_2_scores.themes_precision >= HELD_OUT_2_THEMES_PRECISION_MIN
    assert held_out_2_scores.theme_coverage >= HELD_OUT_2_THEME_COVERAGE_MIN


# Names: none boilerplate only, loose at an edge, a member's text or shouted, on any set; their
# coverage (the share of a group's answers holding a name's words) with floors just under what
# the names reach (bench/label_quality.py, docs/merge.md).
NAMES_COVERAGE_MIN = {"tuning": 0.75, "held-out": 0.68, "held-out-2": 0.65}


@pytest.mark.parametrize("set_name", sorted(NAMES_COVERAGE_MIN))
def test_names_say_what_a_group_is_about(set_name: str) -> None:
    names = label_quality.names_of(load_eval_set(merge_quality.EVAL_SETS[set_name]))
    result = label_quality.check(names)
    print("\n".join(["", f"names on the {set_name} set:", *result.lines()]))

    assert result.labels > 15
    assert (result.boilerplate, result.loose_edge, result.member_text, result.shouted) == (0, 0, 0, 0)
    assert result.coverage >= NAMES_COVERAGE_MIN[set_name]


def test_the_label_check_finds_the_failures_it_counts() -> None:
    texts = ("I consider myself middle class.", "I consider myself working class.")
    names = [
        label_quality.Named("point", "Consider myself", texts),
        label_quality.Named("point", "Myself middle class", texts),
        label_quality.Named("point", "I consider myself middle class.", texts),
        label_quality.Named("point", "MIDDLE CLASS", texts),
        label_quality.Named("point", "Class", texts),
    ]

    result = label_quality.check(names)

    assert (result.boilerplate, result.loose_edge, result.member_text, result.shouted) == (1, 3, 1, 1)
    # "Class" is held by both answers, "middle class" by one; "Consider myself" holds no subject.
    assert result.minority == 1
    assert result.coverage == pytest.approx((0 + 0.5 + 0.5 + 0.5 + 1) / 5)
