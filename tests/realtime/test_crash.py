"""Crash: a server process is killed with SIGKILL during an answer flood and restarted; clients
reconnect and retry their unacknowledged commands. Every acknowledged answer is stored exactly
once: an ack is only sent after commit, and a retry finds the command's answer."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path

import httpx

from app.client.connection import LiveClient
from app.migrations_path import upgrade
from tests.scaleout.cluster import Scene
from tests.scaleout.floods import Flood, tally
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
        server_back = asyncio.Event()

        async def once_back(_client: LiveClient) -> None:  # the server died: reconnect to it when back
            await server_back.wait()

        flood = Flood(Scene(meeting, room, question, f"room:{room}"), ANSWERS_EACH)
        floods = [asyncio.create_task(flood.run(client, once_back)) for client in clients]
        await flood.until_acked(KILL_AFTER_ACKS)
        in_flight = sum(len(client.unacknowledged) for client in clients)
        await server.kill()
        await server.start()
        server_back.set()
        await asyncio.gather(*floods)

    counted = await tally(server.env["BREAKOUTS_DATABASE_URL"], room, flood.acked)
    print(counted.line())
    print(f"in flight at the kill={in_flight} reconnected clients={len(flood.reconnected)}")
    assert counted.acked == PARTICIPANTS * ANSWERS_EACH
    assert counted.lost == 0 and counted.duplicates == 0
    assert counted.stored_not_asked == 0  # nothing stored that was never asked for
    assert in_flight > 0 and flood.reconnected  # the kill did hit commands in flight
