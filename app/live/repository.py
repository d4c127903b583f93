from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.rooms.models import Room


async def room_ids_of(session: AsyncSession, meeting_id: uuid.UUID) -> list[uuid.UUID]:
    rows = await session.scalars(select(Room.id).where(Room.meeting_id == meeting_id).order_by(Room.position))
    return list(rows)
