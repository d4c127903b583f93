from __future__ import annotations

import httpx

from tests.participants.scene import Scene


async def test_organiser_creates_orders_updates_and_deletes_rooms(scene: Scene) -> None:
    first = await scene.room("Room 1", theme="Criminalisation under the protocol", capacity=8)
    second = await scene.room("Room 2", theme="Criminal-justice measures")
    inserted = await scene.room("Room 0", position=0)
    assert (first["capacity"], second["capacity"], first["moderator_ids"]) == (8, None, [])
    assert inserted["position"] == 0

    listed = (await scene.organiser.get(f"/api/meetings/{scene.meeting_id}/rooms")).json()
    assert [(room["name"], room["position"]) for room in listed] == [("Room 0", 0), ("Room 1", 1), ("Room 2", 2)]

    changed = await scene.organiser.patch(
        f"/api/rooms/{first['id']}", json={"name": "Room One", "capacity": None, "position": 2}
    )
    assert changed.status_code == 200, changed.text
    assert (changed.json()["name"], changed.json()["capacity"], changed.json()["position"]) == ("Room One", None, 2)
    got = (await scene.organiser.get(f"/api/rooms/{first['id']}")).json()
    assert got == changed.json()

    assert (await scene.organiser.delete(f"/api/rooms/{inserted['id']}")).status_code == 204
    listed = (await scene.organiser.get(f"/api/meetings/{scene.meeting_id}/rooms")).json()
    assert [(room["name"], room["position"]) for room in listed] == [("Room 2", 0), ("Room One", 1)]
    assert (await scene.organiser.get(f"/api/rooms/{inserted['id']}")).status_code == 404

    events = await scene.events(scene.meeting_stream())
    kinds = [event.type for event in events if event.type.startswith("room.")]
    assert kinds.count("room.created") == 3
    assert kinds[-1] == "room.removed"
    assert events[-1].payload == {"room_id": inserted["id"]}
    last_update_of_first = [e for e in events if e.type == "room.updated" and e.payload["room"]["id"] == first["id"]]
    assert last_update_of_first[-1].payload["room"]["name"] == "Room One"


async def test_room_input_is_checked(scene: Scene) -> None:
    room = await scene.room("Room 1", capacity=2)
    url = f"/api/meetings/{scene.meeting_id}/rooms"
    assert (await scene.organiser.post(url, json={"name": "Room 2", "capacity": 0})).status_code == 422
    assert (await scene.organiser.post(url, json={"name": ""})).status_code == 422
    assert (await scene.organiser.post(url, json={"name": "x" * 121})).status_code == 422
    taken = await scene.organiser.post(url, json={"name": "  room 1 "})
    assert taken.status_code == 409
    assert taken.json()["code"] == "room_name_taken"
    assert (await scene.organiser.patch(f"/api/rooms/{room['id']}", json={"capacity": -1})).status_code == 422
    unknown = "00000000-0000-4000-8000-000000000000"
    assert (await scene.organiser.patch(f"/api/rooms/{unknown}", json={"name": "x"})).status_code == 404

    for name in ("Ana", "Bilal"):
        await scene.entry(name, room_id=room["id"])
    lowered = await scene.organiser.patch(f"/api/rooms/{room['id']}", json={"capacity": 1})
    assert lowered.status_code == 409
    assert lowered.json()["code"] == "room_over_capacity"
    assert (await scene.organiser.get(f"/api/rooms/{room['id']}")).json()["capacity"] == 2


