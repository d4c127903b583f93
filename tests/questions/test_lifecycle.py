from __future__ import annotations

import uuid

from pydantic import BaseModel

from app.auth.access import Actor
from app.questions.socket import SOCKET_COMMANDS
from app.realtime.outbox import unit_of_work
from app.realtime.protocol import QuestionClose, QuestionPush
from tests.questions.staging import Stage


async def test_a_question_goes_pending_live_closed_with_events(stage: Stage) -> None:
    question = await stage.question(code="S1")
    await stage.allocate(question["id"], 0)
    moderator = await stage.moderator(0)
    base = f"/api/rooms/{stage.rooms[0]}/questions/{question['id']}"

    pushed = await moderator.http.post(f"{base}/push")
    closed = await moderator.http.post(f"{base}/close")

    assert pushed.status_code == 200, pushed.text
    assert pushed.json()["state"] == "live"
    assert pushed.json()["pushed_at"] is not None
    assert closed.status_code == 200
    assert closed.json()["state"] == "closed"
    assert closed.json()["closed_at"] is not None
    [push_event] = await stage.events("question.pushed")
    assert push_event.stream == f"room:{stage.rooms[0]}"
    assert push_event.payload["question"]["code"] == "S1"
    assert push_event.payload["allocation"]["state"] == "live"
    [close_event] = await stage.events("question.closed")
    assert close_event.payload["allocation"]["state"] == "closed"
    assert close_event.payload["answers"] == []
    progress = await stage.events("room.progress", f"staff:{stage.meeting_id}")
    assert [event.payload["progress"]["question_id"] for event in progress] == [question["id"], None]


async def test_one_live_question_per_room_and_no_going_back(stage: Stage) -> None:
    first = await stage.question(code="S1")
    second = await stage.question(code="S2")
    await stage.allocate(first["id"], 0, 1)
    await stage.allocate(second["id"], 0)
    room = f"/api/rooms/{stage.rooms[0]}/questions"

    await stage.push(first["id"], 0)
    other_live = await stage.organiser.post(f"{room}/{second['id']}/push")
    again = await stage.organiser.post(f"{room}/{first['id']}/push")
    other_room = await stage.organiser.post(f"/api/rooms/{stage.rooms[1]}/questions/{first['id']}/push")
    close_pending = await stage.organiser.post(f"{room}/{second['id']}/close")
    await stage.close(first["id"], 0)
    close_again = await stage.organiser.post(f"{room}/{first['id']}/close")
    reopen = await stage.organiser.post(f"{room}/{first['id']}/push")
    second_now = await stage.organiser.post(f"{room}/{second['id']}/push")

    assert other_live.status_code == 409
    assert other_live.json()["code"] == "another_question_live"
    assert "S1" in other_live.json()["message"]
    assert other_live.json()["details"]["live_question_id"] == first["id"]
    assert again.status_code == 200  # already live: nothing changes
    assert other_room.status_code == 200  # rooms are independent
    assert close_pending.status_code == 409
    assert close_pending.json()["code"] == "question_not_live"
    assert close_again.status_code == 200
    assert close_again.json()["state"] == "closed"
    assert reopen.status_code == 409
    assert reopen.json()["code"] == "question_closed"
    assert second_now.status_code == 200
    assert len(await stage.events("question.pushed", f"room:{stage.rooms[0]}")) == 2
    assert len(await stage.events("question.closed")) == 1


async def test_pushing_needs_the_rooms_open(draft_stage: Stage) -> None:
    """Phones show a room's question only during breakouts: a push before would be live for nobody."""
    question = await draft_stage.question()
    await draft_stage.allocate(question["id"], 0)
    url = f"/api/rooms/{draft_stage.rooms[0]}/questions/{question['id']}/push"
    outcomes = {}

    for phase in ("draft", "lobby", "plenary", "breakouts"):
        if phase != "draft":
            await draft_stage.to_phase(phase)
        outcomes[phase] = await draft_stage.organiser.post(url)

    for refused in ("draft", "lobby", "plenary"):
        assert outcomes[refused].status_code == 409, refused
        assert outcomes[refused].json()["code"] == "wrong_phase"
        assert "breakouts" in outcomes[refused].json()["message"]
        assert outcomes[refused].json()["details"]["allowed"] == ["breakouts"]
    assert outcomes["breakouts"].status_code == 200
    assert len(await draft_stage.events("question.pushed")) == 1


async def test_pushing_after_the_rooms_closed_is_refused_but_closing_is_not(stage: Stage) -> None:
    first = await stage.live_question()
    second = await stage.question()
    await stage.allocate(second["id"], 0)
    await stage.to_phase("report_back")

    push = await stage.organiser.post(f"/api/rooms/{stage.rooms[0]}/questions/{second['id']}/push")
    close = await stage.organiser.post(f"/api/rooms/{stage.rooms[0]}/questions/{first['id']}/close")

    assert push.status_code == 409
    assert push.json()["code"] == "wrong_phase"
    assert close.status_code == 200


async def test_who_may_push_and_close(stage: Stage) -> None:
    question = await stage.question()
    await stage.allocate(question["id"], 0)
    participant = await stage.participant(0)
    other_moderator = await stage.moderator(1)
    observer = await stage.person("observer")
    stranger = await stage.stranger()
    push = f"/api/rooms/{stage.rooms[0]}/questions/{question['id']}/push"

    for refused in (participant.http, other_moderator.http, observer.http):
        assert (await refused.post(push)).status_code == 403
    assert (await stranger.post(push)).status_code == 404
    not_allocated = await stage.organiser.post(f"/api/rooms/{stage.rooms[1]}/questions/{question['id']}/push")
    assert not_allocated.status_code == 404
    unknown = await stage.organiser.post(f"/api/rooms/{stage.rooms[0]}/questions/{uuid.uuid4()}/push")
    assert unknown.status_code == 404
    assert await stage.events("question.pushed") == []


async def test_socket_commands_push_and_close_through_the_same_service(stage: Stage) -> None:
    question = await stage.question()
    await stage.allocate(question["id"], 0)
    moderator = await stage.moderator(0)
    actor = Actor(participant_id=uuid.UUID(moderator.id))
    room_id, question_id = uuid.UUID(stage.rooms[0]), uuid.UUID(question["id"])

    async with unit_of_work(stage.state.database.write_sessions, stage.state.bus) as uow:
        pushed = await SOCKET_COMMANDS["question.push"](
            uow, actor, QuestionPush(id="c-1", type="question.push", room_id=room_id, question_id=question_id)
        )
    async with unit_of_work(stage.state.database.write_sessions, stage.state.bus) as uow:
        closed = await SOCKET_COMMANDS["question.close"](
            uow, actor, QuestionClose(id="c-2", type="question.close", room_id=room_id, question_id=question_id)
        )

    assert isinstance(pushed, BaseModel)
    assert isinstance(closed, BaseModel)
    assert pushed.model_dump()["state"] == "live"
    assert closed.model_dump()["state"] == "closed"
    assert len(await stage.events("question.pushed")) == 1
    assert len(await stage.events("question.closed")) == 1
