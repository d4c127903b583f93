"""Precision before recall: what a point of the plenary merge must never join.

Every case is written for the test, in English, German and Bengali (English glosses beside
the Bengali lines).
"""

from __future__ import annotations

from app.plenary import language
from app.plenary.grouping import group_items, normalise_text
from tests.plenary.written import items, together, wording_of

# --- template wording and stop words ----------------------------------------------------------


def test_answers_sharing_only_a_template_do_not_form_a_point() -> None:
    answers = items(
        "Cycle lanes on the ring road should be a top priority.",
        "A new library for the east side should be a top priority.",
        "Cheaper school meals should be a top priority.",
        "Longer opening hours at the swimming pool should be a top priority.",
        "I identify as a student.",
        "I identify as a carer for my mother.",
        "I identify as a small business owner.",
    )

    groups = group_items(answers)

    assert all(len(group.keys) == 1 for group in groups)


def test_a_frame_shared_by_unrelated_answers_is_learned_as_boilerplate() -> None:
    wording = wording_of(
        "Evening buses must be affordable and accessible for everyone.",
        "Dental care must be affordable and accessible for everyone.",
        "Sports clubs must be affordable and accessible for everyone.",
        "Repair the bridge over the canal.",
    )

    assert any("accessible" in phrase for phrase in wording.boilerplate)
    assert wording.content[0] == ["evening", "buses"]


def test_restatements_sharing_a_frame_still_form_a_point() -> None:
    answers = items(
        "Evening buses to the villages should be a top priority.",
        "More evening buses to the villages should be a top priority!",
        "Dental care should be a top priority.",
        "The park needs benches should be a top priority.",
    )

    groups = group_items(answers)

    assert together(groups, "k00", "k01")
    assert not together(groups, "k00", "k02")
    assert not together(groups, "k02", "k03")


def test_german_answers_sharing_only_ist_moeglich_stay_apart() -> None:
    answers = items(
        "Ein Nachtbus am Wochenende ist sofort möglich.",
        "Eine zweite Kita im Neubaugebiet ist möglich.",
        "Mehr Bänke im Stadtpark sind ohne großen Aufwand möglich.",
        "Ein Wochenmarkt am Samstag ist gut möglich.",
    )

    assert all(len(group.keys) == 1 for group in group_items(answers))


def test_bengali_answers_sharing_only_a_priority_frame_stay_apart() -> None:
    answers = items(
        # "School safety should be the highest priority."
        "স্কুলের নিরাপত্তা সর্বোচ্চ অগ্রাধিকার হওয়া উচিত।",
        # "Road repair should be the highest priority."
        "রাস্তা মেরামত সর্বোচ্চ অগ্রাধিকার হওয়া উচিত।",
        # "Flood shelters should be the highest priority."
        "বন্যা আশ্রয়কেন্দ্র সর্বোচ্চ অগ্রাধিকার হওয়া উচিত।",
    )

    assert all(len(group.keys) == 1 for group in group_items(answers))


# --- opposite stances --------------------------------------------------------------------------


def test_opposite_stances_in_english_never_share_a_point() -> None:
    answers = items(
        "The congestion charge should be abolished.",
        "The congestion charge should be abolished altogether.",
        "We should not abolish the congestion charge, reform it.",
        "Keep the congestion charge but lower it for residents.",
        "The congestion charge should not be scrapped.",
    )

    groups = group_items(answers)

    for against in ("k00", "k01"):
        for keeping in ("k02", "k03", "k04"):
            assert not together(groups, against, keeping)


def test_negation_in_german_keeps_opposite_answers_apart() -> None:
    answers = items(
        "Wir brauchen ein Tempolimit auf der Bundesstraße.",
        "Ein Tempolimit auf der Bundesstraße brauchen wir.",
        "Wir brauchen kein Tempolimit auf der Bundesstraße.",
        "Das Freibad im Sommer länger öffnen.",
        "Das Freibad im Sommer nicht länger öffnen.",
    )

    groups = group_items(answers)

    assert together(groups, "k00", "k01")
    assert not together(groups, "k00", "k02")
    assert not together(groups, "k03", "k04")


