"""Migrations run forwards, backwards and forwards again on both databases, and match the models."""

from __future__ import annotations

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.engine import Connection

from app.database import create_database
from app.migrations_path import alembic_config, downgrade, upgrade
from app.tables import metadata
from tests.databases import (
    TestDatabase,
    create_postgres_database,
    create_sqlite_database,
    drop_postgres_database,
)


def _differences(connection: Connection) -> list[object]:
    return list(compare_metadata(MigrationContext.configure(connection), metadata))


def _tables(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names()) - {"alembic_version"}


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def empty_database(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> object:
    if request.param == "sqlite":
        database = create_sqlite_database(tmp_path_factory.mktemp("migrations"))
        yield database
    else:
        request.getfixturevalue("postgres_database")  # fails in CI / skips locally when unreachable
        database = create_postgres_database()
        yield database
        drop_postgres_database(database)


async def test_upgrade_downgrade_upgrade(empty_database: TestDatabase) -> None:
    url = empty_database.url
    engine = create_database(url).write_engine

    async with engine.connect() as connection:
        assert await connection.run_sync(_tables) == set(metadata.tables)
        assert await connection.run_sync(_differences) == []

    downgrade(url, "base")
    async with engine.connect() as connection:
        assert await connection.run_sync(_tables) == set()

    upgrade(url)
    async with engine.connect() as connection:
        assert await connection.run_sync(_tables) == set(metadata.tables)
        assert await connection.run_sync(_differences) == []
    await engine.dispose()


def test_revision_files_are_date_prefixed() -> None:
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(alembic_config("sqlite://"))
    for revision in scripts.walk_revisions():
        name = revision.path.rsplit("/", 1)[-1]
        assert name[:4].isdigit() and name[4] == "_", name
    assert command is not None
