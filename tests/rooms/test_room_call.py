"""A room's video call link: set by the organiser, given only to the room's own people."""

from __future__ import annotations

import json

import pytest

from tests.participants.scene import Scene


async def test_the_call_link_reaches_the_room_and_its_moderator_not_other_rooms(scene: Scene) -> None:
    link = "https://meet.example.org/breakouts-room-2?pwd=Xy12"
    first = await scene.room("Room 1")
    second = await scene.room("Room 2", call_url=link)
    moderator = await scene.person("Maya Moderator", role="moderator")
    assert (
        await scene.organiser.put(f"/api/rooms/{second['id']}/moderators", json={"participant_ids": [moderator.id]})
    ).status_code == 200
    inside = await scene.person("Parvez", room_id=second["id"])
    elsewhere = await scene.person("Rina", room_id=first["id"])
    unplaced = await scene.person("Nadia")
    call_url = f"/api/rooms/{second['id']}/call"

    for person in (inside, moderator):
        got = await person.http.get(call_url)
        assert got.status_code == 200, got.text
        assert got.json() == {"room_id": second["id"], "call_url": link}
    assert (await scene.organiser.get(call_url)).json()["call_url"] == link
    for person in (elsewhere, unplaced):
        refused = await person.http.get(call_url)
        assert refused.status_code == 403
        assert refused.json()["code"] == "forbidden"
        assert link not in refused.text
    # Room views go to the whole meeting: they never carry the link, nor do the meeting's events.
    for listed in (await elsewhere.http.get(f"/api/meetings/{scene.meeting_id}/rooms")).json():
        assert "call_url" not in listed
    assert link not in json.dumps([event.payload for event in await scene.events(scene.meeting_stream())])
    assert (await elsewhere.http.get(f"/api/rooms/{first['id']}/call")).json()["call_url"] is None

    # Moved in, the person is given the link; the organiser changes it, then removes it.
    moved = await scene.organiser.post(f"/api/participants/{elsewhere.id}/move", json={"room_id": second["id"]})
    assert moved.status_code == 200, moved.text
    assert (await elsewhere.http.get(call_url)).json()["call_url"] == link
    changed = await scene.organiser.patch(f"/api/rooms/{second['id']}", json={"call_url": "  http://jitsi.example/r2 "})
    assert changed.status_code == 200, changed.text
    assert "call_url" not in changed.json()
    assert (await inside.http.get(call_url)).json()["call_url"] == "http://jitsi.example/r2"
    assert (await scene.organiser.patch(f"/api/rooms/{second['id']}", json={"theme": "Borders"})).status_code == 200
    assert (await inside.http.get(call_url)).json()["call_url"] == "http://jitsi.example/r2"
    assert (await scene.organiser.patch(f"/api/rooms/{second['id']}", json={"call_url": ""})).status_code == 200
    assert (await inside.http.get(call_url)).json()["call_url"] is None


@pytest.mark.parametrize(
    "bad",
    [
        "javascript:alert(1)",
        "JAVASCRIPT://meet.example.org/%0aalert(1)",
        "data:text/html,<script>alert(1)</script>",
        "ftp://meet.example.org/room",
        "meet.example.org/room",
        "https://",
        "https:///path-only",
        "https://zoom.us@evil.example/j/1",
        "https://user:secret@meet.example.org/",
        "https://meet.example.org/room 2",
        "https://meet.example.org/\u202eroom",
        "https://meet.example.org:99999/",
        "https://[::1/",
        "https://meet.example.org/" + "a" * 480,
        42,
        ["https://meet.example.org/"],
    ],
)
async def test_a_bad_call_link_is_refused_and_nothing_changes(scene: Scene, bad: object) -> None:
    room = await scene.room("Room 1", call_url="https://meet.example.org/kept")
    changed = await scene.organiser.patch(f"/api/rooms/{room['id']}", json={"call_url": bad, "theme": "Changed"})
    assert changed.status_code == 422, changed.text
    body = changed.json()
    assert set(body) == {"code", "message", "details"}
    created = await scene.organiser.post(
        f"/api/meetings/{scene.meeting_id}/rooms", json={"name": "Room 2", "call_url": bad}
    )
    assert created.status_code == 422, created.text
    got = await scene.organiser.get(f"/api/rooms/{room['id']}/call")
    assert got.json()["call_url"] == "https://meet.example.org/kept"
    assert (await scene.organiser.get(f"/api/rooms/{room['id']}")).json()["theme"] == ""
    names = [entry["name"] for entry in (await scene.organiser.get(f"/api/meetings/{scene.meeting_id}/rooms")).json()]
    assert names == ["Room 1"]


async def test_strangers_and_anonymous_callers_do_not_learn_the_link(scene: Scene) -> None:
    room = await scene.room("Room 1", call_url="https://meet.example.org/secret")
    stranger = await scene.stranger()
    anonymous = await scene.client()
    assert (await stranger.get(f"/api/rooms/{room['id']}/call")).status_code == 404
    assert (await anonymous.get(f"/api/rooms/{room['id']}/call")).status_code == 401
    assert (
        await stranger.patch(f"/api/rooms/{room['id']}", json={"call_url": "https://evil.example/"})
    ).status_code == 404
