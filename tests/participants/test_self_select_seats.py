"""While people choose their own room, everyone reads every room's seats and hears each change."""

from __future__ import annotations

from typing import Any

from tests.participants.scene import Scene


async def _seats(scene: Scene, http: Any) -> dict[str, tuple[int, int | None]]:
    response = await http.get(f"/api/meetings/{scene.meeting_id}/seats")
    assert response.status_code == 200, response.text
    return {entry["room_id"]: (entry["seats_taken"], entry["capacity"]) for entry in response.json()}


async def test_the_seats_of_every_room_are_read_and_told_as_people_choose(scene: Scene) -> None:
    small, large = await scene.room("Room 1", capacity=1), await scene.room("Room 2")
    amina, bilal = await scene.person("Amina"), await scene.person("Bilal")
    await scene.person("Maya", role="moderator", room_id=small["id"])  # moderators take no seat

    assert await _seats(scene, amina.http) == {small["id"]: (0, 1), large["id"]: (0, None)}
    # Manual mode: a move tells nobody of seats.
    await scene.organiser.post(f"/api/participants/{bilal.id}/move", json={"room_id": large["id"]})
    assert "room.seats" not in await scene.event_types(scene.meeting_stream())

    switched = await scene.organiser.post(f"/api/meetings/{scene.meeting_id}/assignment", json={"mode": "self_select"})
    assert switched.status_code == 200, switched.text
    chosen = await amina.http.post(f"/api/rooms/{small['id']}/select")
    assert chosen.status_code == 200, chosen.text
    full = await bilal.http.post(f"/api/rooms/{small['id']}/select")
    assert (full.status_code, full.json()["code"]) == (409, "room_full")
    assert "is full" in full.json()["message"]
    moved = await amina.http.post(f"/api/rooms/{large['id']}/select")
    assert moved.status_code == 200, moved.text

    told = [
        event.payload["seats"] for event in await scene.events(scene.meeting_stream()) if event.type == "room.seats"
    ]
    assert told == [
        # Self-selection switched on: every room's level.
        [{"room_id": small["id"], "seats_taken": 0}, {"room_id": large["id"], "seats_taken": 1}],
        # Amina into Room 1, then from Room 1 to Room 2.
        [{"room_id": small["id"], "seats_taken": 1}],
        [{"room_id": small["id"], "seats_taken": 0}, {"room_id": large["id"], "seats_taken": 2}],
    ]
    assert await _seats(scene, bilal.http) == {small["id"]: (0, 1), large["id"]: (2, None)}
    stranger = await scene.stranger()
    assert (await stranger.get(f"/api/meetings/{scene.meeting_id}/seats")).status_code == 404
