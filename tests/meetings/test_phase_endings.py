"""What a phase leaves behind when it ends: live questions, running timers, broadcasts, and the
agenda item shown as current."""

from __future__ import annotations

import uuid
from typing import Any

from app.facilitation.models import Timer
from app.questions.models import Allocation
from app.vocabulary import QuestionState
from tests.meetings.deadlines import just_past, pass_deadlines, sweep
from tests.questions.staging import Stage


async def _timer(stage: Stage, room_index: int | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"seconds": 600}
    if room_index is not None:
        body["room_id"] = stage.rooms[room_index]
    response = await stage.organiser.post(f"/api/meetings/{stage.meeting_id}/timers", json=body)
    assert response.status_code == 201, response.text
    timer: dict[str, Any] = response.json()
    return timer


async def _meeting_snapshot(stage: Stage) -> dict[str, Any]:
    response = await stage.organiser.get(
        "/api/live/snapshot", params={"meeting_id": stage.meeting_id, "stream": f"meeting:{stage.meeting_id}"}
    )
    assert response.status_code == 200, response.text
    state: dict[str, Any] = response.json()["state"]
    return state


async def test_closing_the_rooms_closes_their_live_questions_and_stops_their_timers(stage: Stage) -> None:
    first = await stage.live_question(0)
    second = await stage.live_question(1)
    room_timer = await _timer(stage, 0)
    meeting_timer = await _timer(stage)

    await stage.to_phase("report_back")

    assert await stage.count(Allocation, state=QuestionState.LIVE) == 0
    closed = await stage.events("question.closed")
    assert {(event.stream, event.payload["allocation"]["question_id"]) for event in closed} == {
        (f"room:{stage.rooms[0]}", first["id"]),
        (f"room:{stage.rooms[1]}", second["id"]),
    }
    stopped = await stage.events("timer.stopped")
    assert [event.payload["timer"]["id"] for event in stopped] == [room_timer["id"]]
    async with stage.state.database.reading() as session:
        still = await session.get(Timer, uuid.UUID(meeting_timer["id"]))
        assert still is not None and still.stopped_at is None  # the meeting's own timer runs on


async def test_closing_the_meeting_stops_every_timer(stage: Stage) -> None:
    await stage.to_phase("report_back")
    meeting_timer = await _timer(stage)

    await stage.to_phase("closed")

    stopped = await stage.events("timer.stopped")
    assert [event.payload["timer"]["id"] for event in stopped] == [meeting_timer["id"]]
    assert (await _meeting_snapshot(stage))["timers"] == []


async def test_a_countdown_ending_closes_the_questions_too(stage: Stage) -> None:
    await stage.live_question(2)
    await stage.organiser.post(f"/api/meetings/{stage.meeting_id}/phase", json={"phase": "plenary", "countdown_s": 60})
    assert await stage.count(Allocation, state=QuestionState.LIVE) == 1  # open while counting down

    await pass_deadlines(stage, breakouts_close_at=just_past())
    assert await sweep(stage) == 1

    assert await stage.count(Allocation, state=QuestionState.LIVE) == 0
    assert len(await stage.events("question.closed")) == 1


async def test_a_broadcast_ends_with_the_phase_it_was_sent_in(stage: Stage) -> None:
    url = f"/api/meetings/{stage.meeting_id}/broadcasts"
    assert (await stage.organiser.post(url, json={"message": "Round 1: ten minutes left"})).status_code == 201
    assert [b["message"] for b in (await _meeting_snapshot(stage))["broadcasts"]] == ["Round 1: ten minutes left"]

    await stage.to_phase("report_back", "breakouts")
    assert (await _meeting_snapshot(stage))["broadcasts"] == []
    assert (await stage.organiser.post(url, json={"message": "Round 2 has begun"})).status_code == 201

    assert [b["message"] for b in (await _meeting_snapshot(stage))["broadcasts"]] == ["Round 2 has begun"]
    history = (await stage.organiser.get(url)).json()
    assert [b["message"] for b in history] == ["Round 1: ten minutes left", "Round 2 has begun"]


async def test_the_current_agenda_item_follows_the_phase(draft_stage: Stage) -> None:
    stage = draft_stage
    agenda_url = f"/api/meetings/{stage.meeting_id}/agenda"
    items = {}
    for title, kind in (
        ("Welcome", "talk"),
        ("Expert input", "talk"),
        ("Round 1", "breakouts"),
        ("Report-back 1", "report_back"),
        ("Round 2", "breakouts"),
        ("Report-back 2", "report_back"),
    ):
        created = await stage.organiser.post(agenda_url, json={"title": title, "kind": kind})
        items[title] = created.json()["id"]

    async def current_after(phase: str, **extra: Any) -> str | None:
        body = {"phase": phase, **extra}
        response = await stage.organiser.post(f"/api/meetings/{stage.meeting_id}/phase", json=body)
        assert response.status_code == 200, response.text
        current: str | None = response.json()["current_item_id"]
        return current

    assert await current_after("lobby") is None  # the lobby has no kind of its own
    assert await current_after("plenary") == items["Welcome"]
    # The organiser moved on to the second talk: still a talk, so it stays.
    await stage.organiser.put(f"/api/meetings/{stage.meeting_id}/current-item", json={"item_id": items["Expert input"]})
    assert await current_after("breakouts") == items["Round 1"]
    assert await current_after("report_back") == items["Report-back 1"]
    assert await current_after("breakouts") == items["Round 2"]
    assert await current_after("report_back") == items["Report-back 2"]
    # An explicit choice wins over the phase's kind.
    assert await current_after("plenary", item_id=items["Expert input"]) == items["Expert input"]
    changed = await stage.events("meeting.phase_changed")
    assert changed[-1].payload["meeting"]["current_item_id"] == items["Expert input"]


async def test_an_agenda_item_of_another_meeting_is_refused(draft_stage: Stage) -> None:
    response = await draft_stage.organiser.post(
        f"/api/meetings/{draft_stage.meeting_id}/phase", json={"phase": "lobby", "item_id": str(uuid.uuid4())}
    )

    assert response.status_code == 422
    assert (await draft_stage.organiser.get(f"/api/meetings/{draft_stage.meeting_id}")).json()["phase"] == "draft"
