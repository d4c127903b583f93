"""The unit of work: one transaction per command, its events written inside it, published after it.

A command's changes and its events commit together or not at all; the bus hears of them only
after the commit succeeded, so no subscriber ever sees an event that was rolled back. Sessions
revoked in the transaction are announced the same way, after the commit.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar, cast

from pydantic import BaseModel
from sqlalchemy import Executable, Table, insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.database import execute_direct, utcnow
from app.realtime.bus import Bus
from app.realtime.eventlog import CommittedEvent, EventRecord, reserve_many_seqs
from app.realtime.protocol import EVENT_DATA

Written = TypeVar("Written")


class WritePipeline(Protocol):
    """The process's write pipeline (``app.live.commands.CommandDispatcher``) as a service sees it."""

    async def write(self, work: Callable[[UnitOfWork], Awaitable[Written]]) -> Written:
        """Run ``work`` in the next batch's transaction, in a savepoint of its own; its result
        after the commit (and its events published), or what it raised (its writes rolled back)."""
        ...


@dataclass(slots=True)
class PendingEvent:
    stream: str
    meeting_id: uuid.UUID
    type: str
    payload: dict[str, Any]
    staff_payload: dict[str, Any] | None


class UnitOfWork:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.pending: list[PendingEvent] = []
        self.written: list[CommittedEvent] = []
        self.revoked_sessions: set[uuid.UUID] = set()
        # The events of the commit, for ``publish``.
        self.committed: list[CommittedEvent] = []

    def revoke_sessions(self, session_ids: Iterable[uuid.UUID]) -> None:
        """Once this transaction commits, tell every process that these sessions were revoked:
        each closes the sockets they opened (their revocation is written by the caller)."""
        self.revoked_sessions.update(session_ids)

    async def emit(
        self,
        stream: str,
        meeting_id: uuid.UUID,
        event_type: str,
        data: BaseModel,
        staff_data: BaseModel | None = None,
    ) -> None:
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
        self.pending.append(
            PendingEvent(
                stream=stream,
                meeting_id=meeting_id,
                type=event_type,
                payload=data.model_dump(mode="json"),
                staff_payload=staff_data.model_dump(mode="json") if staff_data is not None else None,
            )
        )

    async def write_events(self) -> list[CommittedEvent]:
        """Number and insert the pending events: streams in name order (no deadlocks between
        commands), each stream's events in the order they were emitted."""
        by_stream: dict[str, list[PendingEvent]] = {}
        for pending in self.pending:
            by_stream.setdefault(pending.stream, []).append(pending)
        now = utcnow()
        rows: list[dict[str, Any]] = []
        streams = sorted(by_stream)
        firsts = await reserve_many_seqs(
            self.session, [(stream, by_stream[stream][0].meeting_id, len(by_stream[stream])) for stream in streams]
        )
        for stream in streams:
            events, first = by_stream[stream], firsts[stream]
            rows.extend(
                {
                    "stream": stream,
                    "seq": first + offset,
                    "meeting_id": pending.meeting_id,
                    "type": pending.type,
                    "payload": pending.payload,
                    "staff_payload": pending.staff_payload,
                    "created_at": now,
                }
                for offset, pending in enumerate(events)
            )
        if rows:
            # One executemany on the table, not a flush of ORM objects (ids are never read back).
            await execute_direct(self.session, _inserting_events(), rows)
        self.pending.clear()
        committed = [
            CommittedEvent(
                stream=row["stream"],
                seq=row["seq"],
                type=row["type"],
                payload=row["payload"],
                staff_payload=row["staff_payload"],
                at=now,
            )
            for row in rows
        ]
        self.written.extend(committed)
        return committed


@functools.cache
def _inserting_events() -> Executable:
    return insert(cast(Table, EventRecord.__table__))


@asynccontextmanager
async def transaction(sessions: async_sessionmaker[AsyncSession]) -> AsyncIterator[UnitOfWork]:
    """Commit on success, roll back on any error; what was committed waits in ``uow.committed``
    (and ``uow.revoked_sessions``) for ``publish``, which the caller runs on its own loop."""
    async with sessions() as session:
        uow = UnitOfWork(session)
        try:
            yield uow
            await session.flush()
            committed = await uow.write_events()
            await session.flush()
            uow.committed = committed
            await session.commit()
        except BaseException:
            uow.committed = []
            await session.rollback()
            raise


async def publish(bus: Bus, uow: UnitOfWork) -> None:
    """Tell the bus what ``uow`` committed (after its commit, never before)."""
    if uow.committed:
        await bus.publish(uow.committed)
    if uow.revoked_sessions:
        await bus.publish_revoked_sessions(uow.revoked_sessions)


@asynccontextmanager
async def unit_of_work(sessions: async_sessionmaker[AsyncSession], bus: Bus) -> AsyncIterator[UnitOfWork]:
    """Commit on success, roll back on any error, then publish what was committed."""
    async with transaction(sessions) as uow:
        yield uow
    await publish(bus, uow)
