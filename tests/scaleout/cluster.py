"""Several real server processes on one PostgreSQL database of the test's own and one Redis, as a
deployment runs them: ``uvicorn --factory app.asgi:create_from_environment`` subprocesses on free
ports. Clients hold a session token that any process accepts, and pick the process they talk to
(a load balancer with no sticky sessions could send them to either)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field

import httpx

from app.client.connection import Event, LiveClient
from app.database import create_database
from app.realtime.eventlog import stream_positions
from tests.conftest import TEST_JOIN_LIMITS
from tests.databases import TestDatabase, create_postgres_database, drop_postgres_database
from tests.server_process import ORGANISER_EMAIL, ORIGIN, ServerProcess, add_organiser
from tests.world import ORGANISER_PASSWORD


@dataclass
class Member:
    """Someone with a session: an HTTP client per process, all with the same token."""

    name: str
    token: str
    http: dict[str, httpx.AsyncClient] = field(default_factory=dict)


@dataclass
class Cluster:
    database: TestDatabase
    servers: list[ServerProcess]
    stack: AsyncExitStack

    def server(self, name: str) -> ServerProcess:
        return next(server for server in self.servers if server.name == name)

    async def member(self, name: str, token: str) -> Member:
        member = Member(name, token)
        for server in self.servers:
            client = httpx.AsyncClient(
                base_url=server.base_url, headers={"authorization": f"Bearer {token}"}, timeout=30
            )
            member.http[server.name] = await self.stack.enter_async_context(client)
        return member

    async def organiser(self, via: str) -> Member:
        anonymous = await self.stack.enter_async_context(
            httpx.AsyncClient(base_url=self.server(via).base_url, timeout=30)
        )
        login = await anonymous.post(
            "/api/auth/login",
            json={"email": ORGANISER_EMAIL, "password": ORGANISER_PASSWORD, "session_delivery": "token"},
        )
        assert login.status_code == 200, login.text
        return await self.member("organiser", login.json()["token"])

    def live(self, member: Member, meeting_id: str, via: str) -> LiveClient:
        client = LiveClient(
            self.server(via).base_url, member.http[via], meeting_id, origin=ORIGIN, name=f"{member.name}.{via}"
        )
        self.stack.push_async_callback(client.close)
        return client

    def move(self, client: LiveClient, member: Member, to: str) -> None:
        """Point a client at another process (as a load balancer may on its next connection)."""
        client.base_url = self.server(to).base_url
        client.http = member.http[to]

    async def heads(self, streams: list[str]) -> dict[str, int]:
        database = create_database(self.database.url)
        try:
            async with database.reading() as session:
                positions = await stream_positions(session, streams)
        finally:
            await database.dispose()
        return {stream: position.head for stream, position in positions.items()}


@asynccontextmanager
async def cluster(
    redis_url: str,
    names: tuple[str, ...] = ("a", "b"),
    extra_env: Mapping[str, str] | None = None,
    workers: int = 0,
) -> AsyncIterator[Cluster]:
    """A PostgreSQL database of this test's own (dropped after it), an organiser account, and
    one server per name (each ``workers`` processes when given), all on ``redis_url``."""
    database = await asyncio.to_thread(create_postgres_database)
    try:
        await add_organiser(database.url)
        settings = {
            "BREAKOUTS_REDIS_URL": redis_url,
            **{f"BREAKOUTS_{key.upper()}": str(value) for key, value in TEST_JOIN_LIMITS.items()},
            **(extra_env or {}),
        }
        servers = [ServerProcess(name, database.url, settings, workers) for name in names]
        async with AsyncExitStack() as stack:
            for server in servers:
                stack.push_async_callback(server.stop)
            await asyncio.gather(*(server.start() for server in servers))
            yield Cluster(database, servers, stack)
    finally:
        await asyncio.to_thread(drop_postgres_database, database)


@dataclass
class Scene:
    """A meeting in breakouts with one room and a live open question."""

    meeting_id: str
    room_id: str
    question_id: str
    stream: str


async def stage_room(organiser: Member, via: str) -> Scene:
    http = organiser.http[via]
    meeting = (await http.post("/api/meetings", json={"title": "Scale-out consultation"})).json()["id"]
    room = (await http.post(f"/api/meetings/{meeting}/rooms", json={"name": "Room 1"})).json()["id"]
    question = (await http.post(f"/api/meetings/{meeting}/questions", json={"text": "What would help?"})).json()["id"]
    allocated = await http.put(f"/api/questions/{question}/allocations", json={"room_ids": [room]})
    assert allocated.status_code == 200, allocated.text
    for phase in ("lobby", "plenary", "breakouts"):
        moved = await http.post(f"/api/meetings/{meeting}/phase", json={"phase": phase})
        assert moved.status_code == 200, moved.text
    pushed = await http.post(f"/api/rooms/{room}/questions/{question}/push")
    assert pushed.status_code == 200, pushed.text
    return Scene(meeting, room, question, f"room:{room}")


async def join_room(cluster: Cluster, organiser: Member, scene: Scene, name: str, via: str) -> Member:
    """A participant of the scene's room, through an invite opened on ``via``."""
    invite = await organiser.http[via].post(
        f"/api/meetings/{scene.meeting_id}/invites", json={"role": "participant", "room_id": scene.room_id}
    )
    assert invite.status_code == 201, invite.text
    token = invite.json()["url"].rsplit("/", 1)[1]
    anonymous = await cluster.stack.enter_async_context(
        httpx.AsyncClient(base_url=cluster.server(via).base_url, timeout=30)
    )
    opened = await anonymous.post(
        f"/api/invites/{token}/open", json={"display_name": name, "session_delivery": "token"}
    )
    assert opened.status_code == 200, opened.text
    return await cluster.member(name, opened.json()["token"])


async def people_on_each(
    cluster: Cluster, organiser: Member, scene: Scene, per_process: int, processes: tuple[str, ...] = ("a", "b")
) -> list[tuple[Member, LiveClient]]:
    """``per_process`` participants of the scene's room (``p0``, ``p1`` …) joined through each of
    ``processes`` in turn, each with a live client on that process, connected and resumed."""
    people = []
    for process in processes:
        for index in range(per_process):
            member = await join_room(cluster, organiser, scene, f"p{index}", via=process)
            client = cluster.live(member, scene.meeting_id, via=process)
            await client.connect()
            await client.until_resumed()
            people.append((member, client))
    return people


def answer_ids(events: list[Event]) -> list[str]:
    return [event.data["answer_id"] for event in events if event.type == "answer.submitted"]


async def follow_until(client: LiveClient, stream: str, head: int, wait_s: float = 30) -> list[Event]:
    """The events of ``stream`` that arrive until the client's cursor reaches ``head`` (events of
    other streams are skipped). Fails when they stop arriving for ``wait_s``."""
    events = []
    while client.cursors.get(stream, 0) < head or not client.events.empty():
        event = await client.next_event(wait_s=wait_s)
        if event.stream == stream:
            events.append(event)
    return events
