from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.live.models import SocketTicket
from app.rooms.models import Room


async def take_ticket(session: AsyncSession, token_hash: str) -> SocketTicket | None:
    """Delete the ticket and return what it was: of two processes redeeming it, one gets it."""
    row = (
        await session.execute(
            delete(SocketTicket)
            .where(SocketTicket.token_hash == token_hash)
            .returning(
                SocketTicket.token_hash,
                SocketTicket.meeting_id,
                SocketTicket.account_id,
                SocketTicket.participant_id,
                SocketTicket.projector_token_id,
                SocketTicket.account_session_id,
                SocketTicket.participant_session_id,
                SocketTicket.expires_at,
            )
        )
    ).first()
    if row is None:
        return None
    return SocketTicket(
        token_hash=row.token_hash,
        meeting_id=row.meeting_id,
        account_id=row.account_id,
        projector_token_id=row.projector_token_id,
        participant_id=row.participant_id,
        account_session_id=row.account_session_id,
        participant_session_id=row.participant_session_id,
        expires_at=row.expires_at,
    )


async def prune_tickets(session: AsyncSession, now: datetime) -> None:
    await session.execute(delete(SocketTicket).where(SocketTicket.expires_at <= now))


async def room_ids_of(session: AsyncSession, meeting_id: uuid.UUID) -> list[uuid.UUID]:
    rows = await session.scalars(select(Room.id).where(Room.meeting_id == meeting_id).order_by(Room.position))
    return list(rows)
