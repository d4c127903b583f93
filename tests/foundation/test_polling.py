"""The polling reads on PostgreSQL: each statement on its own, no transaction around it (the
``BEGIN`` and ``ROLLBACK`` it saves are round trips paid on every poll of every process), while the
reading sessions keep their transaction (a snapshot read sets its isolation in one)."""

from __future__ import annotations

from sqlalchemy import text

from app.database import create_database
from tests.databases import TestDatabase

# The id of the transaction the statement runs in (assigned by the call).
TRANSACTION = text("SELECT txid_current()")


async def test_a_poll_runs_its_statements_alone_and_a_reading_session_in_a_transaction(
    postgres_database: TestDatabase,
) -> None:
    database = create_database(postgres_database.url)
    try:
        assert database.polling_engine is not database.read_engine
        async with database.polling() as session:
            first, second = await session.scalar(TRANSACTION), await session.scalar(TRANSACTION)
            assert first != second  # each statement was a transaction of its own
        async with database.reading() as session:
            first, second = await session.scalar(TRANSACTION), await session.scalar(TRANSACTION)
            assert first == second  # both in the transaction the first began
    finally:
        await database.dispose()


async def test_on_sqlite_a_poll_is_a_reading_session(sqlite_database: TestDatabase) -> None:
    database = create_database(sqlite_database.url)
    try:
        assert database.polling_engine is database.read_engine
        async with database.polling() as session:
            assert await session.scalar(text("SELECT 1")) == 1
    finally:
        await database.dispose()
