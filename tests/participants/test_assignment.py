from __future__ import annotations

import random
import uuid
from collections import Counter
from typing import Any

import httpx
import pytest

from app.auth.access import Actor
from app.errors import Conflict, Forbidden
from app.participants.socket import SOCKET_COMMANDS
from app.realtime.outbox import unit_of_work
from app.realtime.protocol import ParticipantMove
from tests.participants.scene import Scene

ORGANISATION_TYPES = ["ministry", "police", "prosecution", "judiciary", "civil_society", "international_organisation"]


def reference_roster() -> str:
    """The reference meeting: 45 participants, 15 female and 30 male, from six kinds of organisation,
    plus a moderator and an observer whom balancing must leave where they are."""
    rng = random.Random(45)
    types = [kind for kind, count in zip(ORGANISATION_TYPES, [9, 8, 8, 7, 7, 6], strict=True) for _ in range(count)]
    rng.shuffle(types)
    lines = ["name,email,organisation,organisation_type,gender,role,room"]
    for n, kind in enumerate(types):
        gender = "female" if n % 3 == 0 else "male"
        lines.append(f"Person {n:02},person{n}@example.org,Org {n % 11},{kind},{gender},participant,")
    lines.append("Maya Moderator,maya@example.org,UNODC,international_organisation,female,moderator,Room 1")
    lines.append("Olga Observer,olga@example.org,Donor,other,female,observer,")
    return "\n".join(lines) + "\n"


async def _roster(scene: Scene) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = (await scene.organiser.get(f"/api/meetings/{scene.meeting_id}/participants")).json()
    return entries


async def _assign(scene: Scene, **body: Any) -> httpx.Response:
    return await scene.organiser.post(f"/api/meetings/{scene.meeting_id}/assignment", json=body)


def _spread(entries: list[dict[str, Any]], rooms: list[str], field: str, value: str) -> list[int]:
    counts = Counter(entry["room_id"] for entry in entries if entry[field] == value)
    return [counts[room] for room in rooms]


async def test_balanced_assignment_of_the_reference_meeting(scene: Scene) -> None:
    rooms = [(await scene.room(f"Room {n}", capacity=8))["id"] for n in range(1, 7)]
    imported = await scene.organiser.post(
        f"/api/meetings/{scene.meeting_id}/participants/import",
        content=reference_roster().encode(),
        headers={"content-type": "text/csv"},
    )
    assert imported.json()["imported"] == 47, imported.text

    response = await _assign(scene, mode="balanced", seed=2024)
    assert response.status_code == 200, response.text
    result = response.json()
    assert (result["mode"], result["seed"], result["moved"]) == ("balanced", 2024, 45)
    assert sum(room["seats_taken"] for room in result["rooms"]) == 45

    entries = await _roster(scene)
    participants = [entry for entry in entries if entry["role"] == "participant"]
    sizes = _spread(participants, rooms, "role", "participant")
    assert all(size <= 8 for size in sizes) and max(sizes) - min(sizes) <= 1
    females = _spread(participants, rooms, "gender", "female")
    assert sum(females) == 15 and max(females) - min(females) <= 1
    for kind in ORGANISATION_TYPES:
        per_room = _spread(participants, rooms, "organisation_type", kind)
        assert max(per_room) - min(per_room) <= 1, (kind, per_room)
    staff_only = {entry["display_name"]: entry["room_id"] for entry in entries if entry["role"] != "participant"}
    assert staff_only == {"Maya Moderator": rooms[0], "Olga Observer": None}

    placed = {entry["id"]: entry["room_id"] for entry in participants}
    again = (await _assign(scene, mode="balanced", seed=2024)).json()
    assert again["moved"] == 0
    assert {entry["id"]: entry["room_id"] for entry in await _roster(scene) if entry["role"] == "participant"} == placed
    other_seed = (await _assign(scene, mode="balanced", seed=7)).json()
    assert other_seed["moved"] > 0

    moved = [e for e in await scene.events(scene.staff_stream()) if e.type == "participant.moved"]
    assert len(moved) == 45 + other_seed["moved"]
    modes = [
        e.payload["meeting"]["assignment_mode"]
        for e in await scene.events(scene.meeting_stream())
        if e.type == "meeting.updated"
    ]
    assert modes == ["balanced"]


async def test_balanced_assignment_refuses_what_it_cannot_do(scene: Scene) -> None:
    assert (await _assign(scene, mode="balanced")).json()["code"] == "no_rooms"
    await scene.room("Room 1", capacity=1)
    for name in ("Amina", "Bilal"):
        await scene.entry(name)
    short = await _assign(scene, mode="balanced", seed=1)
    assert short.status_code == 409 and short.json()["code"] == "not_enough_seats"
    assert (await _assign(scene, mode="manual", seed=3)).status_code == 422
    assert (await _assign(scene, mode="random")).status_code == 422
    await scene.room("Room 2")
    drawn = await _assign(scene, mode="balanced")
    assert drawn.status_code == 200 and isinstance(drawn.json()["seed"], int)

    for phase in ("lobby", "plenary", "breakouts"):
        assert (
            await scene.organiser.post(f"/api/meetings/{scene.meeting_id}/phase", json={"phase": phase})
        ).status_code == 200
    during = await _assign(scene, mode="balanced", seed=1)
    assert during.status_code == 409 and during.json()["code"] == "assignment_not_now"
    participant = await scene.person("Chandra")
    assert (
        await participant.http.post(f"/api/meetings/{scene.meeting_id}/assignment", json={"mode": "manual"})
    ).status_code == 403


