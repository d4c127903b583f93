"""The reports' own reads (other features' tables, read only): the agenda, when the meeting was
held (from its event log), and the meeting a report link names."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.models import Account
from app.meetings.models import AgendaItem, Meeting
from app.realtime.eventlog import EventRecord, meeting_stream
from app.vocabulary import Phase


async def agenda_of(session: AsyncSession, meeting_id: uuid.UUID) -> list[AgendaItem]:
    rows = await session.scalars(
        select(AgendaItem).where(AgendaItem.meeting_id == meeting_id).order_by(AgendaItem.position, AgendaItem.id)
    )
    return list(rows)


async def held_at(session: AsyncSession, meeting_id: uuid.UUID) -> datetime | None:
    """When the meeting first opened its plenary (left the lobby): the day it was held.

    None if it has not yet, or if that event was pruned from the log.
    """
    rows = await session.execute(
        select(EventRecord.created_at, EventRecord.payload)
        .where(EventRecord.stream == meeting_stream(meeting_id), EventRecord.type == "meeting.phase_changed")
        .order_by(EventRecord.seq)
    )
    for created_at, payload in rows:
        if isinstance(payload, dict) and payload.get("phase") == Phase.PLENARY.value:
            found: datetime = created_at
            return found
    return None


async def meeting_by_report_token(session: AsyncSession, token_id: uuid.UUID) -> Meeting | None:
    found: Meeting | None = await session.scalar(select(Meeting).where(Meeting.report_token_id == token_id))
    return found


async def organiser_name(session: AsyncSession, meeting: Meeting) -> str:
    """The display name of the meeting's owner (the report's organisation when the roster names none)."""
    name: str | None = await session.scalar(select(Account.display_name).where(Account.id == meeting.owner_id))
    return name or ""
