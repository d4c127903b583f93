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

The hand-over costs one wake-up of the server's loop per batch. The batch goes to the thread
through a ``queue.SimpleQueue`` (the thread sleeps on it, not in a selector), the thread runs it
to the end on its own loop (``run_until_complete``: with statements that complete in place the
batch never waits, so that loop never sleeps either) and settles the caller's future with one
``call_soon_threadsafe``. Through ``run_coroutine_threadsafe`` a batch woke the thread's loop
through its self-pipe, and ``wrap_future`` woke the server's loop through a
``concurrent.futures.Future`` and its lock and callbacks: two wake-ups and two futures per batch,
about a fifth of the loop's CPU at small batches.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from app.answers.decisions import DECISIONS_KEY, DecisionMemory
from app.database import INLINE_SESSION, Database, inline_sqlite_engine, is_memory

log = logging.getLogger("breakouts.writer")

Result = TypeVar("Result")
# The work of one batch: given the thread's sessions, the coroutine that writes it.
Work = Callable[[async_sessionmaker[AsyncSession]], Awaitable[Result]]


class _Job:
    """A coroutine for the thread, and the caller's loop and future its outcome goes to."""

    __slots__ = ("caller", "done", "start")

    def __init__(self, start: Callable[[], Awaitable[Any]]) -> None:
        self.start = start
        self.caller = asyncio.get_running_loop()
        self.done: asyncio.Future[Any] = self.caller.create_future()


class SqliteWriter:
    """Runs batches on the writer thread; ``run`` is called from the server's loop, one at a time."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._engine: AsyncEngine | None = None
        self._sessions: async_sessionmaker[AsyncSession] | None = None

    @staticmethod
    def serves(database: Database) -> bool:
        """A file database: an in-memory one is private to its connection, so a second
        connection on another thread would see another database."""
        return database.is_sqlite and not is_memory(database.url)

    async def run(self, work: Work[Result]) -> Result:
        """Run ``work`` on the writer thread while holding the process's write connection."""
        async with self._write_turn():
            result: Result = await self._hand_over(lambda: self._run(work))
            return result

    async def _hand_over(self, start: Callable[[], Awaitable[Any]]) -> Any:
        if self._thread is None:  # the thread starts with the first batch
            self._thread = threading.Thread(target=self._serve, name="sqlite-writer", daemon=True)
            self._thread.start()
        job = _Job(start)
        self._jobs.put(job)
        return await job.done

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

    async def _dispose(self) -> None:
        if self._engine is not None:
            await self._engine.dispose()
            self._engine = self._sessions = None

    async def stop(self) -> None:
        """Close the connection and end the thread (after the last batch)."""
        thread = self._thread
        if thread is None:
            return
        await self._hand_over(self._dispose)
        self._thread = None
        self._jobs.put(None)
        await asyncio.to_thread(thread.join)

    def _serve(self) -> None:
        """The thread: its own loop, each job run to its end, its outcome handed back."""
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        try:
            while (job := self._jobs.get()) is not None:
                try:
                    result = loop.run_until_complete(job.start())
                except BaseException as error:
                    _hand_back(job, _fail, error)
                else:
                    _hand_back(job, _settle, result)
        finally:
            loop.close()


def _hand_back(job: _Job, settle: Callable[[asyncio.Future[Any], Any], None], outcome: Any) -> None:
    try:
        job.caller.call_soon_threadsafe(settle, job.done, outcome)
    except RuntimeError:  # the caller's loop is closed: nobody waits any more
        log.warning("a batch ended after its caller's loop closed")


def _settle(done: asyncio.Future[Any], result: Any) -> None:
    if not done.done():  # the caller may have been cancelled meanwhile
        done.set_result(result)


def _fail(done: asyncio.Future[Any], error: BaseException) -> None:
    if done.done():
        return
    if isinstance(error, asyncio.CancelledError):
        done.cancel()
    else:
        done.set_exception(error)
