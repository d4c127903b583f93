"""The serving process freezes its start-up heap out of the collector's full passes.

The frozen case runs in a child process: freezing (and later unfreezing) the test process's own
heap would move the collection of other tests' leftovers to arbitrary later tests.
"""

from __future__ import annotations

import gc
import json
import subprocess
import sys
import textwrap

from app.main import create_app
from tests.conftest import make_settings
from tests.databases import TestDatabase

CHILD = textwrap.dedent(
    """
    import asyncio, gc, json, sys
    from app.main import create_app
    from app.settings import Settings

    async def main():
        before = gc.get_threshold()
        app = create_app(Settings(environment="test", database_url=sys.argv[1], secret_key="x" * 40))
        async with app.router.lifespan_context(app):
            frozen, threshold = gc.get_freeze_count(), gc.get_threshold()
            cycle = []
            cycle.append(cycle)
            del cycle
            collected = gc.collect()
        print(json.dumps({"frozen": frozen, "before": before, "threshold": threshold, "collected": collected}))

    asyncio.run(main())
    """
)


def test_the_start_up_heap_is_frozen_in_a_serving_process(sqlite_database: TestDatabase) -> None:
    child = subprocess.run(
        [sys.executable, "-c", CHILD, sqlite_database.url], capture_output=True, text=True, timeout=120, check=True
    )
    seen = json.loads(child.stdout.strip().splitlines()[-1])
    assert seen["frozen"] > 10_000  # the imported app, not a handful of objects
    assert seen["threshold"][0] > seen["before"][0]
    assert seen["collected"] >= 1  # garbage made after start-up is still collected


async def test_nothing_is_frozen_when_tuning_is_off(sqlite_database: TestDatabase) -> None:
    threshold = gc.get_threshold()
    application = create_app(make_settings(sqlite_database, tune_gc=False))
    async with application.router.lifespan_context(application):
        assert gc.get_freeze_count() == 0
        assert gc.get_threshold() == threshold
