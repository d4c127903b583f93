"""The unit of work: one transaction per command, its events written inside it, published after it.

A command's changes and its events commit together or not at all; the bus hears of them only
after the commit succeeded, so no subscriber ever sees an event that was rolled back.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.realtime.bus import Bus
from app.realtime.eventlog import CommittedEvent, EventRecord, append_event
from app.realtime.protocol import EVENT_DATA


class UnitOfWork:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.pending: list[EventRecord] = []

    async def emit(
        self,
        stream: str,
        meeting_id: uuid.UUID,
        event_type: str,
        data: BaseModel,
        staff_data: BaseModel | None = None,
    ) -> EventRecord:
        """Append an event of ``event_type`` to ``stream`` in this transaction.

        ``data`` is what every subscriber of the stream may see; ``staff_data``, when given,
        replaces it for moderators and organisers (it may name an author the peers must not see).
        Both must be instances of the model the protocol declares for ``event_type``.
        """
        expected = EVENT_DATA.get(event_type)
        if expected is None or not isinstance(data, expected):
            raise TypeError(f"event {event_type!r} takes {expected!r}, got {type(data)!r}")
        if staff_data is not None and not isinstance(staff_data, expected):
            raise TypeError(f"event {event_type!r} takes {expected!r} for staff too")
        record = await append_event(
            self.session,
            stream=stream,
            meeting_id=meeting_id,
            type=event_type,
            payload=data.model_dump(mode="json"),
            staff_payload=staff_data.model_dump(mode="json") if staff_data is not None else None,
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
