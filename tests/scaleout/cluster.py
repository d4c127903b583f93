"""Several real server processes on one PostgreSQL database of the test's own and one Redis, as a
deployment runs them: ``uvicorn --factory app.asgi:create_from_environment`` subprocesses on free
ports. Clients hold a session token that any process accepts, and pick the process they talk to
(a load balancer with no sticky sessions could send them to either)."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections import deque
from collections.abc import AsyncIterator, Mapping
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from app.auth.service import create_account
from app.client.connection import Event, LiveClient
from app.database import create_database
from app.realtime.eventlog import stream_positions
from app.realtime.limits import MESSAGE_MAX_BYTES
from tests.conftest import TEST_JOIN_LIMITS, TEST_SECRET
from tests.databases import TestDatabase, create_postgres_database, drop_postgres_database
from tests.scaleout.redis_server import free_port
from tests.world import ORGANISER_PASSWORD

ROOT = Path(__file__).resolve().parents[2]
ORIGIN = "http://testserver"
ORGANISER_EMAIL = "organiser@example.org"


class ServerProcess:
    """One server: by default one uvicorn process; with ``workers``, ``breakouts serve --workers N``
    (uvicorn's supervisor and N worker processes, in a process group of their own). Its log is
    kept (the last lines) to explain a failure."""

    def __init__(
        self, name: str, database_url: str, redis_url: str, extra_env: Mapping[str, str], workers: int = 0
    ) -> None:
        self.name = name
        self.workers = workers
        self.port = free_port()
        self.env = {
            **os.environ,
            "BREAKOUTS_ENVIRONMENT": "test",
            "BREAKOUTS_DATABASE_URL": database_url,
            "BREAKOUTS_REDIS_URL": redis_url,
            "BREAKOUTS_SECRET_KEY": TEST_SECRET,
            "BREAKOUTS_ALLOWED_ORIGINS": f'["{ORIGIN}"]',
            "BREAKOUTS_PUBLIC_BASE_URL": ORIGIN,
            "BREAKOUTS_STATIC_DIR": "/nonexistent-static-dir",
            **{f"BREAKOUTS_{key.upper()}": str(value) for key, value in TEST_JOIN_LIMITS.items()},
            **extra_env,
        }
        self.process: asyncio.subprocess.Process | None = None
        self.log: deque[str] = deque(maxlen=200)
        self._drain: asyncio.Task[None] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def command(self) -> list[str]:
        if self.workers:
            port = str(self.port)
            return [sys.executable, "-m", "app.cli", "serve", "--port", port, "--workers", str(self.workers)]
        return [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            "app.asgi:create_from_environment",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--ws-max-size",
            str(MESSAGE_MAX_BYTES),
            "--ws-per-message-deflate",
            "false",
            "--no-access-log",
        ]

    async def start(self) -> None:
        self.process = await asyncio.create_subprocess_exec(
            *self.command(),
            cwd=ROOT,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=bool(self.workers),
        )
        assert self.process.stderr is not None
        async with asyncio.timeout(60):  # uvicorn says so once it listens
            while True:
                line = (await self.process.stderr.readline()).decode(errors="replace")
                if not line:
                    raise AssertionError(f"{self.name} exited while starting:\n" + "".join(self.log))
                self.log.append(line)
                if "Uvicorn running on" in line:
                    break
        self._drain = asyncio.create_task(self._keep_log(self.process))

    async def _keep_log(self, process: asyncio.subprocess.Process) -> None:
        assert process.stderr is not None
        while line := await process.stderr.readline():
            self.log.append(line.decode(errors="replace"))

    def logged(self, text: str) -> bool:
        return any(text in line for line in self.log)

    async def kill(self) -> None:
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGKILL)
        await self.process.wait()

    async def stop(self) -> None:
        if self.process is not None and self.process.returncode is None:
            if self.workers:  # the supervisor and its workers: the group this test started
                os.killpg(self.process.pid, signal.SIGTERM)
            else:
                self.process.terminate()
            await self.process.wait()
        if self._drain is not None:
            await self._drain


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
        engine = create_database(database.url)
        try:
            async with engine.write_sessions() as session:
                await create_account(session, ORGANISER_EMAIL, "Organiser", ORGANISER_PASSWORD)
                await session.commit()
        finally:
            await engine.dispose()
        servers = [ServerProcess(name, database.url, redis_url, extra_env or {}, workers) for name in names]
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