async def test_participants_choose_rooms_up_to_capacity_when_self_selection_is_on(scene: Scene) -> None:
    small, large = await scene.room("Room 1", capacity=2), await scene.room("Room 2")
    people = [await scene.person(name) for name in ("Amina", "Bilal", "Chandra")]
    moderator = await scene.person("Maya", role="moderator")
    select = f"/api/rooms/{small['id']}/select"

    off = await people[0].http.post(select)
    assert off.status_code == 409 and off.json()["code"] == "self_select_off"
    assert (await _assign(scene, mode="self_select")).json()["mode"] == "self_select"

    for person in people[:2]:
        chosen = await person.http.post(select)
        assert chosen.status_code == 200, chosen.text
        assert chosen.json()["room_id"] == small["id"]
    full = await people[2].http.post(select)
    assert full.status_code == 409 and full.json()["code"] == "room_full"
    assert (await people[0].http.post(select)).status_code == 200  # choosing one's own room again is fine
    assert (await people[2].http.post(f"/api/rooms/{large['id']}/select")).status_code == 200
    assert (await moderator.http.post(select)).status_code == 403
    assert (await (await scene.stranger()).post(select)).status_code == 404

    for phase in ("lobby", "plenary", "breakouts"):
        await scene.organiser.post(f"/api/meetings/{scene.meeting_id}/phase", json={"phase": phase})
    closed = await people[1].http.post(f"/api/rooms/{large['id']}/select")
    assert closed.status_code == 409 and closed.json()["code"] == "self_select_closed"
    seats = Counter(entry["room_id"] for entry in await _roster(scene) if entry["role"] == "participant")
    assert seats == {small["id"]: 2, large["id"]: 1}


async def test_a_move_is_told_on_the_room_left_and_on_the_staff_stream(scene: Scene) -> None:
    first, second = await scene.room("Room 1"), await scene.room("Room 2", capacity=1)
    amina = await scene.person("Amina", room_id=first["id"])
    await scene.entry("Bilal", room_id=second["id"])
    move = f"/api/participants/{amina.id}/move"

    full = await scene.organiser.post(move, json={"room_id": second["id"]})
    assert full.status_code == 409 and full.json()["code"] == "room_full"
    forced = await scene.organiser.post(move, json={"room_id": second["id"], "force": True})
    assert forced.status_code == 200 and forced.json()["room_id"] == second["id"]

    # On the room she leaves (her screens follow from there) and for staff; the room she enters
    # gets no copy: her socket follows it and loads its snapshot.
    expected = {"participant_id": amina.id, "from_room_id": first["id"], "to_room_id": second["id"]}
    for stream in (scene.staff_stream(), scene.room_stream(first["id"])):
        moved = [e.payload for e in await scene.events(stream) if e.type == "participant.moved"]
        assert moved == [expected], stream
    assert "participant.moved" not in await scene.event_types(scene.room_stream(second["id"]))
    assert (await amina.http.get(f"/api/meetings/{scene.meeting_id}/participants/me")).json()["room_id"] == second["id"]

    out = await scene.organiser.post(move, json={"room_id": None})
    assert out.status_code == 200 and out.json()["room_id"] is None
    assert (await amina.http.post(move, json={"room_id": first["id"]})).status_code == 403
    stranger = await scene.stranger()
    assert (await stranger.post(move, json={"room_id": None})).status_code == 404
    their_meeting = (await stranger.get("/api/meetings")).json()[0]["id"]
    their_room = (await stranger.post(f"/api/meetings/{their_meeting}/rooms", json={"name": "Theirs"})).json()
    assert (await scene.organiser.post(move, json={"room_id": their_room["id"]})).status_code == 422
    assert (await scene.organiser.post(move, json={})).status_code == 422


async def test_the_socket_move_calls_the_same_service(scene: Scene) -> None:
    first, second = await scene.room("Room 1"), await scene.room("Room 2", capacity=1)
    amina = await scene.entry("Amina", room_id=first["id"])
    await scene.entry("Bilal", room_id=second["id"])
    account_id = uuid.UUID((await scene.organiser.get("/api/auth/me")).json()["account"]["account_id"])
    handler = SOCKET_COMMANDS["participant.move"]
    state = scene.state

    command = ParticipantMove(id="c1", type="participant.move", participant_id=uuid.UUID(amina["id"]), room_id=None)
    async with unit_of_work(state.database.write_sessions, state.bus) as uow:
        result = await handler(uow, Actor(account_id=account_id), command)
    assert result is not None and result.model_dump()["room_id"] is None
    assert (await scene.organiser.get(f"/api/participants/{amina['id']}")).json()["room_id"] is None

    into_full = command.model_copy(update={"room_id": uuid.UUID(second["id"])})
    with pytest.raises(Conflict, match="full"):
        async with unit_of_work(state.database.write_sessions, state.bus) as uow:
            await handler(uow, Actor(account_id=account_id), into_full)
    async with unit_of_work(state.database.write_sessions, state.bus) as uow:
        forced = await handler(uow, Actor(account_id=account_id), into_full.model_copy(update={"force": True}))
    assert forced is not None and forced.model_dump()["room_id"] == uuid.UUID(second["id"])
    participant = await scene.sign_in(await scene.entry("Chandra"))
    with pytest.raises(Forbidden):
        async with unit_of_work(state.database.write_sessions, state.bus) as uow:
            await handler(uow, Actor(participant_id=uuid.UUID(participant.id)), command)
