"""The organiser matches a walk-in (someone who joined with the code) to a roster entry: the two
become one person — the roster entry — with the walk-in's answers, votes, room and phone."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx
from sqlalchemy import select

from app.answers.models import Answer, Vote
from app.participants.models import Participant
from tests.participants.scene import Scene


async def _walk_in(scene: Scene, name: str) -> tuple[httpx.AsyncClient, str]:
    """Someone who joins with the meeting's code: a walk-in entry of their own."""
    meeting = (await scene.organiser.get(f"/api/meetings/{scene.meeting_id}")).json()
    phone = await scene.client()
    joined = await phone.post("/api/join", json={"code": meeting["join_code"], "display_name": name})
    assert joined.status_code == 200, joined.text
    return phone, str(joined.json()["participant_id"])


async def _match(scene: Scene, walk_in_id: str, entry_id: str, http: httpx.AsyncClient | None = None) -> httpx.Response:
    caller = http or scene.organiser
    return await caller.post(f"/api/participants/{walk_in_id}/match", json={"roster_entry_id": entry_id})


async def _roster(scene: Scene) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = (await scene.organiser.get(f"/api/meetings/{scene.meeting_id}/participants")).json()
    return entries


async def _vote(scene: Scene, answer_id: str, voter_id: str) -> None:
    async with scene.state.database.write_sessions() as session:
        session.add(Vote(answer_id=uuid.UUID(answer_id), participant_id=uuid.UUID(voter_id)))
        await session.commit()


async def test_a_matched_walk_in_becomes_the_roster_entry_with_answers_votes_room_and_phone(scene: Scene) -> None:
    planned, placed = await scene.room("Room 1"), await scene.room("Room 2")
    faisal = await scene.entry("Faisal Khan", email="faisal@police.example", room_id=planned["id"])
    phone, walk_in = await _walk_in(scene, "Faisal")
    moved = await scene.organiser.post(f"/api/participants/{walk_in}/move", json={"room_id": placed["id"]})
    assert moved.status_code == 200, moved.text
    someone = await scene.person("Someone Else", room_id=placed["id"])
    answer = await scene.answer(placed["id"], walk_in, "Close the legal gap")
    their_answer = await scene.answer(placed["id"], someone.id, "Train the prosecutors")
    await _vote(scene, their_answer, walk_in)

    matched = await _match(scene, walk_in, faisal["id"])

    assert matched.status_code == 200, matched.text
    body = matched.json()
    assert (body["id"], body["display_name"], body["email"]) == (faisal["id"], "Faisal Khan", "faisal@police.example")
    assert body["room_id"] == placed["id"]  # where the person is now, with their phone
    assert sorted(entry["display_name"] for entry in await _roster(scene)) == ["Faisal Khan", "Someone Else"]
    async with scene.state.database.reading() as session:
        assert (await session.get(Answer, uuid.UUID(answer))).author_id == uuid.UUID(faisal["id"])  # type: ignore[union-attr]
        voters = await session.scalars(select(Vote.participant_id).where(Vote.answer_id == uuid.UUID(their_answer)))
        assert list(voters) == [uuid.UUID(faisal["id"])]
        assert await session.get(Participant, uuid.UUID(walk_in)) is None
    # The walk-in's phone goes on as Faisal, without signing in again.
    me = await phone.get(f"/api/meetings/{scene.meeting_id}/participants/me")
    assert me.status_code == 200 and me.json()["id"] == faisal["id"]
    events = [event for event in await scene.events(scene.staff_stream()) if event.type == "participant.matched"]
    assert [(event.payload["participant_id"], event.payload["participant"]["id"]) for event in events] == [
        (walk_in, faisal["id"])
    ]
    assert (await _match(scene, walk_in, faisal["id"])).status_code == 404  # matched already: gone


async def test_the_walk_in_fills_what_the_roster_left_blank(scene: Scene) -> None:
    entry = await scene.entry("Nasrin Akter")
    meeting = (await scene.organiser.get(f"/api/meetings/{scene.meeting_id}")).json()
    phone = await scene.client()
    joined = await phone.post(
        "/api/join",
        json={
            "code": meeting["join_code"],
            "display_name": "Nasrin",
            "email": "nasrin@ngo.example",
            "organisation": "Civil society forum",
            "gender": "female",
        },
    )
    matched = await _match(scene, joined.json()["participant_id"], entry["id"])

    assert matched.status_code == 200, matched.text
    body = matched.json()
    assert (body["display_name"], body["email"], body["organisation"], body["gender"]) == (
        "Nasrin Akter",
        "nasrin@ngo.example",
        "Civil society forum",
        "female",
    )


