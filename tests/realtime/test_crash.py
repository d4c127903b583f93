"""Crash: a server process is killed with SIGKILL during an answer flood and restarted; clients
reconnect and retry their unacknowledged commands. Every acknowledged answer is stored exactly
once: an ack is only sent after commit, and a retry finds the command's answer."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path

import httpx
from sqlalchemy import func, select

from app.answers.models import Answer
from app.client.connection import LiveClient
from app.database import create_database
from app.migrations_path import upgrade
from tests.server_process import ORGANISER_EMAIL, ORIGIN, ServerProcess, add_organiser
from tests.world import ORGANISER_PASSWORD

PARTICIPANTS = 8
ANSWERS_EACH = 25
KILL_AFTER_ACKS = 60


@asynccontextmanager
async def server_process(tmp_path: Path) -> AsyncIterator[ServerProcess]:
    url = f"sqlite+aiosqlite:///{tmp_path / 'crash.db'}"
    upgrade(url)
    await add_organiser(url)
    server = ServerProcess("crash", url)
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
        json={"email": ORGANISER_EMAIL, "password": ORGANISER_PASSWORD, "session_delivery": "token"},
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
        base_url = server.base_url
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
