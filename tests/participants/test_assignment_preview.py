"""Balanced assignment previewed per room before it is applied; applying commits exactly the
preview, or refuses when people or rooms changed meanwhile."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from tests.participants.scene import Scene
from tests.participants.test_assignment import reference_roster


async def _roster(scene: Scene) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = (await scene.organiser.get(f"/api/meetings/{scene.meeting_id}/participants")).json()
    return entries


async def _reference(scene: Scene) -> list[str]:
    rooms = [(await scene.room(f"Room {n}", capacity=8))["id"] for n in range(1, 7)]
    imported = await scene.organiser.post(
        f"/api/meetings/{scene.meeting_id}/participants/import",
        content=reference_roster().encode(),
        headers={"content-type": "text/csv"},
    )
    assert imported.json()["imported"] == 47, imported.text
    return rooms


async def test_the_preview_writes_nothing_and_apply_makes_exactly_those_rooms(scene: Scene) -> None:
    rooms = await _reference(scene)
    before = await _roster(scene)
    events_before = len(await scene.events(scene.staff_stream()))
    url = f"/api/meetings/{scene.meeting_id}/assignment"

    previewed = await scene.organiser.post(f"{url}/preview", json={"seed": 99})
    assert previewed.status_code == 200, previewed.text
    preview = previewed.json()
    assert preview["seed"] == 99 and preview["moves"] == 45
    assert [room["room_id"] for room in preview["rooms"]] == rooms
    assert sum(room["count"] for room in preview["rooms"]) == 45
    assert max(room["count"] for room in preview["rooms"]) - min(room["count"] for room in preview["rooms"]) <= 1
    females = [room["genders"].get("female", 0) for room in preview["rooms"]]
    assert sum(females) == 15 and max(females) - min(females) <= 1
    assert await _roster(scene) == before
    assert len(await scene.events(scene.staff_stream())) == events_before
    assert (await scene.organiser.post(f"{url}/preview", json={"seed": 99})).json() == preview

    applied = await scene.organiser.post(url, json={"mode": "balanced", "seed": 99, "proposal": preview["proposal"]})
    assert applied.status_code == 200, applied.text
    assert applied.json()["moved"] == 45
    participants = [entry for entry in await _roster(scene) if entry["role"] == "participant"]
    for room in preview["rooms"]:
        inside = [entry for entry in participants if entry["room_id"] == room["room_id"]]
        assert len(inside) == room["count"]
        assert dict(Counter(entry["gender"] or "" for entry in inside)) == room["genders"]
        assert dict(Counter(entry["organisation_type"] or "" for entry in inside)) == room["organisation_types"]

    # The same proposal again is stale: the people now sit elsewhere than when it was made.
    stale = await scene.organiser.post(url, json={"mode": "balanced", "seed": 99, "proposal": preview["proposal"]})
    assert stale.status_code == 409 and stale.json()["code"] == "assignment_changed"


async def test_apply_refuses_when_people_or_rooms_changed_since_the_preview(scene: Scene) -> None:
    rooms = await _reference(scene)
    url = f"/api/meetings/{scene.meeting_id}/assignment"
    preview = (await scene.organiser.post(f"{url}/preview", json={"seed": 5})).json()

    # Someone joins meanwhile.
    await scene.entry("Late Arrival", gender="female")
    before = await _roster(scene)
    refused = await scene.organiser.post(url, json={"mode": "balanced", "seed": 5, "proposal": preview["proposal"]})
    assert refused.status_code == 409, refused.text
    body = refused.json()
    assert (set(body), body["code"]) == ({"code", "message", "details"}, "assignment_changed")
    assert await _roster(scene) == before

    # A room's capacity changes meanwhile.
    preview = (await scene.organiser.post(f"{url}/preview", json={"seed": 5})).json()
    assert (await scene.organiser.patch(f"/api/rooms/{rooms[0]}", json={"capacity": 9})).status_code == 200
    refused = await scene.organiser.post(url, json={"mode": "balanced", "seed": 5, "proposal": preview["proposal"]})
    assert refused.status_code == 409
    # Another seed than the preview's is another proposal.
    preview = (await scene.organiser.post(f"{url}/preview", json={"seed": 5})).json()
    refused = await scene.organiser.post(url, json={"mode": "balanced", "seed": 6, "proposal": preview["proposal"]})
    assert refused.status_code == 409
    assert await _roster(scene) == before
    applied = await scene.organiser.post(url, json={"mode": "balanced", "seed": 5, "proposal": preview["proposal"]})
    assert applied.status_code == 200, applied.text


@pytest.mark.parametrize(
    "body",
    [
        {"mode": "balanced", "proposal": "a" * 64},
        {"mode": "balanced", "seed": 1, "proposal": "not-hex"},
        {"mode": "balanced", "seed": 1, "proposal": "A" * 64},
        {"mode": "balanced", "seed": 1, "proposal": "a" * 65},
        {"mode": "manual", "proposal": "a" * 64},
    ],
)
async def test_a_bad_apply_is_refused(scene: Scene, body: dict[str, Any]) -> None:
    await _reference(scene)
    before = await _roster(scene)
    refused = await scene.organiser.post(f"/api/meetings/{scene.meeting_id}/assignment", json=body)
    assert refused.status_code == 422, refused.text
    assert await _roster(scene) == before


async def test_the_preview_refuses_what_balancing_cannot_do(scene: Scene) -> None:
    url = f"/api/meetings/{scene.meeting_id}/assignment/preview"
    assert (await scene.organiser.post(url, json={})).json()["code"] == "no_rooms"
    await scene.room("Room 1", capacity=1)
    for name in ("Amina", "Bilal"):
        await scene.entry(name)
    assert (await scene.organiser.post(url, json={"seed": 1})).json()["code"] == "not_enough_seats"
    for bad in ({"seed": -1}, {"seed": 2**63}, {"seed": "x"}):
        assert (await scene.organiser.post(url, json=bad)).status_code == 422
    await scene.room("Room 2")
    drawn = await scene.organiser.post(url, json={})
    assert drawn.status_code == 200 and isinstance(drawn.json()["seed"], int)
    # A drawn seed survives a browser's JSON numbers (exact only below 2**53).
    assert 0 <= drawn.json()["seed"] < 2**53
    for phase in ("lobby", "plenary", "breakouts"):
        await scene.organiser.post(f"/api/meetings/{scene.meeting_id}/phase", json={"phase": phase})
    during = await scene.organiser.post(url, json={"seed": 1})
    assert during.status_code == 409 and during.json()["code"] == "assignment_not_now"
    participant = await scene.person("Chandra")
    assert (await participant.http.post(url, json={})).status_code == 403
