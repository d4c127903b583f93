"""The ``/ws`` handshake: Origin, ticket, access, connection cap; then the socket runs.

The Origin is checked before accepting (a refused origin gets HTTP 403 and no socket). A missing
Origin is allowed: browsers always send one, so only non-browser clients (the Python client, the
benchmark) omit it, and they still need a ticket. Every other refusal accepts and then closes
with a code (4401, 4403, 4429) so that the client learns what to do; nothing is read first.

The ticket is redeemed by ``runtime.admit`` (``app/live/service.py``): nothing is written to the
database; the socket counts in presence until it closes (``runtime.close``).
"""

from __future__ import annotations

import asyncio
import contextlib

from pydantic import BaseModel
from starlette.websockets import WebSocket

from app.cross_site import origin_of
from app.live.registry import SIGNED_OUT, LiveSocket
from app.live.runtime import LiveRuntime
from app.live.service import Admission
from app.realtime.connection import Connection, Identity
from app.realtime.limits import MAX_CONNECTIONS_PER_ACTOR, SUBPROTOCOL, TICKET_SUBPROTOCOL_PREFIX, CloseCode
from app.realtime.protocol import ClientCommand
from app.settings import Settings

REFUSALS = {
    CloseCode.BAD_TICKET: "ticket missing, used or expired: get a new one",
    CloseCode.FORBIDDEN: "no access to this meeting",
    CloseCode.TOO_MANY_CONNECTIONS: f"more than {MAX_CONNECTIONS_PER_ACTOR} sockets open: close one",
}


def origin_allowed(settings: Settings, origin: str | None) -> bool:
    """The server's own public address is always allowed, as for HTTP (``app/cross_site.py``):
    ``make run PORT=8080`` sets only the public address, and its pages must open their socket."""
    if origin is None:
        return True
    allowed = {origin_of(value) for value in (*settings.allowed_origins, settings.public_base_url)}
    return origin_of(origin) in allowed


def offered_ticket(offered: list[str]) -> str | None:
    for protocol in offered:
        if protocol.startswith(TICKET_SUBPROTOCOL_PREFIX):
            return protocol.removeprefix(TICKET_SUBPROTOCOL_PREFIX)
    return None


async def serve_socket(websocket: WebSocket, runtime: LiveRuntime, settings: Settings) -> None:
    if not origin_allowed(settings, websocket.headers.get("origin")):
        await websocket.close(code=CloseCode.FORBIDDEN)  # before accept: an HTTP 403
        return
    offered: list[str] = list(websocket.scope.get("subprotocols") or [])
    ticket = offered_ticket(offered)
    secret_key = settings.secret_key.get_secret_value()
    admitted = await runtime.admit(secret_key, ticket) if ticket else CloseCode.BAD_TICKET
    try:
        await websocket.accept(SUBPROTOCOL if SUBPROTOCOL in offered else None)
        if isinstance(admitted, CloseCode):
            await websocket.close(code=admitted, reason=REFUSALS[admitted])
            return
        await _run(websocket, runtime, admitted)
    finally:
        if isinstance(admitted, Admission):
            # Shielded: a handler cancelled on shutdown still stops counting in presence.
            with contextlib.suppress(Exception):
                await asyncio.shield(runtime.close(admitted))
            runtime.presence.touch(admitted.meeting_id)


async def _run(websocket: WebSocket, runtime: LiveRuntime, admitted: Admission) -> None:
    async def run_command(_: Connection, command: ClientCommand) -> BaseModel:
        return await runtime.commands.run(admitted.actor, command)

    identity = Identity(
        actor_key=admitted.actor.key,
        meeting_id=admitted.meeting_id,
        participant_id=admitted.participant_id,
        role=admitted.role,
    )
    connection = Connection(
        websocket,
        runtime.hub,
        identity,
        admitted.grants,
        run_command,
        on_welcome=lambda _: runtime.presence.greet(socket),
    )
    socket = LiveSocket(
        connection=connection,
        actor=admitted.actor,
        meeting_id=admitted.meeting_id,
        participant_id=admitted.participant_id,
        role=admitted.role,
        staff=admitted.staff,
        every_room=admitted.every_room,
    )
    await runtime.registry.add(socket)
    runtime.presence.touch(admitted.meeting_id)
    try:
        if runtime.registry.revoked(socket):
            # Signed out while this socket was being admitted: the revocation did not find it.
            await websocket.close(code=CloseCode.FORBIDDEN, reason=SIGNED_OUT)
            return
        await connection.serve()
    finally:
        runtime.registry.remove(socket)
        runtime.presence.forget(connection)
