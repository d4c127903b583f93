"""What tells two claims apart when they share words (app/plenary/claims.py): stated numbers,
contrary poles, the meeting's own subject, and one template filled with different objects.

Every case is written for the test (English glosses beside the Bengali lines). Each rule is
shown twice: the answers it keeps apart, and a control that differs only where the rule looks
and does form a point, so a rule that split everything would fail too.
"""

from __future__ import annotations

import numpy as np

from app.plenary import claims
from app.plenary.grouping import group_items, keyphrase, normalise_text
from app.plenary.wording import Wording, compatible
from tests.plenary.written import items, together, wording_of


def pair_allowed(wording: Wording, left: int, right: int) -> bool:
    return bool(compatible(wording, np.asarray([left]), np.asarray([right]))[0])


# --- numbers -----------------------------------------------------------------------------------


def test_brackets_with_different_numbers_are_different_claims() -> None:
    answers = items(
        "Our family spends less than 200 euros a month on heating",
        "Our family spends between 200 and 400 euros a month on heating",
        "Our family spends more than 400 euros a month on heating",
        "I rent a flat of under 40 square metres",
        "I rent a flat of 40 to 80 square metres",
    )

    groups = group_items(answers)

    assert all(len(group.keys) == 1 for group in groups)


def test_the_same_numbers_written_differently_still_form_a_point() -> None:
    answers = items(
        "Lower the speed limit near schools to 20 miles per hour.",
        "The speed limit near schools should be twenty miles per hour.",
        "Lower the speed limit near schools to 20 mph, please!",
    )

    groups = group_items(answers)

    assert together(groups, "k00", "k01", "k02")


def test_numbers_are_read_in_any_script_and_with_separators() -> None:
    texts = [
        "$50,000 or less",
        "50000 at most",
        "বছরে ৫০০০০ টাকা",
        "zwölf Monate",
        "12 months",
        "no figure here",
        "seit dreißig Jahren",
        "for 30 years",
    ]
    wording = wording_of(*texts)

    assert wording.quantities[0] == wording.quantities[1] == wording.quantities[2] != 0
    assert wording.quantities[3] == wording.quantities[4] != wording.quantities[0]
    assert wording.quantities[5] == 0
    assert wording.quantities[6] == wording.quantities[7] != 0
    # "নয়" is "nine" only beside another number word; alone it is "is not".
    assert claims.quantities(["এটা সম্ভব নয়"], ["এটা সম্ভব নয়"], *_tokens("এটা সম্ভব নয়"))[0] == 0


def _tokens(text: str) -> tuple[np.ndarray, np.ndarray, list[str]]:
    words = normalise_text(text).split()
    return np.arange(len(words)), np.zeros(len(words), dtype=np.int64), words


# --- contrary poles ----------------------------------------------------------------------------


def test_over_and_under_keep_mirrored_claims_apart() -> None:
    answers = items(
        "Rural districts are overrepresented on the regional transport board.",
        "Rural districts are underrepresented on the regional transport board.",
        "Rural districts are underrepresented on the regional transport board!",
    )

    groups = group_items(answers)

    assert not together(groups, "k00", "k01")
    assert together(groups, "k01", "k02")


def test_support_and_oppose_keep_two_camps_apart() -> None:
    wording = wording_of(
        "Shop owners on the high street support the new pedestrian zone.",
        "Shop owners on the high street oppose the new pedestrian zone.",
        "Shop owners on the high street back and support the new pedestrian zone.",
    )

    support = 2
    assert (wording.poles[0, support], wording.poles[1, support], wording.poles[2, support]) == (1, -1, 1)
    assert not pair_allowed(wording, 0, 1)
    assert pair_allowed(wording, 0, 2)


def test_a_verdict_and_its_contrary_never_share_a_point_in_three_languages() -> None:
    english = wording_of("I am pleased with how the library is run.", "The way the library is run is unfair.")
    german = wording_of(
        "Ich bin mit dem neuen Busfahrplan zufrieden.", "Ich bin mit dem neuen Busfahrplan unzufrieden."
    )
    bengali = wording_of(
        "নতুন বাসের সময়সূচি নিয়ে আমি সন্তুষ্ট।",  # I am satisfied with the new bus timetable.
        "নতুন বাসের সময়সূচি নিয়ে আমি অসন্তুষ্ট।",  # I am dissatisfied with the new bus timetable.
    )

    for wording in (english, german, bengali):
        assert claims.opposite_poles(wording.poles[[0]], wording.poles[[1]])[0]
        assert not pair_allowed(wording, 0, 1)


