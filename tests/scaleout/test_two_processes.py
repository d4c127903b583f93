"""Two server processes on one PostgreSQL database and the real Redis, clients on each: every
event of a room reaches every client of the room exactly once and in order, whichever process
wrote it; a client that drops from one process resumes on the other without a gap or a
duplicate."""

from __future__ import annotations

import asyncio

import pytest
from redis.asyncio import Redis

from app.client.connection import LiveClient
from app.realtime.redis_bus import stream_channel
from tests.scaleout.cluster import (
    Scene,
    answer_ids,
    cluster,
    follow_until,
    people_on_each,
    stage_room,
)
from tests.scaleout.redis_server import SHARED_REDIS_URL

pytestmark = pytest.mark.postgres

PEOPLE_PER_PROCESS = 3
ANSWERS_EACH = 12


async def _answer(client: LiveClient, scene: Scene, count: int, tag: str) -> None:
    """``count`` answers through the client's socket, sent at once; returns once all are acked."""
    pending = [
        await client.submit(
            "answer.submit",
            id=f"{client.name}-{tag}-{index}",
            room_id=scene.room_id,
            question_id=scene.question_id,
            text=f"{tag} answer {index} from {client.name}",
        )
        for index in range(count)
    ]
    async with asyncio.timeout(60):
        for command in pending:
            await command.answer


async def test_every_event_reaches_every_client_once_in_order_whichever_process_wrote_it() -> None:
    async with cluster(SHARED_REDIS_URL) as c:
        organiser = await c.organiser(via="a")
        scene = await stage_room(organiser, via="a")
        people = await people_on_each(c, organiser, scene, PEOPLE_PER_PROCESS)
        clients = [client for _, client in people]
        starts = {client.name: client.cursors[scene.stream] for client in clients}

        await asyncio.gather(*(_answer(client, scene, ANSWERS_EACH, "flood") for client in clients))
        # A write through REST on the other process than the organiser signed in on, too.
        closed = await organiser.http["b"].post(f"/api/rooms/{scene.room_id}/questions/{scene.question_id}/close")
        assert closed.status_code == 200, closed.text

        head = (await c.heads([scene.stream]))[scene.stream]
        for client in clients:
            events = await follow_until(client, scene.stream, head)
            assert [event.seq for event in events] == list(range(starts[client.name] + 1, head + 1)), client.name
            submitted = answer_ids(events)
            assert len(submitted) == len(clients) * ANSWERS_EACH == len(set(submitted)), client.name
            assert any(event.type == "question.closed" for event in events), client.name
            assert client.duplicates == 0 and client.gaps == 0, client.name
        # Each process follows the room's channel on Redis (it has sockets in the room), so what
        # the other wrote reached it through the bus, not only through its tick on the log.
        redis = Redis.from_url(SHARED_REDIS_URL)
        try:
            subscribed = dict(await redis.pubsub_numsub(stream_channel(scene.stream)))
        finally:
            await redis.aclose()
        assert subscribed[stream_channel(scene.stream).encode()] == len(c.servers)
        for server in c.servers:
            assert not server.logged("Traceback"), "".join(server.log)


async def test_a_client_dropped_from_one_process_resumes_on_the_other() -> None:
    async with cluster(SHARED_REDIS_URL) as c:
        organiser = await c.organiser(via="a")
        scene = await stage_room(organiser, via="a")
        people = await people_on_each(c, organiser, scene, PEOPLE_PER_PROCESS)
        (traveller_member, traveller), *others = people
        on_a = [client for member, client in others if client.base_url == c.server("a").base_url]
        on_b = [client for member, client in others if client.base_url == c.server("b").base_url]
        start = traveller.cursors[scene.stream]

        await asyncio.gather(*(_answer(client, scene, 3, "before") for client in [traveller, *on_a, *on_b]))
        await traveller.drop()  # the network goes; the next connection lands on the other process
        await asyncio.gather(*(_answer(client, scene, 4, "away") for client in [*on_a, *on_b]))
        c.move(traveller, traveller_member, to="b")
        await traveller.connect()
        markers = await traveller.until_resumed()
        assert markers[scene.stream]["type"] == "resumed"
        # Live again on b: what a's clients write now reaches it through Redis.
        await asyncio.gather(*(_answer(client, scene, 3, "after") for client in [*on_a, traveller]))

        head = (await c.heads([scene.stream]))[scene.stream]
        events = await follow_until(traveller, scene.stream, head)
        assert [event.seq for event in events] == list(range(start + 1, head + 1))
        assert len(answer_ids(events)) == len(set(answer_ids(events))) == 3 * 6 + 4 * 5 + 3 * 3
        assert traveller.duplicates == 0 and traveller.gaps == 0
