"""Presence rows: one per open socket, in the database so that every process sees every socket.

Each process refreshes the ``last_seen`` of its own rows every ``PRESENCE_HEARTBEAT_S``. A row
whose process died stops being refreshed and counts as gone after ``PRESENCE_TIMEOUT_S``; that is
how presence converges after a node dies. Closing a socket marks its row closed (its
``last_seen`` is when the person was last there). Sockets open and close in crowds (a reconnect
storm), so the live door writes these rows in batches. Nothing here has a seq: presence is
ephemeral.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ForeignKey, String, case, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from app.database import Base, IdMixin, utcnow
from app.realtime.limits import PRESENCE_TIMEOUT_S


class LiveConnection(IdMixin, Base):
    __tablename__ = "live_connections"

    process_id: Mapped[str] = mapped_column(String(32), index=True)
    actor_key: Mapped[str] = mapped_column(String(80), index=True)
    meeting_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]


@dataclass(frozen=True, slots=True)
class PresenceMark:
    participant_id: uuid.UUID
    connected: bool
    last_seen: datetime


def _fresh_since(now: datetime) -> datetime:
    return now - timedelta(seconds=PRESENCE_TIMEOUT_S)


async def open_sockets_of(session: AsyncSession, actor_key: str) -> int:
    now = utcnow()
    count = await session.scalar(
        select(func.count())
        .select_from(LiveConnection)
        .where(
            LiveConnection.actor_key == actor_key,
            LiveConnection.closed_at.is_(None),
            LiveConnection.last_seen > _fresh_since(now),
        )
    )
    return int(count or 0)


async def record_open(
    session: AsyncSession,
    *,
    process_id: str,
    actor_key: str,
    meeting_id: uuid.UUID,
    participant_id: uuid.UUID | None,
) -> uuid.UUID:
    """Add the socket's row; the actor's closed rows go (the new row carries a later last_seen)."""
    await session.execute(
        delete(LiveConnection).where(LiveConnection.actor_key == actor_key, LiveConnection.closed_at.is_not(None))
    )
    row = LiveConnection(
        process_id=process_id, actor_key=actor_key, meeting_id=meeting_id, participant_id=participant_id
    )
    session.add(row)
    await session.flush()
    return row.id


async def record_closed(session: AsyncSession, connection_ids: Collection[uuid.UUID]) -> None:
    """Mark the rows of sockets that closed (in one statement: sockets close in crowds too)."""
    now = utcnow()
    await session.execute(
        update(LiveConnection)
        .where(LiveConnection.id.in_(connection_ids), LiveConnection.closed_at.is_(None))
        .values(closed_at=now, last_seen=now)
    )


async def refresh_process(session: AsyncSession, process_id: str) -> None:
    await session.execute(
        update(LiveConnection)
        .where(LiveConnection.process_id == process_id, LiveConnection.closed_at.is_(None))
        .values(last_seen=utcnow())
    )


async def presence_of_meeting(session: AsyncSession, meeting_id: uuid.UUID) -> list[PresenceMark]:
    fresh = _fresh_since(utcnow())
    open_and_fresh = case((LiveConnection.closed_at.is_(None) & (LiveConnection.last_seen > fresh), 1), else_=0)
    rows = await session.execute(
        select(LiveConnection.participant_id, func.max(open_and_fresh), func.max(LiveConnection.last_seen))
        .where(LiveConnection.meeting_id == meeting_id, LiveConnection.participant_id.is_not(None))
        .group_by(LiveConnection.participant_id)
    )
    return [
        PresenceMark(participant_id=participant_id, connected=bool(connected), last_seen=last_seen)
        for participant_id, connected, last_seen in rows
        if participant_id is not None
    ]


async def prune_presence(session: AsyncSession, before: datetime) -> None:
    """Forget rows last seen before ``before`` (closed long ago, or left by a dead process)."""
    await session.execute(delete(LiveConnection).where(LiveConnection.last_seen < before))