async def test_everyone_in_the_meeting_reads_rooms_only_the_organiser_changes_them(scene: Scene) -> None:
    room = await scene.room("Room 1", theme="Demand side")
    moderator = await scene.person("Maya Moderator", role="moderator", room_id=room["id"])
    participant = await scene.person("Parvez", room_id=room["id"])
    observer = await scene.person("Olga Observer", role="observer")
    stranger = await scene.stranger()
    anonymous = await scene.client()
    list_url = f"/api/meetings/{scene.meeting_id}/rooms"
    room_url = f"/api/rooms/{room['id']}"

    for person in (moderator, participant, observer):
        listed = await person.http.get(list_url)
        assert listed.status_code == 200, listed.text
        assert [entry["name"] for entry in listed.json()] == ["Room 1"]
        assert (await person.http.get(room_url)).json()["theme"] == "Demand side"
        assert (await person.http.post(list_url, json={"name": "Mine"})).status_code == 403
        assert (await person.http.patch(room_url, json={"name": "Mine"})).status_code == 403
        assert (await person.http.delete(room_url)).status_code == 403
        assert (await person.http.put(f"{room_url}/moderators", json={"participant_ids": []})).status_code == 403

    for response in (
        await stranger.get(list_url),
        await stranger.get(room_url),
        await stranger.patch(room_url, json={"name": "Mine"}),
        await stranger.delete(room_url),
        await stranger.post(list_url, json={"name": "Mine"}),
    ):
        assert response.status_code == 404
    assert (await anonymous.get(list_url)).status_code == 401
    assert (await anonymous.get(room_url)).status_code == 401
    assert (await scene.organiser.get(room_url)).json()["name"] == "Room 1"


async def test_moderators_must_be_on_the_roster_as_moderators_and_may_steer_several_rooms(scene: Scene) -> None:
    first, second = await scene.room("Room 1"), await scene.room("Room 2")
    moderator = await scene.entry("Maya Moderator", role="moderator")
    participant = await scene.entry("Parvez")
    url = f"/api/rooms/{first['id']}/moderators"

    refused = await scene.organiser.put(url, json={"participant_ids": [participant["id"]]})
    assert refused.status_code == 422
    assert "listed as participant" in refused.json()["message"]
    other = await scene.stranger()
    other_meeting = (await other.get("/api/meetings")).json()[0]["id"]
    outsider = await other.post(
        f"/api/meetings/{other_meeting}/participants", json={"display_name": "Outsider", "role": "moderator"}
    )
    foreign = await scene.organiser.put(url, json={"participant_ids": [outsider.json()["id"]]})
    assert foreign.status_code == 422
    assert "not on this meeting's roster" in foreign.json()["message"]

    for room in (first, second):
        done = await scene.organiser.put(
            f"/api/rooms/{room['id']}/moderators", json={"participant_ids": [moderator["id"]]}
        )
        assert done.status_code == 200, done.text
        assert done.json()["moderator_ids"] == [moderator["id"]]
    listed = (await scene.organiser.get(f"/api/meetings/{scene.meeting_id}/rooms")).json()
    assert [room["moderator_ids"] for room in listed] == [[moderator["id"]], [moderator["id"]]]
    updates = [e.payload["room"] for e in await scene.events(scene.meeting_stream()) if e.type == "room.updated"]
    assert updates[-1]["moderator_ids"] == [moderator["id"]]

    cleared = await scene.organiser.put(url, json={"participant_ids": []})
    assert cleared.json()["moderator_ids"] == []
    assert (await scene.organiser.get(f"/api/rooms/{second['id']}")).json()["moderator_ids"] == [moderator["id"]]


async def test_a_room_with_answers_is_kept_an_empty_one_unassigns_its_people(scene: Scene) -> None:
    busy, quiet = await scene.room("Room 1"), await scene.room("Room 2")
    author = await scene.entry("Amina", room_id=busy["id"])
    await scene.answer(busy["id"], author["id"])
    refused = await scene.organiser.delete(f"/api/rooms/{busy['id']}")
    assert refused.status_code == 409
    assert refused.json()["code"] == "room_has_contributions"
    assert "1 answers" in refused.json()["message"]
    assert (await scene.organiser.get(f"/api/rooms/{busy['id']}")).status_code == 200

    sitting = await scene.entry("Bilal", room_id=quiet["id"])
    assert (await scene.organiser.delete(f"/api/rooms/{quiet['id']}")).status_code == 204
    entry = (await scene.organiser.get(f"/api/participants/{sitting['id']}")).json()
    assert entry["room_id"] is None
    moved = [e for e in await scene.events(scene.room_stream(quiet["id"])) if e.type == "participant.moved"]
    assert [e.payload for e in moved] == [
        {"participant_id": sitting["id"], "from_room_id": quiet["id"], "to_room_id": None}
    ]
    staff = [e.type for e in await scene.events(scene.staff_stream())]
    assert "participant.moved" in staff


async def test_unauthenticated_room_writes_are_refused(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/meetings/00000000-0000-4000-8000-000000000000/rooms", json={"name": "Room 1"})
    assert response.status_code == 401
