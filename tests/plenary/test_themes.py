"""Themes by meaning: points on one subject share a theme though they share no word, points on
different subjects never do, in English, German and Bengali."""

from __future__ import annotations

from app.plenary import subjects
from app.plenary.grouping import Group, GroupingItem, group_items
from app.plenary.language import normalise


def _themes(texts: list[str]) -> dict[str, str]:
    items = [GroupingItem(key=f"k{n:02d}", room_id=f"r{n % 4}", text=text) for n, text in enumerate(texts)]
    groups: list[Group] = group_items(items)
    by_key = {key: group.theme for group in groups for key in group.keys}
    return {item.text: by_key[item.key] for item in items}


def test_subjects_are_named_in_three_languages_with_prefixes_for_inflections() -> None:
    names = subjects.subject_names()

    def named(word: str) -> set[str]:
        return {names[n] for n in subjects.subjects_of(normalise(word))}

    assert "health" in named("hospitals")
    assert "health" in named("Hausarztpraxen")
    assert "health" in named("ডাক্তারের")
    assert "public transport" in named("trolleys")
    assert named("nutrition") >= {"health", "food"}
    assert named("sandwich") == set()


def test_answers_on_one_subject_share_a_theme_without_a_word_in_common() -> None:
    themes = _themes(
        [
            "More doctors at the county hospital.",
            "Free fitness classes for older residents.",
            "Wellness coaches in every workplace.",
            "Cheaper rents for students.",
            "Build affordable apartments near the station.",
            "Landlords must register every flat they rent.",
        ]
    )

    health = {themes["More doctors at the county hospital."], themes["Free fitness classes for older residents."]}
    assert len(health) == 1
    assert themes["Wellness coaches in every workplace."] in health
    housing = {
        themes["Build affordable apartments near the station."],
        themes["Landlords must register every flat they rent."],
    }
    assert len(housing) == 1
    assert housing.isdisjoint(health)


def test_points_naming_different_subjects_never_share_a_theme() -> None:
    # Both share "downtown" and "more", but one is about parking, the other about art.
    themes = _themes(
        [
            "More parking downtown.",
            "A parking garage downtown.",
            "More public art downtown.",
            "An art gallery downtown.",
        ]
    )

    assert themes["More parking downtown."] == themes["A parking garage downtown."]
    assert themes["More public art downtown."] == themes["An art gallery downtown."]
    assert themes["More parking downtown."] != themes["More public art downtown."]


def test_german_and_bengali_answers_gather_by_subject() -> None:
    themes = _themes(
        [
            "Es fehlen Hausärzte auf dem Land.",
            "Pflegekräfte müssen besser bezahlt werden.",
            "Mehr Radwege in der Innenstadt.",
            "Tempo 30 auf allen Straßen.",
            "উপজেলা হাসপাতালে আরও ডাক্তার দরকার।",
            "গ্রামে ক্লিনিক খোলা রাখা উচিত।",
        ]
    )

    assert themes["Es fehlen Hausärzte auf dem Land."] == themes["Pflegekräfte müssen besser bezahlt werden."]
    assert themes["Mehr Radwege in der Innenstadt."] == themes["Tempo 30 auf allen Straßen."]
    assert themes["Es fehlen Hausärzte auf dem Land."] != themes["Mehr Radwege in der Innenstadt."]
    assert themes["উপজেলা হাসপাতালে আরও ডাক্তার দরকার।"] == themes["গ্রামে ক্লিনিক খোলা রাখা উচিত।"]
