"""On SQLite, a process's write transactions queue in asyncio for its one write connection: one at
a time, in the order they asked, none waiting in SQLite's sleeping busy handler."""

from __future__ import annotations

import asyncio

from sqlalchemy import text

from app.database import create_database
from tests.databases import TestDatabase

WRITERS = 6


async def test_sqlite_writers_take_the_write_connection_in_turn(sqlite_database: TestDatabase) -> None:
    database = create_database(sqlite_database.url)
    try:
        asked: list[int] = []
        order: list[int] = []
        inside = 0
        most_inside = 0
        everyone_asked = asyncio.Event()

        async def writer(index: int) -> None:
            nonlocal inside, most_inside
            async with database.write_sessions() as session:
                asked.append(index)
                if len(asked) == WRITERS:
                    everyone_asked.set()
                # The first statement checks the connection out: the writer waits here, in
                # asyncio, until the one before it has committed.
                await session.execute(text("SELECT 1"))
                inside += 1
                most_inside = max(most_inside, inside)
                order.append(index)
                await asyncio.sleep(0)  # a chance for anyone else to get in (nobody may)
                inside -= 1
                await session.commit()

        async with database.write_sessions() as holder:
            await holder.execute(text("SELECT 1"))
            writers = [asyncio.create_task(writer(index)) for index in range(WRITERS)]
            await asyncio.wait_for(everyone_asked.wait(), 10)
            await holder.commit()
        await asyncio.wait_for(asyncio.gather(*writers), 10)
        assert order == asked == list(range(WRITERS))
        assert most_inside == 1
    finally:
        await database.dispose()


async def test_reads_do_not_wait_for_the_writer(sqlite_database: TestDatabase) -> None:
    database = create_database(sqlite_database.url)
    try:
        async with database.write_sessions() as writing:
            await writing.execute(text("SELECT 1"))  # holds the write connection and the lock
            async with database.reading() as session:
                assert await asyncio.wait_for(session.scalar(text("SELECT 42")), 5) == 42
            await writing.commit()
    finally:
        await database.dispose()
