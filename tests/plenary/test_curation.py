"""The organiser curates the cross-room groups (accept, rename, pin, split, merge, release), and the
curation survives recomputation: new answers fall into computed groups, curated groups keep their
members, and hidden answers drop out."""

from __future__ import annotations

from typing import Any

from tests.plenary.events import meeting_events
from tests.reports.consultation import Consultation


async def _shared_groups(c: Consultation) -> list[dict[str, Any]]:
    response = await c.organiser.get(c.url("/plenary"))
    assert response.status_code == 200, response.text
    for theme in response.json()["themes"]:
        for question in theme["questions"]:
            if question["question"]["code"] == "S1":
                groups: list[dict[str, Any]] = question["groups"]
                return groups
    raise AssertionError("S1 is missing")


def _keys(group: dict[str, Any]) -> set[str]:
    return {member["key"] for member in group["members"]}


def _group_with(groups: list[dict[str, Any]], key: str) -> dict[str, Any] | None:
    return next((group for group in groups if key in _keys(group)), None)


async def test_curation_survives_new_answers(consultation: Consultation) -> None:
    c = consultation
    ratify_key = f"finding:{c.findings['f_ratify']}"
    computed = _group_with(await _shared_groups(c), ratify_key)
    assert computed is not None and computed["curated"] is False
    accepted_keys = sorted(_keys(computed))

    accepted = await c.organiser.post(
        c.url("/plenary/groups"), json={"question_id": str(c.questions["S1"]), "keys": accepted_keys}
    )
    assert accepted.status_code == 201, accepted.text
    body = accepted.json()
    assert body["question_id"] == str(c.questions["S1"]) and body["version"] == 1
    group = _group_with(body["groups"], ratify_key)
    assert group is not None and group["curated"] is True and sorted(_keys(group)) == accepted_keys
    group_id = group["id"]

    renamed = await c.organiser.patch(
        c.url(f"/plenary/groups/{group_id}"), json={"label": "Ratify the protocol within a year", "pinned": True}
    )
    assert renamed.status_code == 200, renamed.text
    first = renamed.json()["groups"][0]
    assert (first["id"], first["label"], first["renamed"], first["pinned"]) == (
        group_id,
        "Ratify the protocol within a year",
        True,
        True,
    )

    # New answers arrive, one of them saying the same thing: it joins no curated group.
    late_ratify = await c.add_answer("S1", 2, "esha", "Ratify the smuggling protocol within a year!")
    late_other = await c.add_answer("S1", 3, "ishrat", "Protect smuggled migrants as victims, never as criminals")
    groups = await _shared_groups(c)
    curated = next(g for g in groups if g["id"] == group_id)
    assert sorted(_keys(curated)) == accepted_keys
    assert curated["label"] == "Ratify the protocol within a year" and curated["pinned"] is True
    assert groups[0]["id"] == group_id
    late_group = _group_with(groups, f"answer:{late_other}")
    assert late_group is not None and late_group["curated"] is False
    assert f"answer:{c.answers['s1_gita']}" in _keys(late_group)
    late_ratify_group = _group_with(groups, f"answer:{late_ratify}")
    assert late_ratify_group is None or late_ratify_group["curated"] is False

    # A hidden member drops out; the room count follows.
    await c.set_hidden("s1_hasan")
    curated = next(g for g in await _shared_groups(c) if g["id"] == group_id)
    assert f"answer:{c.answers['s1_hasan']}" not in _keys(curated)
    assert curated["raised_in"] == "raised in 2 of 3 rooms"
    await c.set_hidden("s1_hasan", hidden=False)

    # Split Dipu's answer out into a group of its own, then merge it back.
    dipu_key = f"answer:{c.answers['s1_dipu']}"
    split = await c.organiser.post(c.url(f"/plenary/groups/{group_id}/split"), json={"keys": [dipu_key]})
    assert split.status_code == 201, split.text
    split_groups = split.json()["groups"]
    remaining = next(g for g in split_groups if g["id"] == group_id)
    assert dipu_key not in _keys(remaining)
    moved = _group_with(split_groups, dipu_key)
    assert moved is not None and moved["curated"] is True and _keys(moved) == {dipu_key}
    merged = await c.organiser.post(c.url(f"/plenary/groups/{group_id}/merge"), json={"group_id": moved["id"]})
    assert merged.status_code == 200, merged.text
    back = next(g for g in merged.json()["groups"] if g["id"] == group_id)
    assert sorted(_keys(back)) == accepted_keys
    assert all(g["id"] != moved["id"] for g in merged.json()["groups"])

    released = await c.organiser.delete(c.url(f"/plenary/groups/{group_id}"))
    assert released.status_code == 200, released.text
    assert all(g["curated"] is False for g in released.json()["groups"])
    assert released.json()["version"] == 5

    events = [e for e in await meeting_events(c) if e.type == "plenary.changed"]
    assert [e.payload["version"] for e in events] == [1, 2, 3, 4, 5]