def test_more_against_less_splits_but_an_answer_holding_both_takes_no_side() -> None:
    wording = wording_of(
        "Fund more night buses to the hospital.",
        "Fund fewer night buses to the hospital.",
        "More night buses to the hospital and fewer empty day runs.",
    )

    amount = 0
    assert wording.poles[0, amount] == 1
    assert wording.poles[1, amount] == -1
    assert wording.poles[2, amount] == 0
    assert not pair_allowed(wording, 0, 1)


def test_words_that_merely_begin_like_a_pole_take_no_side() -> None:
    wording = wording_of("I understand how the overall budget works.", "Undertake a review of the budget.")

    assert not wording.poles.any()


# --- the meeting's subject ---------------------------------------------------------------------


SUBJECT_MEETING = (
    "The school meals service feeds children well and I am happy with it.",
    "School meals service should buy from local farms.",
    "The school meals service is too expensive for large families.",
    "Make the school meals service free for every pupil.",
    "The school meals service should offer a vegetarian dish every day.",
    "Run the school meals service without plastic trays.",
    "I want the school meals service to publish its menus online.",
    "The school meals service needs more kitchen staff.",
    "Pupils with allergies are let down by the school meals service.",
    "The school meals service should start earlier for breakfast clubs.",
    "School meals service portions are too small for teenagers.",
    "Let parents taste the school meals service once a term.",
    "The school meals service should buy organic vegetables from local farms.",
)


def test_answers_sharing_only_what_the_meeting_is_about_share_no_point() -> None:
    wording = wording_of(*SUBJECT_MEETING)
    subject = {stem for stem, column in wording.stem_ids.items() if wording.subject[column]}

    assert {"schoo", "meals", "servi"} <= subject
    # Publishing menus and small portions share the school meals service and nothing else.
    assert not pair_allowed(wording, 6, 10)


def test_answers_sharing_the_subject_and_a_claim_still_form_a_point() -> None:
    groups = group_items(items(*SUBJECT_MEETING))

    assert together(groups, "k01", "k12")
    assert not together(groups, "k06", "k10")


# --- one template, different objects -----------------------------------------------------------


OTHER_ANSWERS = ("Build more bike lanes.", "Open the library on Sundays.")


def test_one_template_filled_with_different_objects_is_no_point() -> None:
    answers = items(
        "Parents understand how the school admissions lottery works.",
        "Parents understand how the bus pass discount works.",
        *OTHER_ANSWERS,
    )

    groups = group_items(answers)

    assert all(len(group.keys) == 1 for group in groups)


def test_a_template_filled_with_the_same_object_is_a_point() -> None:
    answers = items(
        "Parents understand how the school admissions lottery works.",
        "Most parents understand how the school admissions lottery works.",
        "Parents understand how the bus pass discount works.",
        *OTHER_ANSWERS,
    )

    groups = group_items(answers)

    assert together(groups, "k00", "k01")
    assert not together(groups, "k00", "k02")


def test_the_shared_words_must_frame_a_gap_each_fills_for_a_template() -> None:
    frame = claims.first_stems(["know", "universal", "credit", "works"])
    other_object = claims.first_stems(["know", "winter", "fuel", "payment", "works"])
    added_at_the_edge = claims.first_stems(["really", "know", "universal", "credit", "works", "well"])
    reordered = claims.first_stems(["works", "universal", "credit", "know"])

    assert claims.filled_differently(frame, other_object)
    assert not claims.filled_differently(frame, added_at_the_edge)
    assert not claims.filled_differently(frame, reordered)


# --- names -------------------------------------------------------------------------------------


def test_a_name_may_start_after_the_verb_that_frames_the_claim() -> None:
    answers = items(
        "Increase voter registration at colleges.",
        "We need better voter registration at colleges, campus drives.",
        "Open the library on Sundays.",
    )

    (point,) = [group for group in group_items(answers) if len(group.keys) > 1]

    assert point.label == "Voter registration at colleges"


def test_a_name_never_starts_or_ends_on_a_number() -> None:
    members = [
        "Land released for building should hold 20% social homes, and the 20% must be checked.",
        "Land released for building should hold at least 20% social homes.",
    ]
    others = ["Open the library on Sundays.", "Plant trees along the river.", "Social homes need gardens."]

    name = keyphrase(members, others)

    assert name
    assert any(char.isalpha() for char in name.split()[0])
    assert any(char.isalpha() for char in name.split()[-1])
