from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.meetings.models import AgendaItem, Meeting


async def agenda_of(session: AsyncSession, meeting_id: uuid.UUID) -> list[AgendaItem]:
    rows = await session.scalars(
        select(AgendaItem).where(AgendaItem.meeting_id == meeting_id).order_by(AgendaItem.position, AgendaItem.id)
    )
    return list(rows)


async def meetings_owned_by(session: AsyncSession, account_id: uuid.UUID) -> list[Meeting]:
    rows = await session.scalars(
        select(Meeting).where(Meeting.owner_id == account_id).order_by(Meeting.created_at.desc())
    )
    return list(rows)


def _due(now: datetime) -> ColumnElement[bool]:
    """A breakouts countdown has ended, or the breakouts reached their planned end."""
    return or_(
        and_(Meeting.breakouts_close_at.is_not(None), Meeting.breakouts_close_at <= now),
        and_(Meeting.breakouts_end_at.is_not(None), Meeting.breakouts_end_at <= now),
    )


async def breakouts_due(session: AsyncSession, now: datetime) -> list[Meeting]:
    """Meetings whose breakouts are due to close or to start closing, locked for the caller's
    transaction (re-read: a cancel may have committed since the caller last looked)."""
    rows = await session.scalars(
        select(Meeting).where(_due(now)).with_for_update(skip_locked=True).execution_options(populate_existing=True)
    )
    return list(rows)


async def any_breakouts_due(session: AsyncSession, now: datetime) -> bool:
    due = select(Meeting.id).where(_due(now))
    return await session.scalar(due.limit(1)) is not None


async def join_code_taken(session: AsyncSession, code: str) -> bool:
    return await session.scalar(select(Meeting.id).where(Meeting.join_code == code)) is not None
