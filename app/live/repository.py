from __future__ import annotations

import uuid
from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.rooms.models import Room


async def room_ids_of(session: AsyncSession, meeting_id: uuid.UUID) -> list[uuid.UUID]:
    rows = await session.scalars(select(Room.id).where(Room.meeting_id == meeting_id).order_by(Room.position))
    return list(rows)


async def room_ids_of_meetings(
    session: AsyncSession, meeting_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, list[uuid.UUID]]:
    """Each meeting's rooms in their order (``room_ids_of`` for many meetings in one statement)."""
    rooms: dict[uuid.UUID, list[uuid.UUID]] = {meeting_id: [] for meeting_id in meeting_ids}
    rows = await session.execute(
        select(Room.meeting_id, Room.id).where(Room.meeting_id.in_(rooms)).order_by(Room.position)
    )
    for meeting_id, room_id in rows:
        rooms[meeting_id].append(room_id)
    return rooms