async def test_curation_refuses_bad_requests(consultation: Consultation) -> None:
    c = consultation
    s1 = str(c.questions["S1"])
    amina = f"answer:{c.answers['s1_amina']}"
    chandra = f"answer:{c.answers['s1_chandra']}"
    wrong = [
        {"question_id": s1, "keys": [f"answer:{c.answers['r11_amina']}"]},  # another question's answer
        {"question_id": s1, "keys": [f"answer:{c.answers['s1_farid']}"]},  # hidden
        {"question_id": s1, "keys": [f"finding:{c.findings['f_proposed']}"]},  # not confirmed
        {"question_id": s1, "keys": ["answer:00000000-0000-4000-8000-000000000000"]},
        {"question_id": s1, "keys": ["room:00000000-0000-4000-8000-000000000000"]},
        {"question_id": s1, "keys": []},
        {"question_id": "00000000-0000-4000-8000-000000000000", "keys": [amina]},
    ]
    for body in wrong:
        refused = await c.organiser.post(c.url("/plenary/groups"), json=body)
        assert refused.status_code == 422, (body, refused.text)
    made = await c.organiser.post(c.url("/plenary/groups"), json={"question_id": s1, "keys": [amina, chandra]})
    assert made.status_code == 201
    group_id = _group_with(made.json()["groups"], amina)["id"]  # type: ignore[index]

    assert (
        await c.organiser.post(c.url(f"/plenary/groups/{group_id}/split"), json={"keys": [amina, chandra]})
    ).status_code == 422
    assert (
        await c.organiser.post(
            c.url(f"/plenary/groups/{group_id}/split"), json={"keys": [f"answer:{c.answers['s1_dipu']}"]}
        )
    ).status_code == 422
    assert (
        await c.organiser.post(c.url(f"/plenary/groups/{group_id}/merge"), json={"group_id": group_id})
    ).status_code == 422
    unknown = "00000000-0000-4000-8000-000000000000"
    assert (await c.organiser.patch(c.url(f"/plenary/groups/{unknown}"), json={"pinned": True})).status_code == 404
    assert (
        await c.organiser.post(c.url(f"/plenary/groups/{group_id}/merge"), json={"group_id": unknown})
    ).status_code == 422
    assert (await c.organiser.patch(c.url(f"/plenary/groups/{group_id}"), json={"label": ""})).status_code == 422

    assert (
        await c.participant.post(c.url("/plenary/groups"), json={"question_id": s1, "keys": [amina]})
    ).status_code == 403
    assert (await c.moderator.delete(c.url(f"/plenary/groups/{group_id}"))).status_code == 403
    assert (await c.stranger.delete(c.url(f"/plenary/groups/{group_id}"))).status_code == 404

    # Accepting a member elsewhere takes it out of its old group (one group per member).
    again = await c.organiser.post(c.url("/plenary/groups"), json={"question_id": s1, "keys": [chandra]})
    assert again.status_code == 201
    old = next(g for g in again.json()["groups"] if g["id"] == group_id)
    assert _keys(old) == {amina}
    # Only the accepted steps moved the plenary on: refusals left no event behind.
    assert [e.payload["version"] for e in await meeting_events(c) if e.type == "plenary.changed"] == [1, 2]
