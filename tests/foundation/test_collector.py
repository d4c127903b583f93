"""The serving process freezes its start-up heap out of the collector's full passes."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from app.main import create_app
from tests.conftest import make_settings
from tests.databases import TestDatabase


@pytest.fixture
def restored_collector() -> Iterator[None]:
    threshold = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)


@pytest.mark.parametrize("tune_gc", [True, False])
async def test_the_start_up_heap_is_frozen_only_when_asked(
    sqlite_database: TestDatabase, restored_collector: None, tune_gc: bool
) -> None:
    gc.unfreeze()
    threshold = gc.get_threshold()
    application = create_app(make_settings(sqlite_database, tune_gc=tune_gc))
    async with application.router.lifespan_context(application):
        if tune_gc:
            assert gc.get_freeze_count() > 10_000  # the imported app, not a handful of objects
            assert gc.get_threshold()[0] > threshold[0]
        else:
            assert gc.get_freeze_count() == 0
            assert gc.get_threshold() == threshold
        # Garbage made after start-up is still collected.
        cycle: list[object] = []
        cycle.append(cycle)
        del cycle
        assert gc.collect() >= 1
