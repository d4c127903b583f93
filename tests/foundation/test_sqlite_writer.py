"""The write pipeline's SQLite thread: a batch runs on the thread, with its own loop and the
thread's sessions, one at a time, and its result or its exception comes back to the caller."""

from __future__ import annotations

import asyncio
import threading

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.database import create_database
from app.live.sqlite_writer import SqliteWriter
from tests.databases import TestDatabase


class Refused(Exception):
    pass


async def test_batches_run_on_the_writer_thread_in_turn_and_hand_back_what_they_give(
    sqlite_database: TestDatabase,
) -> None:
    database = create_database(sqlite_database.url)
    writer = SqliteWriter(database)
    caller = threading.get_ident()
    running = 0
    most_running = 0
    threads: set[int] = set()

    async def batch(sessions: async_sessionmaker[AsyncSession], number: int) -> tuple[int, int, int]:
        nonlocal running, most_running
        running += 1
        most_running = max(most_running, running)
        async with sessions() as session:
            value = await session.scalar(text("SELECT :n * 2"), {"n": number})
        await asyncio.sleep(0)  # the thread's own loop runs it
        running -= 1
        return number, int(value or 0), threading.get_ident()

    async def refused(_: async_sessionmaker[AsyncSession]) -> None:
        raise Refused("no")

    try:
        results = await asyncio.gather(*(writer.run(lambda s, n=n: batch(s, n)) for n in range(5)))
        assert [(number, value) for number, value, _ in results] == [(n, 2 * n) for n in range(5)]
        threads = {thread for _, _, thread in results}
        assert len(threads) == 1 and caller not in threads
        assert most_running == 1
        with pytest.raises(Refused):
            await writer.run(refused)
        # The thread outlives a batch that raised.
        assert (await writer.run(lambda s: batch(s, 7)))[:2] == (7, 14)
    finally:
        await writer.stop()
        await database.dispose()
    assert not any(thread.ident in threads for thread in threading.enumerate())  # stopped
