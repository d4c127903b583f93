"""Breakout timing: a planned duration, the close countdown's length, cancelling and extending it.

Deadlines are moved into the past in the database instead of waiting for them; the server's sweep
(``close_due_breakouts``) is then run as its background loop would run it.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pydantic import BaseModel

from app.auth.access import Actor
from app.meetings.socket import SOCKET_COMMANDS
from app.questions.models import Allocation
from app.realtime.outbox import unit_of_work
from app.realtime.protocol import BreakoutsCountdownCancel, BreakoutsCountdownExtend
from app.vocabulary import QuestionState
from tests.meetings.deadlines import just_past, pass_deadlines, sweep
from tests.questions.staging import Stage


def _at(value: str) -> datetime:
    return datetime.fromisoformat(value)


async def _meeting(stage: Stage) -> dict[str, Any]:
    response = await stage.organiser.get(f"/api/meetings/{stage.meeting_id}")
    body: dict[str, Any] = response.json()
    return body


async def _phase(stage: Stage, **body: Any) -> Any:
    return await stage.organiser.post(f"/api/meetings/{stage.meeting_id}/phase", json=body)


async def test_a_planned_duration_starts_the_countdown_by_itself_then_closes_the_rooms(draft_stage: Stage) -> None:
    stage = draft_stage
    await stage.to_phase("lobby", "plenary")
    before = datetime.now(UTC)
    opened = await _phase(stage, phase="breakouts", duration_s=1200, countdown_s=45)
    assert opened.status_code == 200, opened.text
    end_at = _at(opened.json()["breakouts_end_at"])
    assert before + timedelta(seconds=1199) <= end_at <= datetime.now(UTC) + timedelta(seconds=1201)
    assert opened.json()["breakouts_countdown_s"] == 45
    assert opened.json()["breakouts_close_at"] is None
    assert await sweep(stage) == 0
    assert (await _meeting(stage))["breakouts_end_at"] is not None  # not due yet

    await pass_deadlines(stage, breakouts_end_at=just_past())
    assert await sweep(stage) == 0  # the countdown starts; the rooms are still open
    counting = await _meeting(stage)
    assert counting["phase"] == "breakouts"
    assert counting["breakouts_end_at"] is None
    close_at = _at(counting["breakouts_close_at"])
    assert datetime.now(UTC) + timedelta(seconds=40) <= close_at <= datetime.now(UTC) + timedelta(seconds=46)
    closing = await stage.events("meeting.breakouts_closing")
    assert [event.payload["next_phase"] for event in closing] == ["report_back"]

    await pass_deadlines(stage, breakouts_close_at=just_past())
    assert await sweep(stage) == 1
    assert await sweep(stage) == 0  # exactly once
    after = await _meeting(stage)
    assert after["phase"] == "report_back"
    assert after["breakouts_close_at"] is None and after["breakouts_end_at"] is None


async def test_a_planned_duration_without_countdown_closes_the_rooms_at_its_end(draft_stage: Stage) -> None:
    stage = draft_stage
    await stage.to_phase("lobby", "plenary")
    assert (await _phase(stage, phase="breakouts", duration_s=60)).status_code == 200

    await pass_deadlines(stage, breakouts_end_at=just_past())

    assert await sweep(stage) == 1
    assert (await _meeting(stage))["phase"] == "report_back"


@pytest.mark.parametrize(
    "body",
    [
        {"phase": "breakouts", "duration_s": -60},
        {"phase": "breakouts", "duration_s": 0},
        {"phase": "breakouts", "duration_s": 12 * 3600 + 1},
        {"phase": "breakouts", "duration_s": "soon"},
        {"phase": "breakouts", "duration_s": 600, "countdown_s": -1},
        {"phase": "breakouts", "duration_s": 600, "countdown_s": 601},
        {"phase": "report_back", "duration_s": 600},
    ],
)
async def test_bad_timing_is_refused_and_changes_nothing(draft_stage: Stage, body: dict[str, Any]) -> None:
    stage = draft_stage
    await stage.to_phase("lobby", "plenary")
    refused = await _phase(stage, **body)
    assert refused.status_code == 422, refused.text
    assert set(refused.json()) >= {"code", "message", "details"}
    after = await _meeting(stage)
    assert after["phase"] == "plenary"
    assert after["breakouts_end_at"] is None


async def test_cancelling_the_countdown_keeps_the_rooms_open_and_tells_everyone(stage: Stage) -> None:
    question = await stage.live_question()
    assert (await _phase(stage, phase="report_back", countdown_s=60)).status_code == 200

    cancelled = await stage.organiser.post(f"/api/meetings/{stage.meeting_id}/countdown/cancel")

    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["phase"] == "breakouts"
    assert cancelled.json()["breakouts_close_at"] is None
    told = await stage.events("meeting.breakouts_timing_changed")
    assert len(told) == 1 and told[0].payload["meeting"]["breakouts_close_at"] is None
    assert await sweep(stage) == 0
    assert await stage.count(Allocation, question_id=uuid.UUID(question["id"]), state=QuestionState.LIVE) == 1

    again = await stage.organiser.post(f"/api/meetings/{stage.meeting_id}/countdown/cancel")
    assert again.status_code == 409
    assert again.json()["code"] == "no_countdown"


async def test_cancelling_a_planned_end_stops_the_automatic_close(draft_stage: Stage) -> None:
    stage = draft_stage
    await stage.to_phase("lobby", "plenary")
    await _phase(stage, phase="breakouts", duration_s=300, countdown_s=30)

    cancelled = await stage.organiser.post(f"/api/meetings/{stage.meeting_id}/countdown/cancel")

    assert cancelled.status_code == 200
    assert cancelled.json()["breakouts_end_at"] is None
    assert await sweep(stage) == 0
    assert (await _meeting(stage))["phase"] == "breakouts"


async def test_extending_moves_the_deadline_everyone_counts_down_to(stage: Stage) -> None:
    started = await _phase(stage, phase="plenary", countdown_s=60)
    close_at = _at(started.json()["breakouts_close_at"])

    extended = await stage.organiser.post(f"/api/meetings/{stage.meeting_id}/countdown/extend", json={"seconds": 120})

    assert extended.status_code == 200, extended.text
    assert _at(extended.json()["breakouts_close_at"]) == close_at + timedelta(seconds=120)
    told = await stage.events("meeting.breakouts_timing_changed")
    assert _at(told[-1].payload["meeting"]["breakouts_close_at"]) == close_at + timedelta(seconds=120)
    assert (await _meeting(stage))["phase"] == "breakouts"


async def test_extending_a_planned_end_moves_it(draft_stage: Stage) -> None:
    stage = draft_stage
    await stage.to_phase("lobby", "plenary")
    opened = await _phase(stage, phase="breakouts", duration_s=600)
    end_at = _at(opened.json()["breakouts_end_at"])

    extended = await stage.organiser.post(f"/api/meetings/{stage.meeting_id}/countdown/extend", json={"seconds": 300})

    assert _at(extended.json()["breakouts_end_at"]) == end_at + timedelta(seconds=300)


@pytest.mark.parametrize("seconds", [0, -30, 3601, "more", None])
async def test_a_bad_extension_is_refused(stage: Stage, seconds: Any) -> None:
    await _phase(stage, phase="report_back", countdown_s=60)
    before = (await _meeting(stage))["breakouts_close_at"]

    refused = await stage.organiser.post(
        f"/api/meetings/{stage.meeting_id}/countdown/extend", json={"seconds": seconds}
    )

    assert refused.status_code == 422
    assert (await _meeting(stage))["breakouts_close_at"] == before


async def test_a_countdown_may_not_be_extended_past_ten_minutes(stage: Stage) -> None:
    await _phase(stage, phase="report_back", countdown_s=500)
    before = (await _meeting(stage))["breakouts_close_at"]

    refused = await stage.organiser.post(f"/api/meetings/{stage.meeting_id}/countdown/extend", json={"seconds": 200})

    assert refused.status_code == 422
    assert refused.json()["details"]["max_s"] == 600
    assert (await _meeting(stage))["breakouts_close_at"] == before
    assert await stage.events("meeting.breakouts_timing_changed") == []


async def test_cancel_or_extend_without_a_countdown_is_a_conflict(stage: Stage) -> None:
    url = f"/api/meetings/{stage.meeting_id}/countdown"
    cancel = await stage.organiser.post(f"{url}/cancel")
    extend = await stage.organiser.post(f"{url}/extend", json={"seconds": 60})
    await stage.to_phase("report_back")
    after_rooms = await stage.organiser.post(f"{url}/cancel")

    for refused in (cancel, extend, after_rooms):
        assert refused.status_code == 409
        assert refused.json()["code"] == "no_countdown"
        assert refused.json()["message"]
    assert await stage.events("meeting.breakouts_timing_changed") == []


async def test_a_cancel_racing_the_deadline_leaves_the_meeting_whole(stage: Stage) -> None:
    """Either the cancel wins (rooms open, question live) or the close does (report-back, question
    closed, the cancel refused): never a phase change with live questions or a countdown left."""
    question = await stage.live_question()
    await _phase(stage, phase="report_back", countdown_s=60)
    await pass_deadlines(stage, breakouts_close_at=just_past())

    cancel, closed = await asyncio.gather(
        stage.organiser.post(f"/api/meetings/{stage.meeting_id}/countdown/cancel"), sweep(stage)
    )

    after = await _meeting(stage)
    live = await stage.count(Allocation, question_id=uuid.UUID(question["id"]), state=QuestionState.LIVE)
    assert after["breakouts_close_at"] is None
    if cancel.status_code == 200:
        assert closed == 0
        assert (after["phase"], live) == ("breakouts", 1)
        assert await sweep(stage) == 0
    else:
        assert cancel.json()["code"] == "no_countdown"
        assert closed == 1
        assert (after["phase"], live) == ("report_back", 0)
    assert len(await stage.events("meeting.phase_changed")) == 3 + (cancel.status_code != 200)


async def test_socket_doors_cancel_and_extend_through_the_same_service(stage: Stage) -> None:
    me = (await stage.organiser.get("/api/auth/me")).json()
    actor = Actor(account_id=uuid.UUID(me["account"]["account_id"]))
    meeting_id = uuid.UUID(stage.meeting_id)
    await _phase(stage, phase="report_back", countdown_s=60)

    async def run(command: BreakoutsCountdownCancel | BreakoutsCountdownExtend) -> BaseModel:
        async with unit_of_work(stage.state.database.write_sessions, stage.state.bus) as uow:
            result = await SOCKET_COMMANDS[command.type](uow, actor, command)
        assert isinstance(result, BaseModel)
        return result

    extended = await run(
        BreakoutsCountdownExtend(id="c-1", type="meeting.extend_countdown", meeting_id=meeting_id, seconds=30)
    )
    cancelled = await run(BreakoutsCountdownCancel(id="c-2", type="meeting.cancel_countdown", meeting_id=meeting_id))

    assert extended.model_dump()["breakouts_close_at"] is not None
    assert cancelled.model_dump()["breakouts_close_at"] is None
    assert len(await stage.events("meeting.breakouts_timing_changed")) == 2


async def test_a_moderator_may_not_cancel_or_extend(stage: Stage) -> None:
    moderator = await stage.moderator(0)
    await _phase(stage, phase="report_back", countdown_s=60)
    url = f"/api/meetings/{stage.meeting_id}/countdown"

    assert (await moderator.http.post(f"{url}/cancel")).status_code == 403
    assert (await moderator.http.post(f"{url}/extend", json={"seconds": 60})).status_code == 403
    assert (await _meeting(stage))["breakouts_close_at"] is not None
