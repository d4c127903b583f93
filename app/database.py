"""Engines, sessions and the declarative base. Built by ``create_database`` inside the app lifespan.

SQLite allows one writer at a time. Write transactions therefore start with ``BEGIN IMMEDIATE``
(they take the lock up front instead of failing when a read transaction tries to upgrade), while
reads use a second engine with plain deferred transactions so that they never wait for writers
(WAL lets readers run beside the writer). PostgreSQL uses one engine with an ordinary pool for
both, and a small one of its own for the process's polling reads (``Database.polling``).

The SQLite write engine holds exactly one connection, so the write transactions of a process
(REST, socket, background) queue for it in asyncio in the order they asked (SQLAlchemy's pool
waits on an ``asyncio.Queue``, so one asking just as the connection comes back may get it first),
and each starts the moment the one before it returns the connection. Without that they would meet on the file lock,
where SQLite's busy handler sleeps (1, 2, 5 … 100 ms) instead of waking when the lock is free:
under a burst the lock sits idle while every waiter sleeps. ``busy_timeout`` remains for writers
of other processes (the CLI, a second server on the same file). The price: code that holds a write
session must not open another one and wait for it; it would wait for itself until
``SQLITE_WRITE_QUEUE_TIMEOUT_S``.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, ClauseElement, DateTime, Engine, Executable, MetaData, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.types import TypeDecorator

# How long a SQLite writer waits for the file lock before giving up: longer than any one command.
SQLITE_BUSY_TIMEOUT_MS = 15_000
# How long a write transaction waits in the process's queue for the one write connection. The
# queue drains at hundreds of transactions a second, so a reconnect storm of thousands of sockets
# clears well within this; only a stuck writer makes a request wait this long and then fail.
SQLITE_WRITE_QUEUE_TIMEOUT_S = 30.0
# The polling reads of one process on PostgreSQL: the hub's check of every stream (each second),
# its reads of what the bus missed (a few streams at once at most), presence and the countdown
# sweep. Past this they queue for a connection, which only delays a poll.
POLLING_POOL_SIZE = 2
POLLING_POOL_OVERFLOW = 6

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UtcDateTime(TypeDecorator[datetime]):
    """A timestamp that always comes back timezone-aware in UTC (SQLite stores it naive)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UtcDateTime, dict[str, Any]: JSON, list[Any]: JSON}


class IdMixin:
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)


class CreatedMixin:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


@dataclass(slots=True)
class Database:
    """The engines and session factories of one application instance."""

    url: str
    write_engine: AsyncEngine
    read_engine: AsyncEngine
    write_sessions: async_sessionmaker[AsyncSession]
    read_sessions: async_sessionmaker[AsyncSession]
    polling_engine: AsyncEngine
    polling_sessions: async_sessionmaker[AsyncSession]

    @property
    def is_sqlite(self) -> bool:
        return self.url.startswith("sqlite")

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[AsyncSession]:
        """A read-only session: it never commits."""
        async with self.read_sessions() as session:
            yield session

    @asynccontextmanager
    async def polling(self) -> AsyncIterator[AsyncSession]:
        """A read-only session for what the process reads over and over whatever it serves (the
        hub's checks of the event log, presence, the countdown sweep): single statements, each
        seeing what had committed when it ran, as the reading session's do under READ COMMITTED.

        On PostgreSQL its engine runs them in autocommit, so a poll is its statement alone
        (no ``BEGIN`` before it and no ``ROLLBACK`` after, each a round trip), on connections not
        pinged before use (``pool_pre_ping``, one more). The price: after PostgreSQL restarts,
        the first poll on each pooled connection fails (SQLAlchemy then empties the pool); every
        poller reads again on its next round. Never use it for reads that must agree with each
        other in one snapshot, nor for anything a request waits on. On SQLite it is the reading
        session."""
        async with self.polling_sessions() as session:
            yield session

    async def dispose(self) -> None:
        await self.write_engine.dispose()
        if self.read_engine is not self.write_engine:
            await self.read_engine.dispose()
        if self.polling_engine is not self.read_engine:
            await self.polling_engine.dispose()


def _sqlite_engine(url: str, *, immediate: bool) -> AsyncEngine:
    # The writer's single connection is the queue (see the module docstring); an in-memory
    # database has a single connection anyway (SQLAlchemy gives it a static pool).
    single = immediate and not is_memory(url)
    queue: dict[str, Any] = (
        {"pool_size": 1, "max_overflow": 0, "pool_timeout": SQLITE_WRITE_QUEUE_TIMEOUT_S} if single else {}
    )
    engine = create_async_engine(url, **queue)
    _configure_sqlite(engine.sync_engine, immediate=immediate)
    return engine


def _configure_sqlite(engine: Engine, *, immediate: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _: Any) -> None:
        # Take transaction control from the driver so that "begin" below decides how we start.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def is_memory(url: str) -> bool:
    return make_url(url).database in (None, "", ":memory:")


