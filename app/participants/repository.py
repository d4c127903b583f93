from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.participants.models import Participant
from app.rooms.models import RoomModerator
from app.vocabulary import Role


async def roster_of(session: AsyncSession, meeting_id: uuid.UUID) -> list[Participant]:
    rows = await session.scalars(
        select(Participant)
        .where(Participant.meeting_id == meeting_id)
        .order_by(Participant.created_at, Participant.display_name, Participant.id)
    )
    return list(rows)


async def roster_of_rooms(
    session: AsyncSession, meeting_id: uuid.UUID, room_ids: frozenset[uuid.UUID]
) -> list[Participant]:
    """Everyone placed in these rooms or moderating one of them (erased people have left)."""
    if not room_ids:
        return []
    moderating = select(RoomModerator.participant_id).where(RoomModerator.room_id.in_(room_ids))
    rows = await session.scalars(
        select(Participant)
        .where(
            Participant.meeting_id == meeting_id,
            Participant.erased_at.is_(None),
            Participant.room_id.in_(room_ids) | Participant.id.in_(moderating),
        )
        .order_by(Participant.created_at, Participant.display_name, Participant.id)
    )
    return list(rows)


async def by_import_key(session: AsyncSession, meeting_id: uuid.UUID) -> dict[str, Participant]:
    rows = await session.scalars(
        select(Participant).where(Participant.meeting_id == meeting_id, Participant.import_key.is_not(None))
    )
    return {participant.import_key: participant for participant in rows if participant.import_key is not None}


async def import_key_taken(
    session: AsyncSession, meeting_id: uuid.UUID, import_key: str, except_id: uuid.UUID | None
) -> bool:
    found = await session.scalar(
        select(Participant.id).where(Participant.meeting_id == meeting_id, Participant.import_key == import_key)
    )
    return found is not None and found != except_id


async def assignable_participants(session: AsyncSession, meeting_id: uuid.UUID) -> list[Participant]:
    """Who a balanced assignment places: people with role participant who have not been erased."""
    rows = await session.scalars(
        select(Participant)
        .where(
            Participant.meeting_id == meeting_id,
            Participant.role == Role.PARTICIPANT,
            Participant.erased_at.is_(None),
        )
        .order_by(Participant.id)
    )
    return list(rows)


async def pseudonyms_of(session: AsyncSession, meeting_id: uuid.UUID) -> set[str]:
    return set(await session.scalars(select(Participant.pseudonym).where(Participant.meeting_id == meeting_id)))


async def by_email_for_update(session: AsyncSession, meeting_id: uuid.UUID, email: str) -> list[Participant]:
    """The meeting's entries with this address, locked until commit so that two joins racing for
    one of them cannot both take it."""
    rows = await session.scalars(
        select(Participant)
        .where(Participant.meeting_id == meeting_id, func.lower(Participant.email) == email.strip().lower())
        .order_by(Participant.id)
        .with_for_update()
    )
    return list(rows)