async def test_two_people_who_upvoted_the_same_answer_are_not_merged(scene: Scene) -> None:
    room = await scene.room("Room 1")
    faisal = await scene.person("Faisal Khan", room_id=room["id"])
    _, walk_in = await _walk_in(scene, "Faisal")
    answer = await scene.answer(room["id"], faisal.id)
    await _vote(scene, answer, walk_in)
    await _vote(scene, answer, faisal.id)

    refused = await _match(scene, walk_in, faisal.id)

    assert refused.status_code == 409
    assert refused.json()["code"] == "match_conflict"
    assert refused.json()["details"] == {"answer_ids": [answer]}
    assert len(await _roster(scene)) == 2  # nothing changed


async def test_bad_matches_are_refused_in_the_error_shape_and_change_nothing(scene: Scene) -> None:
    room = await scene.room("Room 1")
    moderator = await scene.entry("Maya Moderator", role="moderator", room_id=room["id"])
    erased = await scene.entry("Gone Person")
    await scene.organiser.post(f"/api/participants/{erased['id']}/erase", json={"reason": "asked"})
    entry = await scene.entry("Faisal Khan")
    phone, walk_in = await _walk_in(scene, "Faisal")
    stranger = await scene.stranger()
    elsewhere = (await stranger.get("/api/meetings")).json()[0]["id"]
    foreign = await stranger.post(f"/api/meetings/{elsewhere}/participants", json={"display_name": "Elsewhere"})

    cases = [
        (await _match(scene, walk_in, walk_in), 422, "invalid"),
        (await _match(scene, walk_in, foreign.json()["id"]), 422, "invalid"),
        (await _match(scene, walk_in, str(uuid.uuid4())), 422, "invalid"),
        (await _match(scene, str(uuid.uuid4()), entry["id"]), 404, "not_found"),
        (await _match(scene, walk_in, moderator["id"]), 409, "not_a_participant"),
        (await _match(scene, walk_in, erased["id"]), 409, "erased"),
        (await _match(scene, walk_in, entry["id"], http=phone), 403, "forbidden"),
        (await _match(scene, walk_in, entry["id"], http=stranger), 404, "not_found"),
        (await _match(scene, walk_in, entry["id"], http=await scene.client()), 401, "not_authenticated"),
        (await scene.organiser.post(f"/api/participants/{walk_in}/match", json={"roster_entry_id": "x"}), 422, None),
        (await scene.organiser.post(f"/api/participants/{walk_in}/match", json={}), 422, None),
    ]
    for response, status, code in cases:
        assert response.status_code == status, response.text
        assert set(response.json()) == {"code", "message", "details"}
        if code is not None:
            assert response.json()["code"] == code, response.text
    assert len(await _roster(scene)) == 4  # the moderator, the erased entry, Faisal and the walk-in


async def test_a_match_racing_a_move_leaves_one_person_in_one_room(scene: Scene) -> None:
    room_a, room_b = await scene.room("Room A"), await scene.room("Room B")
    for attempt in range(6):
        entry = await scene.entry(f"Roster person {attempt}", room_id=room_a["id"])
        _, walk_in = await _walk_in(scene, f"Walk-in {attempt}")
        matched, moved = await asyncio.gather(
            _match(scene, walk_in, entry["id"]),
            scene.organiser.post(f"/api/participants/{walk_in}/move", json={"room_id": room_b["id"]}),
        )
        assert matched.status_code == 200, matched.text
        assert moved.status_code in (200, 404), moved.text  # before the match, or after it: nobody left
        async with scene.state.database.reading() as session:
            people = list(
                await session.scalars(
                    select(Participant).where(Participant.id.in_([uuid.UUID(walk_in), uuid.UUID(entry["id"])]))
                )
            )
        assert [str(person.id) for person in people] == [entry["id"]]
        expected = room_b["id"] if moved.status_code == 200 else room_a["id"]
        assert str(people[0].room_id) == expected
