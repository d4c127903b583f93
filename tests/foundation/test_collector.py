"""The serving process freezes its start-up heap out of the collector's full passes, and a large
computation (the plenary merge) holds the collector off while it runs.

The frozen case runs in a child process: freezing (and later unfreezing) the test process's own
heap would move the collection of other tests' leftovers to arbitrary later tests.
"""

from __future__ import annotations

import gc
import json
import subprocess
import sys
import textwrap
from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

from app.collector import collection_paused
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


def test_a_merge_holds_the_collector_off_and_leaves_it_as_it_found_it() -> None:
    assert gc.isenabled()
    with collection_paused():
        assert not gc.isenabled()
        with collection_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer block still runs
    assert gc.isenabled()

    # Two computations overlapping in two threads: the collector comes back when the last ends.
    both_inside = Barrier(2)
    first_done = Barrier(2)

    def first() -> None:
        with collection_paused():
            both_inside.wait()
        first_done.wait()

    def second() -> bool:
        with collection_paused():
            both_inside.wait()
            first_done.wait()
            return gc.isenabled()

    with ThreadPoolExecutor(max_workers=2) as pool:
        outcome = pool.submit(second)
        pool.submit(first).result(timeout=30)
        assert outcome.result(timeout=30) is False
    assert gc.isenabled()

    # A collector that was off stays off.
    gc.disable()
    try:
        with collection_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
