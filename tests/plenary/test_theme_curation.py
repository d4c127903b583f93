"""Themes in the plenary view, and the organiser's hand on them: every question lists its groups by
theme with "raised in n of m rooms"; the organiser moves a group to another theme and renames a
theme, and both survive recomputation."""

from __future__ import annotations

from typing import Any

from tests.reports.consultation import Consultation


async def _s1(c: Consultation) -> dict[str, Any]:
    response = await c.organiser.get(c.url("/plenary"))
    assert response.status_code == 200, response.text
    for theme in response.json()["themes"]:
        for question in theme["questions"]:
            if question["question"]["code"] == "S1":
                found: dict[str, Any] = question
                return found
    raise AssertionError("S1 is missing")


def _keys(group: dict[str, Any]) -> list[str]:
    return sorted(member["key"] for member in group["members"])


async def test_every_group_with_a_theme_is_listed_under_it_with_its_rooms(consultation: Consultation) -> None:
    question = await _s1(consultation)
    groups = {group["id"]: group for group in question["groups"]}
    themes = question["point_themes"]

    assert themes
    listed = [group_id for theme in themes for group_id in theme["group_ids"]]
    assert sorted(listed) == sorted(group_id for group_id, group in groups.items() if group["theme_id"])
    for theme in themes:
        members = [groups[group_id] for group_id in theme["group_ids"]]
        assert {group["theme_id"] for group in members} == {theme["id"]}
        rooms = {room["id"] for group in members for room in group["rooms"]}
        assert {room["id"] for room in theme["rooms"]} == rooms
        assert theme["room_count"] == len(rooms)
        assert theme["raised_in"] == f"raised in {len(rooms)} of {theme['rooms_answered']} rooms"
    counts = [theme["room_count"] for theme in themes]
    assert counts == sorted(counts, reverse=True)


async def test_the_organiser_moves_a_group_to_another_theme_and_renames_a_theme(consultation: Consultation) -> None:
    c = consultation
    s1 = str(c.questions["S1"])
    question = await _s1(c)
    theme = next(theme for theme in question["point_themes"] if len(theme["group_ids"]) >= 2)
    first, second = (next(g for g in question["groups"] if g["id"] == gid) for gid in theme["group_ids"][:2])

    # Into a theme of the organiser's own (accepting the computed group).
    accepted = await c.organiser.post(
        c.url("/plenary/groups"), json={"question_id": s1, "keys": _keys(first), "theme_label": " Money  trail "}
    )
    assert accepted.status_code == 201, accepted.text
    moved = next(group for group in accepted.json()["groups"] if _keys(group) == _keys(first))
    assert (moved["curated"], moved["theme_id"], moved["theme_label"], moved["theme_curated"]) == (
        True,
        "named:money trail",
        "Money trail",
        True,
    )
    own = next(t for t in accepted.json()["point_themes"] if t["id"] == "named:money trail")
    assert (own["label"], own["curated"], own["group_ids"]) == ("Money trail", True, [moved["id"]])

    # Back into the computed theme that holds the other group, by its name as now shown.
    target = next(t for t in accepted.json()["point_themes"] if t["id"] != own["id"])
    back = await c.organiser.patch(c.url(f"/plenary/groups/{moved['id']}"), json={"theme_label": target["label"]})
    assert back.status_code == 200, back.text
    assert next(g for g in back.json()["groups"] if g["id"] == moved["id"])["theme_id"] == target["id"]

    # Renaming the theme names every group in it, and the name survives a rebuild.
    renamed = await c.organiser.post(
        c.url("/plenary/themes/rename"), json={"question_id": s1, "theme_id": target["id"], "label": "Border work"}
    )
    assert renamed.status_code == 200, renamed.text
    named = next(t for t in renamed.json()["point_themes"] if t["label"] == "Border work")
    assert named["curated"] is True and moved["id"] in named["group_ids"]
    after = await _s1(c)
    in_theme = [group for group in after["groups"] if group["theme_label"] == "Border work"]
    assert all(group["curated"] and group["theme_curated"] for group in in_theme)
    assert sorted(key for group in in_theme for key in _keys(group)) == sorted(
        key
        for group_id in theme["group_ids"]
        for key in _keys(next(g for g in question["groups"] if g["id"] == group_id))
    )
    assert _keys(second) in [_keys(group) for group in in_theme]

    # Out of any theme.
    out = await c.organiser.patch(c.url(f"/plenary/groups/{moved['id']}"), json={"theme_label": None})
    assert out.status_code == 200, out.text
    assert next(g for g in out.json()["groups"] if g["id"] == moved["id"])["theme_id"] is None


async def test_theme_curation_refuses_bad_requests(consultation: Consultation) -> None:
    c = consultation
    s1 = str(c.questions["S1"])
    theme = (await _s1(c))["point_themes"][0]

    unknown = await c.organiser.post(
        c.url("/plenary/themes/rename"), json={"question_id": s1, "theme_id": "theme:nothing", "label": "X"}
    )
    assert unknown.status_code == 404, unknown.text
    for body in (
        {"question_id": s1, "theme_id": theme["id"], "label": ""},
        {"question_id": s1, "theme_id": theme["id"], "label": "   "},
        {"question_id": s1, "theme_id": theme["id"], "label": "x" * 301},
        {"question_id": s1, "theme_id": "", "label": "X"},
        {"question_id": "not-a-uuid", "theme_id": theme["id"], "label": "X"},
        {"question_id": s1, "theme_id": theme["id"]},
    ):
        refused = await c.organiser.post(c.url("/plenary/themes/rename"), json=body)
        assert refused.status_code == 422, (body, refused.text)
    forbidden = await c.participant.post(
        c.url("/plenary/themes/rename"), json={"question_id": s1, "theme_id": theme["id"], "label": "X"}
    )
    assert forbidden.status_code == 403
    assert (await _s1(c))["point_themes"][0]["label"] == theme["label"]
