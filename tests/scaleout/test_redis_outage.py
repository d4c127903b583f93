"""Redis paused (SIGSTOP, a redis-server of the test's own) for 10 s during an answer flood on two
processes, then resumed: no acknowledged answer is lost, the clients on the writer's process keep
receiving during the outage, every client ends with every event once and in order (each process
reads what the bus could not bring from the log), and both processes' subscribers come back."""

from __future__ import annotations

import asyncio

import pytest

from app.client.connection import Event, LiveClient
from tests.scaleout.cluster import Scene, answer_ids, cluster, follow_until, people_on_each, stage_room
from tests.scaleout.floods import tally
from tests.scaleout.redis_server import own_redis

pytestmark = pytest.mark.postgres

PEOPLE_PER_PROCESS = 3
OUTAGE_S = 10.0  # the scenario: how long Redis says nothing
# Each client answers, waits for the ack, and pauses this long: a steady flood that spans the
# outage (a burst would be over before Redis stopped).
PACE_S = 0.25
FLOOD_BEFORE_S = 2.0
FLOOD_AFTER_S = 3.0


async def _paced_flood(client: LiveClient, scene: Scene, stop: asyncio.Event, acked: set[str]) -> None:
    index = 0
    while not stop.is_set():
        command_id = f"{client.name}-answer-{index}"
        await client.command(
            "answer.submit",
            id=command_id,
            room_id=scene.room_id,
            question_id=scene.question_id,
            text=f"answer {index} from {client.name}",
            wait_s=30,
        )
        acked.add(command_id)
        index += 1
        await asyncio.sleep(PACE_S)


def _writer_process(event: Event) -> str:
    """Which process the answer's author was connected to (its text names the client)."""
    text: str = event.data["answer"]["text"]
    return text.rsplit(".", 1)[1]


async def test_a_paused_redis_delays_but_loses_nothing() -> None:
    async with own_redis() as redis, cluster(redis.url) as c:
        organiser = await c.organiser(via="a")
        scene = await stage_room(organiser, via="a")
        clients = [client for _, client in await people_on_each(c, organiser, scene, PEOPLE_PER_PROCESS)]
        starts = {client.name: client.cursors[scene.stream] for client in clients}
        stop = asyncio.Event()
        acked: set[str] = set()
        floods = [asyncio.create_task(_paced_flood(client, scene, stop, acked)) for client in clients]

        await asyncio.sleep(FLOOD_BEFORE_S)  # the scenario's timeline, not an ordering
        acked_before = len(acked)
        redis.pause()
        at_pause = {client.name: client.cursors[scene.stream] for client in clients}
        try:
            await asyncio.sleep(OUTAGE_S)
        finally:
            redis.resume()
        at_resume = {client.name: client.cursors[scene.stream] for client in clients}
        acked_during = len(acked) - acked_before
        await asyncio.sleep(FLOOD_AFTER_S)
        stop.set()
        async with asyncio.timeout(60):
            await asyncio.gather(*floods)

        counted = await tally(c.database.url, scene.room_id, acked)
        print(counted.line(), f"acked during the outage={acked_during}")
        assert acked_during > 0  # commands went on while Redis was silent
        assert counted.lost == 0 and counted.duplicates == 0 and counted.stored_not_asked == 0

        head = (await c.heads([scene.stream]))[scene.stream]
        received_during: dict[str, int] = {}
        for client in clients:
            events = await follow_until(client, scene.stream, head)
            assert [event.seq for event in events] == list(range(starts[client.name] + 1, head + 1)), client.name
            assert len(set(answer_ids(events))) == len(answer_ids(events)) == counted.acked, client.name
            assert client.duplicates == 0 and client.gaps == 0, client.name
            own_process = client.name.rsplit(".", 1)[1]
            received_during[client.name] = sum(
                1
                for event in events
                if at_pause[client.name] < event.seq <= at_resume[client.name]
                and event.type == "answer.submitted"
                and _writer_process(event) == own_process
            )
        print("answers of their own process received during the outage:", received_during)
        assert all(count > 0 for count in received_during.values()), received_during
        for server in c.servers:
            assert server.logged("bus reconnected to Redis"), "".join(server.log)
