"""One live write transaction at a time per process on SQLite.

SQLite has one writer. Writers that meet its lock wait in SQLite's busy handler, which sleeps
(1, 2, 5, … 100 ms) instead of waking when the lock is free: under a burst (a room answering, a
reconnect storm) the lock sits idle while the waiters sleep, and every other write of the process
stalls behind them. Taking turns here first means the lock is always taken as soon as it is free.
PostgreSQL has row locks and many writers: there the gate lets everything through.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from app.database import Database


class WriteGate:
    def __init__(self, database: Database) -> None:
        self._lock = asyncio.Lock() if database.is_sqlite else None

    @asynccontextmanager
    async def turn(self) -> AsyncIterator[None]:
        if self._lock is None:
            yield
            return
        async with self._lock:
            yield
