from __future__ import annotations

import uuid

from app.rooms.models import Room
from tests.questions.staging import Stage


async def test_allocating_to_rooms_keeps_state_and_tells_each_changed_room(stage: Stage) -> None:
    first = await stage.question(code="S1")
    second = await stage.question(code="S2")
    await stage.allocate(second["id"], 0)
    await stage.allocate(first["id"], 0, 1)
    await stage.push(first["id"], 0)
    before = len(await stage.events("question.allocated"))

    kept = await stage.allocate(first["id"], 0, 2)

    assert [(a["room_id"], a["state"]) for a in kept] == [(stage.rooms[0], "live"), (stage.rooms[2], "pending")]
    room_0 = (await stage.organiser.get(f"/api/rooms/{stage.rooms[0]}/questions")).json()
    assert [q["code"] for q in room_0["questions"]] == ["S2", "S1"]  # S1 came second, so it stays second
    assert [a["state"] for a in room_0["allocations"]] == ["pending", "live"]
    room_1 = (await stage.organiser.get(f"/api/rooms/{stage.rooms[1]}/questions")).json()
    assert room_1["allocations"] == []
    events = (await stage.events("question.allocated"))[before:]
    assert sorted(event.stream for event in events) == sorted([f"room:{stage.rooms[1]}", f"room:{stage.rooms[2]}"])
    added = next(event for event in events if event.stream == f"room:{stage.rooms[2]}")
    assert added.payload["room_id"] == stage.rooms[2]
    assert [q["code"] for q in added.payload["questions"]] == ["S1"]


async def test_an_allocation_that_is_live_or_answered_cannot_be_removed(stage: Stage) -> None:
    question = await stage.question(code="S1")
    await stage.allocate(question["id"], 0, 1)
    await stage.push(question["id"], 0)
    url = f"/api/questions/{question['id']}/allocations"

    live = await stage.organiser.put(url, json={"room_ids": [stage.rooms[1]]})
    participant = await stage.participant(0)
    answered = await participant.http.post(
        f"/api/rooms/{stage.rooms[0]}/questions/{question['id']}/answers", json={"client_id": "a1", "text": "Yes"}
    )
    assert answered.status_code == 201
    await stage.close(question["id"], 0)
    with_answers = await stage.organiser.put(url, json={"room_ids": [stage.rooms[1]]})
    pending_removed = await stage.organiser.put(url, json={"room_ids": [stage.rooms[0]]})

    assert live.status_code == 409
    assert live.json()["code"] == "allocation_live"
    assert "S1" in live.json()["message"]
    assert with_answers.status_code == 409
    assert with_answers.json()["code"] == "allocation_answered"
    assert pending_removed.status_code == 200
    assert [a["room_id"] for a in pending_removed.json()] == [stage.rooms[0]]


async def test_allocating_to_unknown_or_repeated_rooms_is_refused(stage: Stage) -> None:
    question = await stage.question()
    url = f"/api/questions/{question['id']}/allocations"

    unknown = await stage.organiser.put(url, json={"room_ids": [str(uuid.uuid4())]})
    repeated = await stage.organiser.put(url, json={"room_ids": [stage.rooms[0], stage.rooms[0]]})
    not_a_list = await stage.organiser.put(url, json={"room_ids": "all"})

    assert unknown.status_code == 422
    assert unknown.json()["message"].startswith("room_ids")
    assert repeated.status_code == 422
    assert not_a_list.status_code == 422
    assert (await stage.organiser.get(f"/api/rooms/{stage.rooms[0]}/questions")).json()["allocations"] == []


async def test_a_room_of_another_meeting_is_refused(stage: Stage) -> None:
    other = await stage.organiser.post("/api/meetings", json={"title": "Another meeting"})
    assert other.status_code == 201
    question = await stage.question()
    async with stage.state.database.write_sessions() as session:
        room = Room(meeting_id=uuid.UUID(other.json()["id"]), name="Elsewhere")
        session.add(room)
        await session.commit()

    response = await stage.organiser.put(
        f"/api/questions/{question['id']}/allocations", json={"room_ids": [str(room.id)]}
    )

    assert response.status_code == 422
    assert "no room" in response.json()["message"]


async def test_the_rooms_moderator_orders_its_questions(stage: Stage) -> None:
    codes = ["S1", "S2", "S3"]
    questions = [await stage.question(code=code) for code in codes]
    for question in questions:
        await stage.allocate(question["id"], 0)
    moderator = await stage.moderator(0)
    other_moderator = await stage.moderator(1)
    participant = await stage.participant(0)
    url = f"/api/rooms/{stage.rooms[0]}/questions/order"
    reversed_ids = [q["id"] for q in reversed(questions)]

    ordered = await moderator.http.put(url, json={"question_ids": reversed_ids})

    assert ordered.status_code == 200, ordered.text
    assert [q["code"] for q in ordered.json()["questions"]] == ["S3", "S2", "S1"]
    assert [a["position"] for a in ordered.json()["allocations"]] == [0, 1, 2]
    read = (await participant.http.get(f"/api/rooms/{stage.rooms[0]}/questions")).json()
    assert [q["code"] for q in read["questions"]] == ["S3", "S2", "S1"]
    event = (await stage.events("question.allocated", f"room:{stage.rooms[0]}"))[-1]
    assert [q["code"] for q in event.payload["questions"]] == ["S3", "S2", "S1"]
    assert (await other_moderator.http.put(url, json={"question_ids": reversed_ids})).status_code == 403
    assert (await participant.http.put(url, json={"question_ids": reversed_ids})).status_code == 403
    for bad in (reversed_ids[:2], [*reversed_ids, str(uuid.uuid4())], [reversed_ids[0], *reversed_ids[:2]]):
        response = await moderator.http.put(url, json={"question_ids": bad})
        assert response.status_code == 422, bad
        assert response.json()["message"].startswith("question_ids")


async def test_who_reads_a_rooms_questions(stage: Stage) -> None:
    question = await stage.question()
    await stage.allocate(question["id"], 0)
    url = f"/api/rooms/{stage.rooms[0]}/questions"
    member = await stage.participant(0)
    elsewhere = await stage.participant(1)
    moderator = await stage.moderator(0)
    observer = await stage.person("observer")
    stranger = await stage.stranger()

    for reader in (member.http, moderator.http, observer.http, stage.organiser):
        response = await reader.get(url)
        assert response.status_code == 200
        assert response.json()["questions"][0]["id"] == question["id"]
    assert (await elsewhere.http.get(url)).status_code == 403
    assert (await stranger.get(url)).status_code == 404
    assert (await stage.organiser.get(f"/api/rooms/{uuid.uuid4()}/questions")).status_code == 404
    assert (
        await member.http.put(f"/api/questions/{question['id']}/allocations", json={"room_ids": []})
    ).status_code == 403
