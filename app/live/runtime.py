"""What the live door runs per process: the hub, the socket registry, the write pipeline (the
command dispatcher and, on SQLite, its writer thread), socket admission (the spent-ticket ledger,
the session cache, presence), the subscription mover, the presence reporter, the breakouts
countdown and the pruning loop. Built by the app's lifespan; the ledger and presence are in memory
unless the lifespan passes shared ones (Redis)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid

from app.auth.session_cache import SessionCache
from app.database import Database
from app.live.access_reads import AccessReads
from app.live.commands import CommandDispatcher
from app.live.ledger import MemoryTicketLedger, TicketLedger
from app.live.maintenance import prune_forever
from app.live.moves import SubscriptionMover
from app.live.presence import PresenceReporter
from app.live.registry import SocketRegistry
from app.live.service import Admission, AdmissionDesk, admit_sockets
from app.live.sqlite_writer import SqliteWriter
from app.meetings.countdown import close_breakouts_when_due
from app.realtime.bus import Bus
from app.realtime.hub import Hub
from app.realtime.limits import CloseCode
from app.realtime.presence import MemoryPresenceStore, PresenceStore

log = logging.getLogger("breakouts.admission")

# Handshakes admitted in one read transaction at most: a reconnect storm's sockets share a
# connection and a transaction in batches this large, and a batch holds the connection for a few
# tens of milliseconds at most.
ADMISSIONS_PER_READ = 64
Pending = tuple[str, str | None, "asyncio.Future[Admission | CloseCode]"]


class LiveRuntime:
    def __init__(
        self,
        database: Database,
        bus: Bus,
        *,
        ledger: TicketLedger | None = None,
        presence_store: PresenceStore | None = None,
    ) -> None:
        self.database = database
        self.bus = bus
        self.hub = Hub(database, bus)
        self.registry = SocketRegistry(self.hub)
        # On a SQLite file the command batches run on a thread of their own (see its module).
        self.writer = SqliteWriter(database) if SqliteWriter.serves(database) else None
        self.commands = CommandDispatcher(database, bus, writer=self.writer)
        self.sessions = SessionCache(database)
        self.accesses = AccessReads(database)
        self.presence_store: PresenceStore = MemoryPresenceStore() if presence_store is None else presence_store
        self.desk = AdmissionDesk(
            ledger=MemoryTicketLedger() if ledger is None else ledger,
            sessions=self.sessions,
            presence=self.presence_store,
        )
        self.presence = PresenceReporter(database, self.hub, self.registry, self.presence_store)
        self.hub.observers.append(
            SubscriptionMover(self.registry, self.presence.touch, on_matched=self.sessions.forget_participant)
        )
        self._tasks: list[asyncio.Task[None]] = []
        self._pending: list[Pending] = []
        self._admitting: asyncio.Task[None] | None = None

    # --- admission ----------------------------------------------------------------------------

    async def admit(self, secret_key: str, ticket: str | None) -> Admission | CloseCode:
        """Admit a socket (``service.admit_socket``). The handshakes waiting together are admitted
        together in one read transaction (``service.admit_sockets``)."""
        future: asyncio.Future[Admission | CloseCode] = asyncio.get_running_loop().create_future()
        self._pending.append((secret_key, ticket, future))
        if self._admitting is None or self._admitting.done():
            self._admitting = asyncio.create_task(self._admit_waiting(), name="socket admissions")
        return await future

    async def _admit_waiting(self) -> None:
        while self._pending:
            batch, self._pending = self._pending[:ADMISSIONS_PER_READ], self._pending[ADMISSIONS_PER_READ:]
            try:
                outcomes: dict[int, Admission | CloseCode] = {}
                async with self.database.reading() as session:
                    for secret_key in dict.fromkeys(key for key, _, _ in batch):  # one key per app, in practice
                        signed = [index for index, (key, _, _) in enumerate(batch) if key == secret_key]
                        tickets = [batch[index][1] for index in signed]
                        outcomes.update(
                            zip(signed, await admit_sockets(self.desk, secret_key, session, tickets), strict=True)
                        )
            except Exception as error:  # the reads failed: every handshake of the batch is refused
                log.exception("admitting sockets failed")
                for _, _, future in batch:
                    if not future.done():
                        future.set_exception(error)
                continue
            for index, (_, _, future) in enumerate(batch):
                outcome = outcomes[index]
                if future.done():  # the handshake was given up meanwhile
                    await self.close(outcome)
                else:
                    future.set_result(outcome)

    async def close(self, admitted: Admission | CloseCode) -> None:
        """The socket closed (or was never served): it no longer counts in presence."""
        if isinstance(admitted, Admission):
            await self.presence_store.close(admitted.socket_id)

    def _revoked(self, session_ids: frozenset[uuid.UUID]) -> None:
        self.sessions.revoke(session_ids)
        self.registry.close_sessions(session_ids)

    # --- lifecycle ----------------------------------------------------------------------------

    async def start(self) -> None:
        await self.hub.start()
        await self.bus.on_revoked_sessions(self._revoked)
        self._tasks = [
            asyncio.create_task(self.presence.run(), name="presence"),
            asyncio.create_task(prune_forever(self.database), name="pruning"),
            asyncio.create_task(close_breakouts_when_due(self.database, self.bus), name="breakouts countdown"),
        ]

    async def stop(self) -> None:
        await self.hub.stop()
        await self.commands.settle()
        if self._admitting is not None:
            with contextlib.suppress(Exception):
                await self._admitting
        if self.writer is not None:
            await self.writer.stop()
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []
