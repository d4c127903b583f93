"""Fixtures shared by the whole suite: the databases (SQLite and PostgreSQL), an app per test, and
HTTP clients that talk to it in-process over ASGI."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from app.main import create_app
from app.settings import Settings
from tests.databases import (
    IN_CI,
    TestDatabase,
    create_postgres_database,
    create_sqlite_database,
    drop_postgres_database,
    empty_all_tables,
    postgres_unavailable_reason,
)

pytest_plugins = ["tests.redis_store"]

TEST_SECRET = "test-secret-key-that-is-long-enough-for-signing"
TEST_JOIN_LIMITS = {
    "join_attempts_per_address": 100_000,
    "join_wrong_codes_per_address": 100_000,
    "join_new_entries_per_meeting": 100_000,
}
_postgres_skipped: list[str] = []


@pytest.fixture(scope="session")
def sqlite_database(tmp_path_factory: pytest.TempPathFactory) -> TestDatabase:
    return create_sqlite_database(tmp_path_factory.mktemp("sqlite"))


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[TestDatabase]:
    reason = postgres_unavailable_reason()
    if reason is not None:
        if IN_CI:
            pytest.fail(f"CI needs PostgreSQL on 127.0.0.1:5432 and cannot reach it: {reason}")
        _postgres_skipped.append(reason)
        pytest.skip(f"PostgreSQL unreachable ({reason}); CI runs these tests")
    database = create_postgres_database()
    yield database
    drop_postgres_database(database)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def database(request: pytest.FixtureRequest) -> AsyncIterator[TestDatabase]:
    """Each test that uses this runs twice: on SQLite and on PostgreSQL, from empty tables."""
    chosen: TestDatabase = request.getfixturevalue(f"{request.param}_database")
    yield chosen
    await empty_all_tables(chosen.url)


def make_settings(database: TestDatabase, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "environment": "test",
        "database_url": database.url,
        "secret_key": TEST_SECRET,
        "public_base_url": "http://testserver",
        "allowed_origins": ["http://testserver"],
        "static_dir": Path("/nonexistent-static-dir"),
        # Hundreds of apps start in one test process: frozen start-up heaps would never be freed.
        "tune_gc": False,
        # Every test client joins from one address, some of them dozens of times; the throttle's
        # own tests (tests/security/test_join_throttle.py) set their limits.
        **TEST_JOIN_LIMITS,
    }
    values.update(overrides)
    return Settings.model_validate(values)


@pytest.fixture
async def app(database: TestDatabase) -> AsyncIterator[FastAPI]:
    application = create_app(make_settings(database))
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
def client_factory(app: FastAPI) -> Iterator[ClientFactory]:
    factory = ClientFactory(app)
    yield factory


class ClientFactory:
    """Makes independent HTTP clients (each with its own cookie jar) against the in-process app."""

    def __init__(self, app: FastAPI) -> None:
        self.app = app

    def __call__(self, address: str = "198.51.100.7") -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=self.app, client=(address, 50000))
        return httpx.AsyncClient(transport=transport, base_url="http://testserver")


@pytest.fixture
async def client(client_factory: ClientFactory) -> AsyncIterator[httpx.AsyncClient]:
    async with client_factory() as http:
        yield http


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _postgres_skipped:
        terminalreporter.write_line(
            f"NOTE: PostgreSQL tests were skipped ({_postgres_skipped[0]}); CI=true makes this a failure.",
            yellow=True,
        )
