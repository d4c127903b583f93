"""Names of groups and themes start and end on content words, in every language with word lists."""

from __future__ import annotations

from collections import Counter

import pytest

from app.plenary.grouping import GroupingItem, group_items, keyphrase
from app.plenary.language import function_words, normalise
from bench.merge_quality import by_question, grouping_items, load_eval_set


def _edges(label: str) -> tuple[str, str]:
    words = normalise(label).split()
    return words[0], words[-1]


@pytest.mark.parametrize(
    ("members", "others", "expected"),
    [
        (
            ["Close the legal gap", "Close the legal gaps", "close the legal gap!"],
            ["Train prosecutors", "More money for the coast guard"],
            "Close the legal gap",
        ),
        (
            # "gap" and "gaps" are one word to a name: not "Close the legal", nor "Close".
            ["Close the legal gap", "Close the legal gaps"],
            ["Train prosecutors"],
            "Close the legal gap",
        ),
        (
            [
                "Protect the migrants who testify against smugglers",
                "Migrants who testify against smugglers need protection",
            ],
            ["Train prosecutors", "More money for border police", "Protect the borders"],
            "Testify against smugglers",
        ),
        (
            ["Ein Gesetz gegen Schleuser", "Das Gesetz gegen Schleuser jetzt beschließen"],
            ["Mehr Geld für die Polizei", "Grenzen schützen"],
            "Gesetz gegen Schleuser",
        ),
    ],
)
def test_a_name_never_stops_on_a_function_word_or_inside_a_phrase(
    members: list[str], others: list[str], expected: str
) -> None:
    assert keyphrase(members, others) == expected


@pytest.mark.parametrize(
    ("members", "expected"),
    [
        # Capitals first among the members read: the phrase as another member writes it.
        (
            ["CREATE A SPECIALISED PROSECUTION UNIT", "Create a specialised prosecution unit"],
            "Specialised prosecution unit",
        ),
        # Everyone shouting: the phrase in ordinary case.
        (["SPECIALISED PROSECUTION UNIT NOW", "A SPECIALISED PROSECUTION UNIT"], "Specialised prosecution unit"),
        # An acronym is a name, not shouting.
        (["More money for UNICEF", "Give UNICEF more money"], "Money for UNICEF"),
    ],
)
def test_a_name_is_never_shouted(members: list[str], expected: str) -> None:
    assert keyphrase(members, ["Train prosecutors", "Protect the borders"]) == expected


def test_function_words_cover_the_three_languages() -> None:
    for word in ("against", "the", "gegen", "der", "বিরুদ্ধে", "এবং"):
        assert normalise(word) in function_words(), word


def test_no_name_of_the_evaluation_set_starts_or_ends_on_a_function_word() -> None:
    function = function_words()
    names: set[str] = set()
    for items in by_question(load_eval_set()).values():
        groups = group_items(grouping_items(items))
        points_per_theme = Counter(group.theme for group in groups)
        for group in groups:
            # A single answer keeps its own text as its name; keyphrases name the rest.
            if len(group.keys) > 1:
                names.add(group.label)
            if points_per_theme[group.theme] > 1:
                names.add(group.theme_label)
    assert len(names) > 20
    for name in names:
        first, last = _edges(name)
        assert first not in function, name
        assert last not in function, name


def test_a_theme_of_several_points_is_named_by_a_keyphrase() -> None:
    texts = ["More doctors at the hospital", "More doctors at the hospital!", "Hospital beds for the county", "Buses"]
    items = [GroupingItem(key=f"k{n}", room_id=f"r{n}", text=text) for n, text in enumerate(texts)]
    labels = {group.theme_label for group in group_items(items) if "k0" in group.keys}
    (label,) = labels
    assert _edges(label)[1] not in function_words()


# Answers named against, for the cases below.
STREET_ANSWERS = [
    "Fewer empty shops on the high street",
    "High hedges",
    "Speed cameras near schools",
    "Speed bumps",
    "Cheaper rail fares",
    "Rail museum",
    "Longer library hours",
    "Trees along the canal",
]


@pytest.mark.parametrize(
    ("members", "expected"),
    [
        # "I consider myself …", "I … myself": the formula says who is speaking, not about what.
        (
            ["I consider myself a keen cyclist", "I consider myself a cyclist who commutes daily"],
            "Cyclist",
        ),
        (["I educate myself on local candidates", "I often educate myself about local candidates"], "Local candidates"),
        # "one" is a pronoun, "five" a number: neither starts a name.
        (
            ["Reform it to one less open to gerrymandering", "We need one less open to gerrymandering"],
            "Less open to gerrymandering",
        ),
        (["Five more buses on the night route", "Five buses for the night route"], "Night route"),
    ],
)
def test_a_name_is_never_a_formula_a_pronoun_or_a_number(members: list[str], expected: str) -> None:
    assert keyphrase(members, STREET_ANSWERS) == expected


def test_a_name_never_runs_on_into_a_verb_that_frames_the_claim() -> None:
    # Not "County to improve mobility": a name may open on the framing verb, not run into it.
    members = ["Roads across the county to improve mobility", "Widen roads in the county to improve mobility"]

    assert keyphrase(members, STREET_ANSWERS) == "Improve mobility"


def test_a_name_starts_on_what_the_members_share_not_on_what_one_of_them_lists() -> None:
    # Each answer names four cities of its own; what both say is "high speed rail" (words other
    # answers use too, so each weighs less in the group than a city named once).
    members = [
        "High speed rail connecting Leeds, York, Hull and Whitby",
        "High speed rail to Leeds, Carlisle, Preston and Durham",
    ]

    assert keyphrase(members, STREET_ANSWERS) == "High speed rail"


@pytest.mark.parametrize(
    ("members", "expected"),
    [
        (["Più piste ciclabili per la città di Bologna", "Piste ciclabili per la città"], "Piste ciclabili"),
        (["Mais ciclovias para o centro da cidade", "Ciclovias para o centro"], "Ciclovias para o centro"),
        # Dutch has no stop words here: "voor het" count as no content word of the phrase.
        (
            ["Meer fietspaden voor het centrum van de stad", "Fietspaden voor het centrum"],
            "Fietspaden voor het centrum",
        ),
    ],
)
def test_names_in_italian_portuguese_and_dutch_start_and_end_on_content_words(
    members: list[str], expected: str
) -> None:
    assert keyphrase(members, ["Parcheggi gratis", "Estacionamento grátis", "Gratis parkeren"]) == expected
