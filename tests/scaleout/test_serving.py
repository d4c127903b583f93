"""How a deployment is started: the app builds the Redis bus, the shared join throttle and one
Redis client when ``BREAKOUTS_REDIS_URL`` is set (and none without); ``breakouts serve --workers
N`` runs N processes that deliver each other's events; several workers are refused on SQLite and
without Redis."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from redis.asyncio import Redis
from typer.testing import CliRunner

from app.auth.join_throttle import MemoryJoinThrottle
from app.auth.join_throttle_redis import RedisJoinThrottle
from app.cli import cli
from app.main import create_app
from app.realtime.bus import InProcessBus
from app.realtime.redis_bus import REVOKED_CHANNEL, RedisBus, stream_channel
from app.state import AppState
from tests.conftest import TEST_SECRET, make_settings
from tests.databases import TestDatabase
from tests.scaleout.cluster import answer_ids, cluster, follow_until, people_on_each, stage_room
from tests.scaleout.floods import answer_in_turn
from tests.scaleout.redis_server import SHARED_REDIS_URL, own_redis

WORKERS = 2
CLIENTS = 6
ANSWERS_EACH = 5


async def test_the_app_builds_the_redis_bus_and_shares_its_client_when_redis_is_set(database: TestDatabase) -> None:
    app = create_app(make_settings(database, redis_url=SHARED_REDIS_URL))
    async with app.router.lifespan_context(app):
        state: AppState = app.state.breakouts
        assert isinstance(state.bus, RedisBus) and state.bus.client is state.redis
        assert isinstance(state.joins, RedisJoinThrottle) and state.joins.client is state.redis
        assert state.redis is not None and await state.redis.ping()
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as http:
            ready = await http.get("/readyz")
        assert ready.status_code == 200 and ready.json()["redis"] == "ok", ready.text


async def test_without_redis_the_app_stays_in_one_process(database: TestDatabase) -> None:
    app = create_app(make_settings(database))
    async with app.router.lifespan_context(app):
        state: AppState = app.state.breakouts
        assert isinstance(state.bus, InProcessBus) and isinstance(state.joins, MemoryJoinThrottle)
        assert state.redis is None


def test_several_workers_are_refused_on_sqlite_and_without_redis() -> None:
    runner = CliRunner()
    base = {"BREAKOUTS_ENVIRONMENT": "test", "BREAKOUTS_SECRET_KEY": TEST_SECRET}
    on_sqlite = runner.invoke(
        cli,
        ["serve", "--workers", "2"],
        env={**base, "BREAKOUTS_DATABASE_URL": "sqlite:///var/never.db", "BREAKOUTS_REDIS_URL": SHARED_REDIS_URL},
    )
    assert on_sqlite.exit_code == 2 and "SQLite" in on_sqlite.output
    without_redis = runner.invoke(
        cli,
        ["serve", "--workers", "2"],
        env={**base, "BREAKOUTS_DATABASE_URL": "postgresql://nobody@127.0.0.1/none", "BREAKOUTS_REDIS_URL": ""},
    )
    assert without_redis.exit_code == 2 and "BREAKOUTS_REDIS_URL" in without_redis.output


@pytest.mark.postgres
async def test_serve_with_workers_delivers_across_them() -> None:
    async with own_redis() as redis, cluster(redis.url, names=("served",), workers=WORKERS) as c:
        counter = Redis.from_url(redis.url)
        try:
            async with asyncio.timeout(60):  # every worker's bus subscribes as its app starts
                while dict(await counter.pubsub_numsub(REVOKED_CHANNEL))[REVOKED_CHANNEL.encode()] < WORKERS:
                    await asyncio.sleep(0.2)  # polling the workers' start-up; orders nothing
            organiser = await c.organiser(via="served")
            scene = await stage_room(organiser, via="served")
            # The kernel spreads the connections over the workers.
            people = await people_on_each(c, organiser, scene, CLIENTS, processes=("served",))
            clients = [client for _, client in people]
            starts = {client.name: client.cursors[scene.stream] for client in clients}
            await answer_in_turn(clients, scene, ANSWERS_EACH)
            head = (await c.heads([scene.stream]))[scene.stream]
            for client in clients:
                events = await follow_until(client, scene.stream, head)
                assert [event.seq for event in events] == list(range(starts[client.name] + 1, head + 1))
                assert len(set(answer_ids(events))) == CLIENTS * ANSWERS_EACH
            subscribed = dict(await counter.pubsub_numsub(stream_channel(scene.stream)))
            print(f"workers following the room's channel: {subscribed[stream_channel(scene.stream).encode()]}")
        finally:
            await counter.aclose()
