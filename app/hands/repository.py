from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.hands.models import RaisedHand
from app.participants.models import Participant


async def hand_for_update(session: AsyncSession, hand_id: uuid.UUID) -> RaisedHand | None:
    """Locks the row on PostgreSQL so that a lower and an answer of one hand never interleave."""
    statement = (
        select(RaisedHand).where(RaisedHand.id == hand_id).with_for_update().execution_options(populate_existing=True)
    )
    return (await session.scalars(statement)).one_or_none()


async def open_hand_of(session: AsyncSession, participant_id: uuid.UUID) -> RaisedHand | None:
    return await session.scalar(select(RaisedHand).where(RaisedHand.open_participant_id == participant_id))


async def open_hands(
    session: AsyncSession,
    *,
    meeting_id: uuid.UUID | None = None,
    room_id: uuid.UUID | None = None,
    participant_id: uuid.UUID | None = None,
) -> list[tuple[RaisedHand, Participant]]:
    """The hands up, with their owners, oldest first, narrowed by the ids given."""
    statement = (
        select(RaisedHand, Participant)
        .join(Participant, Participant.id == RaisedHand.participant_id)
        .where(RaisedHand.open_participant_id.is_not(None))
        .order_by(RaisedHand.created_at, RaisedHand.id)
    )
    if meeting_id is not None:
        statement = statement.where(RaisedHand.meeting_id == meeting_id)
    if room_id is not None:
        statement = statement.where(RaisedHand.room_id == room_id)
    if participant_id is not None:
        statement = statement.where(RaisedHand.participant_id == participant_id)
    return [(hand, person) for hand, person in await session.execute(statement)]
