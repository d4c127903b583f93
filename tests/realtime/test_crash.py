"""Crash: a server process is killed with SIGKILL during an answer flood and restarted; clients
reconnect and retry their unacknowledged commands. Every acknowledged answer is stored exactly
once: an ack is only sent after commit, and a retry finds the command's answer."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path

import httpx
from sqlalchemy import func, select

from app.answers.models import Answer
from app.auth.service import create_account
from app.client.connection import LiveClient
from app.database import create_database
from app.migrations_path import upgrade
from app.realtime.limits import MESSAGE_MAX_BYTES
from tests.conftest import TEST_SECRET
from tests.world import ORGANISER_PASSWORD

ROOT = Path(__file__).resolve().parents[2]
ORIGIN = "http://testserver"
PARTICIPANTS = 8
ANSWERS_EACH = 25
KILL_AFTER_ACKS = 60


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class ServerProcess:
    """``uvicorn --factory app.asgi:create_from_environment`` on a fixed port, as operators run it."""

    def __init__(self, database_url: str, port: int) -> None:
        self.port = port
        self.env = {
            **os.environ,
            "BREAKOUTS_ENVIRONMENT": "test",
            "BREAKOUTS_DATABASE_URL": database_url,
            "BREAKOUTS_SECRET_KEY": TEST_SECRET,
            "BREAKOUTS_ALLOWED_ORIGINS": f'["{ORIGIN}"]',
            "BREAKOUTS_PUBLIC_BASE_URL": ORIGIN,
            "BREAKOUTS_STATIC_DIR": "/nonexistent-static-dir",
        }
        self.process: asyncio.subprocess.Process | None = None
        self.drain: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self.process = await asyncio.create_subprocess_exec(
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
            cwd=ROOT,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        assert self.process.stderr is not None
        async with asyncio.timeout(30):  # uvicorn says so once it listens
            while b"Uvicorn running on" not in await self.process.stderr.readline():
                pass
        self.drain = asyncio.create_task(self._drain_stderr(self.process))

    @staticmethod
    async def _drain_stderr(process: asyncio.subprocess.Process) -> None:
        assert process.stderr is not None
        while await process.stderr.readline():
            pass

    async def kill(self) -> None:
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGKILL)
        await self.process.wait()

    async def stop(self) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.terminate()
            await self.process.wait()


@asynccontextmanager
async def server_process(tmp_path: Path) -> AsyncIterator[ServerProcess]:
    url = f"sqlite+aiosqlite:///{tmp_path / 'crash.db'}"
    upgrade(url)
    database = create_database(url)
    async with database.write_sessions() as session:
        await create_account(session, "organiser@example.org", "Organiser", ORGANISER_PASSWORD)
        await session.commit()
    await database.dispose()
    server = ServerProcess(url, _free_port())
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


async def _stage(
    http: httpx.AsyncClient, stack: AsyncExitStack, base_url: str
) -> tuple[str, str, str, list[httpx.AsyncClient]]:
    """A meeting in breakouts with one room, a live question and the participants' sessions."""
    login = await http.post(
        "/api/auth/login",
        json={"email": "organiser@example.org", "password": ORGANISER_PASSWORD, "session_delivery": "token"},
    )
    http.headers["authorization"] = f"Bearer {login.json()['token']}"
    meeting = (await http.post("/api/meetings", json={"title": "Crash test"})).json()["id"]
    room = (await http.post(f"/api/meetings/{meeting}/rooms", json={"name": "Room 1"})).json()["id"]
    question = (await http.post(f"/api/meetings/{meeting}/questions", json={"text": "Why?"})).json()["id"]
    await http.put(f"/api/questions/{question}/allocations", json={"room_ids": [room]})
    for phase in ("lobby", "plenary", "breakouts"):
        await http.post(f"/api/meetings/{meeting}/phase", json={"phase": phase})
    assert (await http.post(f"/api/rooms/{room}/questions/{question}/push")).status_code == 200
    people = []
    for index in range(PARTICIPANTS):
        invite = await http.post(f"/api/meetings/{meeting}/invites", json={"role": "participant", "room_id": room})
        token = invite.json()["url"].rsplit("/", 1)[1]
        opened = await http.post(
            f"/api/invites/{token}/open", json={"display_name": f"Person {index}", "session_delivery": "token"}
        )
        person = httpx.AsyncClient(
            base_url=base_url, headers={"authorization": f"Bearer {opened.json()['token']}"}, timeout=30
        )
        people.append(await stack.enter_async_context(person))
    return meeting, room, question, people


async def test_killed_server_loses_no_acknowledged_answer(tmp_path: Path) -> None:
    async with server_process(tmp_path) as server, AsyncExitStack() as stack:
        base_url = f"http://127.0.0.1:{server.port}"
        http = await stack.enter_async_context(httpx.AsyncClient(base_url=base_url, timeout=30))
        meeting, room, question, people = await _stage(http, stack, base_url)
        clients = [
            LiveClient(base_url, person, meeting, origin=ORIGIN, name=f"p{i}") for i, person in enumerate(people)
        ]
        for client in clients:
            stack.push_async_callback(client.close)
            await client.connect()
        acked: set[str] = set()
        enough_acked = asyncio.Event()
        server_back = asyncio.Event()
        reconnects: list[str] = []

        async def flood(client: LiveClient) -> None:
            for index in range(ANSWERS_EACH):
                command_id = f"{client.name}-answer-{index}"
                pending = await client.submit(
                    "answer.submit", id=command_id, room_id=room, question_id=question, text=f"answer {index}"
                )
                while not pending.answer.done():
                    closed = asyncio.create_task(client.wait_closed(wait_s=60))
                    await asyncio.wait({pending.answer, closed}, return_when=asyncio.FIRST_COMPLETED)
                    closed.cancel()
                    if not pending.answer.done():  # the server died: reconnect, which resends
                        await server_back.wait()
                        await client.reconnect()
                        reconnects.append(client.name)
                pending.answer.result()
                acked.add(command_id)
                if len(acked) >= KILL_AFTER_ACKS:
                    enough_acked.set()

        floods = [asyncio.create_task(flood(client)) for client in clients]
        await enough_acked.wait()
        in_flight = sum(len(client.unacknowledged) for client in clients)
        await server.kill()
        await server.start()
        server_back.set()
        await asyncio.gather(*floods)

    database = create_database(server.env["BREAKOUTS_DATABASE_URL"])
    try:
        async with database.reading() as session:
            rows = (
                await session.execute(
                    select(Answer.client_id, func.count())
                    .where(Answer.room_id == uuid.UUID(room))
                    .group_by(Answer.client_id)
                )
            ).all()
    finally:
        await database.dispose()
    stored = dict(rows)
    stored_of_acked = sum(1 for command_id in acked if stored.get(command_id, 0) >= 1)
    lost = len(acked) - stored_of_acked
    duplicates = sum(count - 1 for count in stored.values())
    print(f"acked={len(acked)} stored_of_acked={stored_of_acked}/{len(acked)} lost={lost} duplicates={duplicates}")
    print(f"in flight at the kill={in_flight} reconnected clients={len(reconnects)}")
    assert len(acked) == PARTICIPANTS * ANSWERS_EACH
    assert lost == 0 and duplicates == 0
    assert set(stored) == acked  # nothing stored that was never asked for
    assert in_flight > 0 and reconnects  # the kill did hit commands in flight
