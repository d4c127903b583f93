"""With several processes on one Redis, the plenary view is built once per version across all of
them: the first to miss it builds and stores it, the others serve the same bytes; a change moves
the version, so what any process serves after a change shows it. Redis failing leaves each
process building its own."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack

import pytest
from redis.asyncio import Redis

from app.auth.access import Actor
from app.plenary.shared_view import BuiltView, SharedPlenaryViews
from app.redis_client import create_redis
from app.vocabulary import Phase
from tests.reports.consultation import Consultation
from tests.scaleout.redis_server import SHARED_REDIS_URL

PROCESSES = 3
READERS_EACH = 5


@pytest.fixture
async def processes(consultation: Consultation) -> AsyncIterator[list[SharedPlenaryViews]]:
    """The views of ``PROCESSES`` processes: one database, one Redis, a client each."""
    state = consultation.state
    async with AsyncExitStack() as stack:
        views = []
        for _ in range(PROCESSES):
            client: Redis = create_redis(SHARED_REDIS_URL)
            stack.push_async_callback(client.aclose)
            views.append(
                SharedPlenaryViews(
                    state.database, state.heavy.plenary_readers, state.heavy.plenary_builds, redis=client
                )
            )
        yield views


async def _read_everywhere(views: list[SharedPlenaryViews], actor: Actor, c: Consultation) -> list[BuiltView]:
    reads = [one.read(actor, c.meeting_id, None) for one in views for _ in range(READERS_EACH)]
    return list(await asyncio.gather(*reads))


async def test_one_build_across_processes_and_the_same_bytes_from_each(
    consultation: Consultation, processes: list[SharedPlenaryViews]
) -> None:
    c = consultation
    await c.advance_to(Phase.REPORT_BACK)
    amina = Actor(participant_id=c.people["amina"])

    served = await _read_everywhere(processes, amina, c)
    assert sum(one.computations for one in processes) == 1
    assert len({(view.body, view.gzipped, view.etag, view.gzipped_etag) for view in served}) == 1
    assert sum(one.store.fetched for one in processes if one.store is not None) == PROCESSES - 1

    # A change the view shows: one more build across them all, and no process serves the old bytes.
    await c.add_answer("S1", 2, "esha", "Share the shelter registry across districts")
    changed = await _read_everywhere(processes, amina, c)
    assert sum(one.computations for one in processes) == 2
    assert {view.body for view in changed} == {changed[0].body}
    assert changed[0].body != served[0].body
    assert b"Share the shelter registry across districts" in changed[0].body


async def test_each_audience_has_its_own_shared_view(
    consultation: Consultation, processes: list[SharedPlenaryViews]
) -> None:
    c = consultation
    await c.advance_to(Phase.REPORT_BACK)
    peer = await _read_everywhere(processes, Actor(participant_id=c.people["amina"]), c)
    staff = await _read_everywhere(processes, Actor(participant_id=c.people["mod1"]), c)
    assert sum(one.computations for one in processes) == 2
    assert peer[0].body != staff[0].body
    assert {view.body for view in staff} == {staff[0].body}


async def test_without_a_reachable_redis_each_process_builds_its_own(consultation: Consultation) -> None:
    c = consultation
    await c.advance_to(Phase.REPORT_BACK)
    state = c.state
    unreachable: Redis = Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=1)
    try:
        views = [
            SharedPlenaryViews(
                state.database, state.heavy.plenary_readers, state.heavy.plenary_builds, redis=unreachable
            )
            for _ in range(2)
        ]
        served = await _read_everywhere(views, Actor(participant_id=c.people["amina"]), c)
        assert [one.computations for one in views] == [1, 1]
        assert {view.body for view in served} == {served[0].body}
        assert all(one.store is not None and one.store.failures >= 1 for one in views)
    finally:
        await unreachable.aclose()