def test_contrary_verbs_in_german_keep_opposite_answers_apart() -> None:
    answers = items(
        "Die Stadtbücherei am Markt muss erhalten bleiben.",
        "Die Stadtbücherei am Markt sollte geschlossen werden.",
    )

    assert not together(group_items(answers), "k00", "k01")


def test_bengali_negation_keeps_opposite_answers_apart() -> None:
    answers = items(
        # "The market should stay open on Fridays."
        "শুক্রবারে বাজার খোলা রাখা উচিত।",
        # "The market should stay open on Fridays too."
        "শুক্রবারেও বাজার খোলা রাখা উচিত।",
        # "The market should not stay open on Fridays."
        "শুক্রবারে বাজার খোলা রাখা উচিত না।",
        # "Keeping the market open on Fridays is not right."
        "শুক্রবারে বাজার খোলা রাখা ঠিক নয়।",
    )

    groups = group_items(answers)

    assert not together(groups, "k00", "k02")
    assert not together(groups, "k00", "k03")
    assert not together(groups, "k01", "k02")


def test_a_contrast_is_not_a_negation() -> None:
    wording = wording_of(
        "Protect the migrants, not punish them.",
        "Protect the migrants rather than punish them.",
        "Do not punish the migrants.",
        "Wir wollen Radwege, keine neuen Parkplätze.",
        "Treat them as victims not as criminals.",
    )

    assert wording.negated.tolist() == [False, False, True, False, False]


def test_english_contractions_count_as_negation() -> None:
    assert wording_of("We don't want the bypass.", "We want the bypass.").negated.tolist() == [True, False]


def test_limiting_words_keep_a_narrower_claim_apart() -> None:
    answers = items(
        "Allow new housing anywhere in the county.",
        "Allow new housing only where the roads can take it.",
    )

    assert not together(group_items(answers), "k00", "k01")


def test_every_negation_and_contrary_word_list_is_normalised() -> None:
    for word in language.negation_words() | language.stop_words() | language.generic_words():
        assert normalise_text(word) == word


# --- fragments -----------------------------------------------------------------------------------


def test_reply_fragments_never_group_on_one_word() -> None:
    answers = items(
        "Nicht immer möglich!",
        "Immer mehr Radwege!",
        "Radwege!",
        "Mehr Radwege bauen.",
        "Not always.",
        "Always the same roads.",
        # "Not always possible." / "Always."
        "সবসময় সম্ভব নয়।",
        "সবসময়।",
    )

    groups = group_items(answers)

    assert all(len(group.keys) == 1 for group in groups)


def test_copies_of_a_fragment_still_group() -> None:
    answers = items("Radwege!", "radwege", "Stimmt.", "Stimmt!")

    groups = group_items(answers)

    assert together(groups, "k00", "k01")
    assert together(groups, "k02", "k03")
    assert not together(groups, "k00", "k02")


def test_answers_sharing_only_their_subject_stay_apart() -> None:
    # Three words in common out of eleven: the same subject, another claim.
    answers = items(
        "Downtown needs a parking garage with lifts and bright lighting.",
        "Hire attendants at the downtown parking garage to guide cars in and out at weekend concerts.",
    )

    assert not together(group_items(answers), "k00", "k01")


# Unrelated answers of a meeting, so that the words the pairs below share weigh as in a meeting.
OTHER_ANSWERS = (
    "Open the library on Sundays.",
    "Fix the potholes on Mill Road before winter.",
    "More buses to the hospital at night.",
    "Plant trees along the river path.",
    "Cheaper tickets for the swimming pool.",
    "A crossing outside the primary school.",
)


def test_two_long_answers_sharing_a_third_of_their_words_make_no_point() -> None:
    # Four content stems in common out of eleven each: the subject (volunteering, community
    # life), argued two ways. The same pair sharing six stems is a point.
    apart = items(
        "Neighbours value volunteering and want respected members contributing to community life downtown on winter evenings.",
        "Paid hours in official statistics measure poorly what volunteering contributes to community life and caring.",
        *OTHER_ANSWERS,
    )
    close = items(
        "Neighbours value volunteering and want respected members contributing to community life downtown on winter evenings.",
        "Paid hours in official statistics measure poorly what volunteering by respected members contributes to community life.",
        *OTHER_ANSWERS,
    )

    assert not together(group_items(apart), "k00", "k01")
    assert together(group_items(close), "k00", "k01")
