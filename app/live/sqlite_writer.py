"""The write pipeline's thread on SQLite: one thread, its own event loop, one connection.

A batch of commands (``app/live/commands.py``) runs here as ONE hop: the server's loop hands
the batch's coroutine over and awaits its end, and the thread runs the commands' code (the same
async functions the REST door calls) over ``inline_sqlite_engine``, whose statements complete in
place. Through aiosqlite each statement was a round trip between the server's loop and the
driver's thread; a batch of answers made a few dozen of them, and the loop woke for every one.
Meanwhile the server's loop reads sockets, fans out the last batch's events and gathers the next
batch.

The process's other writers (REST requests, admissions, presence) still use the write engine's
single connection. The pipeline holds that connection while its thread writes, so the two never
meet on SQLite's file lock (whose busy handler sleeps instead of waking when the lock is free):
one writer at a time per process, as before.

What runs here must not touch objects of the server's loop (the bus, the hub, sockets): a batch
returns its outcomes and committed events, and the caller publishes them on its own loop.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from app.answers.decisions import DECISIONS_KEY, DecisionMemory
from app.database import INLINE_SESSION, Database, inline_sqlite_engine, is_memory

log = logging.getLogger("breakouts.writer")

Result = TypeVar("Result")
# The work of one batch: given the thread's sessions, the coroutine that writes it.
Work = Callable[[async_sessionmaker[AsyncSession]], Awaitable[Result]]


class SqliteWriter:
    """Runs batches on the writer thread; ``run`` is called from the server's loop, one at a time."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._engine: AsyncEngine | None = None
        self._sessions: async_sessionmaker[AsyncSession] | None = None

    @staticmethod
    def serves(database: Database) -> bool:
        """A file database: an in-memory one is private to its connection, so a second
        connection on another thread would see another database."""
        return database.is_sqlite and not is_memory(database.url)

    def _started(self) -> asyncio.AbstractEventLoop:
        """The thread's loop; the thread starts with the first batch."""
        if self._loop is None:
            loop = asyncio.new_event_loop()
            self._thread = threading.Thread(target=_serve, args=(loop,), name="sqlite-writer", daemon=True)
            self._thread.start()
            self._loop = loop
        return self._loop

    async def run(self, work: Work[Result]) -> Result:
        """Run ``work`` on the writer thread while holding the process's write connection."""
        async with self._write_turn():
            future = asyncio.run_coroutine_threadsafe(self._run(work), self._started())
            return await asyncio.wrap_future(future)

    @asynccontextmanager
    async def _write_turn(self) -> AsyncIterator[None]:
        # Checking the connection out begins no transaction: it only keeps the process's other
        # writers queued on the pool until the batch committed.
        async with self.database.write_engine.connect():
            yield

    async def _run(self, work: Work[Result]) -> Result:
        if self._sessions is None:
            self._engine = inline_sqlite_engine(self.database.url)
            # The memory of answer and vote batches (``app.answers.decisions``), in every session's ``info``.
            self._sessions = async_sessionmaker(
                self._engine, expire_on_commit=False, info={DECISIONS_KEY: DecisionMemory(), INLINE_SESSION: True}
            )
        return await work(self._sessions)

    async def stop(self) -> None:
        """Close the connection and end the thread (after the last batch)."""
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return
        self._loop = self._thread = None
        if self._engine is not None:
            await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(self._engine.dispose(), loop))
            self._engine = self._sessions = None
        loop.call_soon_threadsafe(loop.stop)
        await asyncio.to_thread(thread.join)
        loop.close()


def _serve(loop: asyncio.AbstractEventLoop) -> None:
    asyncio.set_event_loop(loop)
    loop.run_forever()
