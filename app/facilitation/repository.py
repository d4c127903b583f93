from __future__ import annotations

import uuid
from collections.abc import Collection
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.facilitation.models import Broadcast, HelpRequest, Timer
from app.participants.models import Participant


async def timer_for_update(session: AsyncSession, timer_id: uuid.UUID) -> Timer | None:
    """Locks the row on PostgreSQL so that an extend and a stop of one timer never interleave."""
    return (await session.scalars(select(Timer).where(Timer.id == timer_id).with_for_update())).one_or_none()


async def running_timers(session: AsyncSession, meeting_id: uuid.UUID, now: datetime) -> list[Timer]:
    rows = await session.scalars(
        select(Timer)
        .where(Timer.meeting_id == meeting_id, Timer.stopped_at.is_(None), Timer.ends_at > now)
        .order_by(Timer.ends_at, Timer.id)
    )
    return list(rows)


async def broadcasts_of(session: AsyncSession, meeting_id: uuid.UUID) -> list[Broadcast]:
    rows = await session.scalars(
        select(Broadcast).where(Broadcast.meeting_id == meeting_id).order_by(Broadcast.created_at, Broadcast.id)
    )
    return list(rows)


async def help_for_update(session: AsyncSession, help_id: uuid.UUID) -> HelpRequest | None:
    statement = select(HelpRequest).where(HelpRequest.id == help_id).with_for_update()
    return (await session.scalars(statement)).one_or_none()


async def open_help_of_room(session: AsyncSession, room_id: uuid.UUID) -> HelpRequest | None:
    return await session.scalar(
        select(HelpRequest).where(HelpRequest.room_id == room_id, HelpRequest.resolved_at.is_(None)).limit(1)
    )


async def help_requests(
    session: AsyncSession, meeting_id: uuid.UUID, *, room_ids: Collection[uuid.UUID] | None, open: bool | None
) -> list[tuple[HelpRequest, Participant | None]]:
    """The meeting's help requests with who asked; only ``room_ids`` when given; oldest first."""
    statement = (
        select(HelpRequest, Participant)
        .outerjoin(Participant, Participant.id == HelpRequest.requested_by)
        .where(HelpRequest.meeting_id == meeting_id)
        .order_by(HelpRequest.created_at, HelpRequest.id)
    )
    if room_ids is not None:
        statement = statement.where(HelpRequest.room_id.in_(list(room_ids)))
    if open is True:
        statement = statement.where(HelpRequest.resolved_at.is_(None))
    elif open is False:
        statement = statement.where(HelpRequest.resolved_at.is_not(None))
    return [(request, participant) for request, participant in await session.execute(statement)]
