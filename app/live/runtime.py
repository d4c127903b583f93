"""What the live door runs per process: the hub, the socket registry, the write pipeline (the
command dispatcher and, on SQLite, its writer thread),
the socket tickets, admissions and closings (group commits), the subscription mover, the presence
reporter, the breakouts countdown and the pruning loop. Built by the app's lifespan."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import Sequence
from functools import partial

from sqlalchemy.ext.asyncio import AsyncSession

from app.database import Database
from app.live.commands import CommandDispatcher
from app.live.maintenance import prune_forever
from app.live.models import SocketTicket
from app.live.moves import SubscriptionMover
from app.live.presence import PresenceReporter
from app.live.registry import SocketRegistry
from app.live.service import Admission, admit_sockets, write_tickets
from app.live.sqlite_writer import SqliteWriter
from app.live.writes import GroupCommit
from app.meetings.countdown import close_breakouts_when_due
from app.realtime.bus import Bus
from app.realtime.hub import Hub
from app.realtime.limits import CloseCode
from app.realtime.presence import record_closed

# Sockets admitted, tickets issued or sockets marked closed in one transaction at most: a batch
# of admissions holds the write connection for a few tens of milliseconds, so the writes queued
# behind it barely notice; tickets and closings are single-row writes.
ADMISSIONS_PER_COMMIT = 64
TICKETS_PER_COMMIT = 200
CLOSINGS_PER_COMMIT = 500


async def _mark_closed(session: AsyncSession, row_ids: Sequence[uuid.UUID]) -> list[Exception | None]:
    await record_closed(session, row_ids)
    return [None] * len(row_ids)


class LiveRuntime:
    def __init__(self, database: Database, bus: Bus) -> None:
        self.database = database
        self.bus = bus
        self.hub = Hub(database, bus)
        self.registry = SocketRegistry(self.hub)
        # On a SQLite file the command batches run on a thread of their own (see its module).
        self.writer = SqliteWriter(database) if SqliteWriter.serves(database) else None
        self.commands = CommandDispatcher(database, bus, writer=self.writer)
        self.presence = PresenceReporter(database, self.hub, self.registry)
        self.tickets: GroupCommit[SocketTicket, None] = GroupCommit(
            database, write_tickets, limit=TICKETS_PER_COMMIT, name="socket tickets"
        )
        self.closings: GroupCommit[uuid.UUID, None] = GroupCommit(
            database, _mark_closed, limit=CLOSINGS_PER_COMMIT, name="socket closings"
        )
        self.admissions: GroupCommit[str | None, Admission | CloseCode] = GroupCommit(
            database,
            partial(admit_sockets, process_id=self.hub.process_id),
            limit=ADMISSIONS_PER_COMMIT,
            name="socket admissions",
            abandoned=self._close_abandoned,
        )
        self.hub.observers.append(SubscriptionMover(self.registry, self.presence.touch))
        self._tasks: list[asyncio.Task[None]] = []

    def _close_abandoned(self, admitted: Admission | CloseCode) -> None:
        """A socket admitted after its handshake was given up: nobody else will close its row."""
        if isinstance(admitted, Admission):
            self.closings.post(admitted.row_id)

    async def start(self) -> None:
        await self.hub.start()
        await self.bus.on_revoked_sessions(self.registry.close_sessions)
        self._tasks = [
            asyncio.create_task(self.presence.run(), name="presence"),
            asyncio.create_task(prune_forever(self.database), name="pruning"),
            asyncio.create_task(close_breakouts_when_due(self.database, self.bus), name="breakouts countdown"),
        ]

    async def stop(self) -> None:
        await self.hub.stop()
        await self.commands.settle()
        for group in (self.tickets, self.admissions, self.closings):  # admissions may post closings
            await group.settle()
        if self.writer is not None:
            await self.writer.stop()
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []
