"""``kill -9`` of one of two server processes during an answer flood with clients on both: its
clients reconnect to the other and resend what was not acknowledged. Every acknowledged answer is
stored once, and every client, moved or not, ends with every event of the room once and in order.
Presence converges: the people of the killed process show as gone to staff on the other."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest

from app.client.connection import LiveClient
from app.realtime.limits import PRESENCE_TIMEOUT_S
from tests.scaleout.cluster import answer_ids, cluster, follow_until, join_room, people_on_each, stage_room
from tests.scaleout.floods import Flood, tally
from tests.scaleout.redis_server import SHARED_REDIS_URL

pytestmark = pytest.mark.postgres

PEOPLE_PER_PROCESS = 4
ANSWERS_EACH = 25
KILL_AFTER_ACKS = 60


async def test_killing_a_process_mid_flood_loses_nothing_acknowledged() -> None:
    async with cluster(SHARED_REDIS_URL) as c:
        organiser = await c.organiser(via="a")
        scene = await stage_room(organiser, via="a")
        people = await people_on_each(c, organiser, scene, PEOPLE_PER_PROCESS)
        members = {client.name: member for member, client in people}
        clients = [client for _, client in people]
        starts = {client.name: client.cursors[scene.stream] for client in clients}
        killed = asyncio.Event()

        async def to_the_survivor(client: LiveClient) -> None:
            await killed.wait()
            c.move(client, members[client.name], to="b")

        flood = Flood(scene, ANSWERS_EACH)
        floods = [asyncio.create_task(flood.run(client, to_the_survivor)) for client in clients]
        async with asyncio.timeout(120):
            await flood.until_acked(KILL_AFTER_ACKS)
            in_flight = sum(len(client.unacknowledged) for client in clients)
            await c.server("a").kill()
            killed.set()
            await asyncio.gather(*floods)

        counted = await tally(c.database.url, scene.room_id, flood.acked)
        print(counted.line())
        print(f"in flight at the kill={in_flight} reconnected clients={len(set(flood.reconnected))}")
        assert counted.acked == 2 * PEOPLE_PER_PROCESS * ANSWERS_EACH
        assert counted.lost == 0 and counted.duplicates == 0 and counted.stored_not_asked == 0
        assert set(flood.reconnected) == {client.name for client in clients if client.name.endswith(".a")}

        head = (await c.heads([scene.stream]))[scene.stream]
        for client in clients:
            events = await follow_until(client, scene.stream, head)
            assert [event.seq for event in events] == list(range(starts[client.name] + 1, head + 1)), client.name
            assert len(set(answer_ids(events))) == len(answer_ids(events)) == counted.acked, client.name
            assert client.duplicates == 0 and client.gaps == 0, client.name


async def test_presence_converges_after_a_process_dies() -> None:
    """The organiser, on the surviving process, sees the people of the killed one as gone within
    the presence timeout (their rows are no longer refreshed), and the others as still there."""
    async with cluster(SHARED_REDIS_URL) as c:
        organiser = await c.organiser(via="b")
        scene = await stage_room(organiser, via="b")
        watching = c.live(organiser, scene.meeting_id, via="b")
        await watching.connect()
        await watching.until_resumed()
        people: dict[str, str] = {}  # participant id → the process its socket is on
        for process in ("a", "a", "b"):
            member = await join_room(c, organiser, scene, f"p{len(people)}", via=process)
            client = c.live(member, scene.meeting_id, via=process)
            welcome = await client.connect()
            await client.until_resumed()
            people[str(welcome.participant_id)] = process
        seen: dict[str, bool] = {}

        async def until(condition: Callable[[], bool]) -> None:
            async with asyncio.timeout(PRESENCE_TIMEOUT_S + 30):
                while not condition():
                    frame = await watching.next_control(wait_s=PRESENCE_TIMEOUT_S + 30)
                    if frame["type"] == "presence.changed":
                        seen.update({entry["participant_id"]: entry["connected"] for entry in frame["entries"]})

        await until(lambda: all(seen.get(participant) for participant in people))
        await c.server("a").kill()
        await until(lambda: not any(seen.get(p) for p, process in people.items() if process == "a"))
        assert all(seen[participant] for participant, process in people.items() if process == "b")
