"""Deadlines without waiting: move one into the past, then run the server's sweep once, as its
background loop (``app.meetings.countdown``) would."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from app.meetings.models import Meeting
from app.meetings.service import close_due_breakouts
from app.realtime.outbox import unit_of_work
from tests.questions.staging import Stage


async def sweep(stage: Stage) -> int:
    async with unit_of_work(stage.state.database.write_sessions, stage.state.bus) as uow:
        return await close_due_breakouts(uow)


async def pass_deadlines(stage: Stage, **deadlines: datetime) -> None:
    async with stage.state.database.write_sessions() as session:
        await session.execute(update(Meeting).where(Meeting.id == uuid.UUID(stage.meeting_id)).values(**deadlines))
        await session.commit()


def just_past() -> datetime:
    return datetime.now(UTC) - timedelta(seconds=1)