def inline_sqlite_engine(url: str) -> AsyncEngine:
    """A write engine over the synchronous driver (pysqlite) whose statements run on the calling
    thread, inside the awaiting coroutine, without a hop to a driver thread.

    SQLAlchemy's asyncio layer runs the ORM's synchronous core in a greenlet and suspends only
    where the driver awaits; pysqlite never does, so every statement completes in place. That
    is what the write pipeline's thread wants (``app/live/sqlite_writer.py``): the async code of
    the commands, unchanged, with each statement costing what SQLite costs. It blocks whatever
    loop runs it, so it must only run on a loop of its own thread. One connection, made and used
    on that thread; write transactions start with ``BEGIN IMMEDIATE`` like the write engine's.
    """
    sync_url = make_url(async_url(url)).set(drivername="sqlite+pysqlite")
    engine = create_engine(
        sync_url,
        pool_size=1,
        max_overflow=0,
        pool_timeout=SQLITE_WRITE_QUEUE_TIMEOUT_S,
        connect_args={"factory": _InlineConnection},
    )
    _configure_sqlite(engine, immediate=True)
    # The flag the asyncio layer checks: true in effect, as nothing of this driver ever waits.
    engine.dialect.is_async = True
    return AsyncEngine(engine)


class _InlineCursor(sqlite3.Cursor):
    """A pysqlite cursor as the asyncio layer expects a driver's: after a statement that returns
    rows (a Core ``select`` or ``RETURNING``, which the ORM does not buffer), the layer tells the
    cursor to let go of its rows once read; pysqlite lets go of them when the result is read to
    its end, which the caller does at once (an unread result would keep the statement open)."""

    async def _async_soft_close(self) -> None:
        return None


class _InlineConnection(sqlite3.Connection):
    def cursor(self, factory: Any = _InlineCursor) -> Any:
        return super().cursor(factory)


# The key of a flag in the ``info`` of the sessions that run over ``inline_sqlite_engine``.
INLINE_SESSION = "breakouts.inline"


@dataclass(frozen=True, slots=True)
class _DirectStatement:
    """A statement compiled once for pysqlite: its SQL, and per positional parameter its name and
    the type's bind processor (what SQLAlchemy's execution would apply)."""

    statement: Executable
    sql: str
    parameters: tuple[tuple[str, Any], ...]


_direct: dict[tuple[int, tuple[str, ...]], _DirectStatement] = {}


def _compiled(statement: Executable, keys: tuple[str, ...], dialect: Any) -> _DirectStatement:
    cache_key = (id(statement), keys)
    found = _direct.get(cache_key)
    if found is None or found.statement is not statement:
        assert isinstance(statement, ClauseElement), "a statement SQLAlchemy compiles"
        compiled = statement.compile(dialect=dialect, column_keys=list(keys))
        assert isinstance(compiled, SQLCompiler), "a statement, not DDL"
        names = tuple(compiled.positiontup or ())
        missing = set(names) - set(keys)
        if missing:
            raise ValueError(f"the rows give no value for {sorted(missing)}")
        processors = tuple(
            (name, compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect)) for name in names
        )
        found = _direct[cache_key] = _DirectStatement(statement, compiled.string, processors)
    return found


async def execute_direct(
    session: AsyncSession, statement: Executable, rows: list[dict[str, Any]], *, many: bool = True
) -> list[Any] | None:
    """Run a statement (built once, its parameters all given in each row) for ``rows``: on the SQLite
    writer thread's sessions (``INLINE_SESSION``) straight on the driver's cursor (``executemany``,
    or one ``execute`` returning its rows when ``many`` is false), with the parameters converted
    as SQLAlchemy converts them; elsewhere through ``session.execute``.

    On the writer thread SQLAlchemy's execution layer cost more than SQLite's work for the few
    statements every batch runs (its context, cache key and result handling per statement). The
    statement runs in the session's transaction (the same connection, inside its savepoints); a
    unique key refused raises SQLAlchemy's ``IntegrityError`` as through the session."""
    if not session.info.get(INLINE_SESSION):
        result = await session.execute(statement, rows if many else rows[0])
        return None if many else list(result)
    keys = tuple(rows[0])
    connection = await session.connection()
    direct = _compiled(statement, keys, connection.dialect)
    values = [
        tuple(row[name] if process is None else process(row[name]) for name, process in direct.parameters)
        for row in rows
    ]
    raw = (await connection.get_raw_connection()).driver_connection
    assert raw is not None, "a checked-out connection has its driver's"
    try:
        if many:
            raw.executemany(direct.sql, values)
            return None
        return list(raw.execute(direct.sql, values[0]).fetchall())
    except sqlite3.IntegrityError as refused:
        raise IntegrityError(direct.sql, None, refused) from refused


def async_url(url: str) -> str:
    """Accept the usual ``postgresql://`` and ``sqlite:///`` spellings and use the async drivers."""
    if url.startswith(("postgres://", "postgresql://")):
        return "postgresql+asyncpg://" + url.split("://", 1)[1]
    if url.startswith("sqlite:///"):
        return "sqlite+aiosqlite:///" + url.removeprefix("sqlite:///")
    return url


def create_database(url: str) -> Database:
    url = async_url(url)
    if url.startswith("sqlite"):
        database = make_url(url).database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        write_engine = _sqlite_engine(url, immediate=True)
        read_engine = _sqlite_engine(url, immediate=False)
    else:
        write_engine = create_async_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True)
        read_engine = write_engine
    polling_engine = (
        read_engine
        if url.startswith("sqlite")
        else create_async_engine(
            url, pool_size=POLLING_POOL_SIZE, max_overflow=POLLING_POOL_OVERFLOW, isolation_level="AUTOCOMMIT"
        )
    )
    return Database(
        url=url,
        write_engine=write_engine,
        read_engine=read_engine,
        write_sessions=async_sessionmaker(write_engine, expire_on_commit=False),
        read_sessions=async_sessionmaker(read_engine, expire_on_commit=False),
        polling_engine=polling_engine,
        polling_sessions=async_sessionmaker(polling_engine, expire_on_commit=False),
    )
