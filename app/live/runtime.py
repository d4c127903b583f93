"""What the live door runs per process: the hub, the socket registry, the command dispatcher,
the subscription mover, the presence reporter, the breakouts countdown and the pruning loop. Built by the app's lifespan."""

from __future__ import annotations

import asyncio
import contextlib

from app.database import Database
from app.live.commands import CommandDispatcher
from app.live.maintenance import prune_forever
from app.live.moves import SubscriptionMover
from app.live.presence import PresenceReporter
from app.live.registry import SocketRegistry
from app.live.writes import WriteGate
from app.meetings.countdown import close_breakouts_when_due
from app.realtime.bus import Bus
from app.realtime.hub import Hub


class LiveRuntime:
    def __init__(self, database: Database, bus: Bus) -> None:
        self.database = database
        self.bus = bus
        self.hub = Hub(database, bus)
        self.registry = SocketRegistry(self.hub)
        self.writes = WriteGate(database)  # one live write transaction at a time on SQLite
        self.commands = CommandDispatcher(database, bus, writes=self.writes)
        self.presence = PresenceReporter(database, self.hub, self.registry, self.writes)
        self.hub.observers.append(SubscriptionMover(self.registry, self.presence.touch))
        self._tasks: list[asyncio.Task[None]] = []

    async def start(self) -> None:
        await self.hub.start()
        self._tasks = [
            asyncio.create_task(self.presence.run(), name="presence"),
            asyncio.create_task(prune_forever(self.database), name="pruning"),
            asyncio.create_task(close_breakouts_when_due(self.database, self.bus), name="breakouts countdown"),
        ]

    async def stop(self) -> None:
        await self.hub.stop()
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []
