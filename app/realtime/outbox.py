"""The unit of work: one transaction per command, its events written inside it, published after it.

A command's changes and its events commit together or not at all; the bus hears of them only
after the commit succeeded, so no subscriber ever sees an event that was rolled back.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.realtime.bus import Bus
from app.realtime.eventlog import CommittedEvent, EventRecord, append_event


class UnitOfWork:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.pending: list[EventRecord] = []

    async def emit(
        self,
        stream: str,
        meeting_id: uuid.UUID,
        type: str,
        payload: dict[str, Any],
        staff_payload: dict[str, Any] | None = None,
    ) -> EventRecord:
        record = await append_event(
            self.session,
            stream=stream,
            meeting_id=meeting_id,
            type=type,
            payload=payload,
            staff_payload=staff_payload,
        )
        self.pending.append(record)
        return record


@asynccontextmanager
async def unit_of_work(sessions: async_sessionmaker[AsyncSession], bus: Bus) -> AsyncIterator[UnitOfWork]:
    """Commit on success, roll back on any error, then publish what was committed."""
    async with sessions() as session:
        uow = UnitOfWork(session)
        try:
            yield uow
            await session.flush()
            committed = [CommittedEvent.of(record) for record in uow.pending]
            await session.commit()
        except BaseException:
            await session.rollback()
            raise
    if committed:
        await bus.publish(committed)
