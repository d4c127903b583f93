"""The real databases the suite runs on: a fresh SQLite file and a PostgreSQL database of its own.

Each database is created and migrated once per test session; every test then starts from empty
tables (they are emptied after each test), so no test sees another's rows.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import asyncpg
from sqlalchemy import text

from app.database import create_database
from app.migrations_path import upgrade
from app.tables import metadata

POSTGRES_ADMIN_DSN = os.environ.get("BREAKOUTS_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
T = TypeVar("T")
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@dataclass(frozen=True)
class TestDatabase:
    __test__ = False
    kind: str
    url: str


async def _postgres_reachable() -> str | None:
    try:
        connection = await asyncpg.connect(POSTGRES_ADMIN_DSN, timeout=3)
    except (OSError, asyncpg.PostgresError) as error:
        return f"{type(error).__name__}: {error}"
    await connection.close()
    return None


def _run(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run on a loop of its own: session fixtures are set up from inside the tests' event loop."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def postgres_unavailable_reason() -> str | None:
    return _run(_postgres_reachable())


async def _admin(statement: str) -> None:
    connection = await asyncpg.connect(POSTGRES_ADMIN_DSN)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


def create_postgres_database() -> TestDatabase:
    name = f"breakouts_test_{uuid.uuid4().hex[:10]}"
    _run(_admin(f'CREATE DATABASE "{name}"'))
    base = POSTGRES_ADMIN_DSN.rsplit("/", 1)[0]
    url = f"{base}/{name}".replace("postgresql://", "postgresql+asyncpg://", 1)
    upgrade(url)
    return TestDatabase("postgres", url)


def drop_postgres_database(database: TestDatabase) -> None:
    name = database.url.rsplit("/", 1)[1]
    _run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def create_sqlite_database(directory: Path) -> TestDatabase:
    url = f"sqlite+aiosqlite:///{directory / 'breakouts-test.db'}"
    upgrade(url)
    return TestDatabase("sqlite", url)


async def empty_all_tables(url: str) -> None:
    database = create_database(url)
    try:
        async with database.write_engine.begin() as connection:
            if database.is_sqlite:
                for table in reversed(metadata.sorted_tables):
                    await connection.execute(table.delete())
            else:
                names = ", ".join(f'"{table.name}"' for table in metadata.sorted_tables)
                await connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    finally:
        await database.dispose()
