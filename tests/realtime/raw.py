"""Raw sockets for tests that misbehave on purpose (malformed frames, no reading, bad origins)."""

from __future__ import annotations

import json
import socket
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.typing import Origin, Subprotocol

from app.client.connection import websocket_url
from app.realtime.limits import SUBPROTOCOL, TICKET_SUBPROTOCOL_PREFIX
from tests.realtime.people import ORIGIN, Person, World


async def ticket_for(world: World, person: Person) -> str:
    response = await person.http.post("/api/realtime/tickets", json={"meeting_id": str(world.meeting_id)})
    assert response.status_code == 201, response.text
    ticket: str = response.json()["ticket"]
    return ticket


async def raw_socket(
    world: World,
    person: Person,
    *,
    origin: str | None = ORIGIN,
    ticket: str | None = None,
    receive_buffer: int | None = None,
    hello: bool = True,
    max_queue: int = 16,
) -> ClientConnection:
    """Open ``/ws`` by hand. ``receive_buffer`` shrinks the kernel's buffer (a phone that stops
    reading fills it fast); ``max_queue`` frames are read ahead before the client stops reading."""
    ticket = ticket or await ticket_for(world, person)
    sock = None
    if receive_buffer is not None:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)
        sock.connect(("127.0.0.1", world.server.port))
        sock.setblocking(False)
    extra: dict[str, Any] = {"sock": sock} if sock is not None else {}
    connection = await connect(
        websocket_url(world.server.base_url),
        subprotocols=[Subprotocol(SUBPROTOCOL), Subprotocol(TICKET_SUBPROTOCOL_PREFIX + ticket)],
        origin=Origin(origin) if origin else None,
        compression=None,
        proxy=None,
        max_queue=max_queue,
        **extra,
    )
    if hello:
        await connection.send(json.dumps({"type": "hello"}))
    return connection


async def next_frame(connection: ClientConnection, timeout: float = 10) -> dict[str, Any]:
    import asyncio

    frame: dict[str, Any] = json.loads(await asyncio.wait_for(connection.recv(), timeout))
    return frame


async def frames_until(connection: ClientConnection, kind: str, timeout: float = 10) -> list[dict[str, Any]]:
    """Every frame up to and including the first of type ``kind``."""
    frames = []
    while True:
        frame = await next_frame(connection, timeout)
        frames.append(frame)
        if frame.get("type") == kind:
            return frames
