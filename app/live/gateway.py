"""The ``/ws`` handshake: Origin, ticket, access, connection cap; then the socket runs.

The Origin is checked before accepting (a refused origin gets HTTP 403 and no socket). A missing
Origin is allowed: browsers always send one, so only non-browser clients (the Python client, the
benchmark) omit it, and they still need a ticket. Every other refusal accepts and then closes
with a code (4401, 4403, 4429) so that the client learns what to do; nothing is read first.
"""

from __future__ import annotations

import contextlib
import uuid
from dataclasses import dataclass

from pydantic import BaseModel
from starlette.websockets import WebSocket

from app.auth.access import Actor, meeting_access
from app.errors import DomainError
from app.live import service
from app.live.registry import LiveSocket
from app.live.runtime import LiveRuntime
from app.realtime.connection import Connection, Grant, Identity
from app.realtime.limits import MAX_CONNECTIONS_PER_ACTOR, SUBPROTOCOL, TICKET_SUBPROTOCOL_PREFIX, CloseCode
from app.realtime.presence import open_sockets_of, record_closed, record_open
from app.realtime.protocol import ClientCommand
from app.settings import Settings
from app.vocabulary import Role

REFUSALS = {
    CloseCode.BAD_TICKET: "ticket missing, used or expired: get a new one",
    CloseCode.FORBIDDEN: "no access to this meeting",
    CloseCode.TOO_MANY_CONNECTIONS: f"more than {MAX_CONNECTIONS_PER_ACTOR} sockets open: close one",
}


@dataclass(frozen=True, slots=True)
class Admission:
    actor: Actor
    meeting_id: uuid.UUID
    participant_id: uuid.UUID | None
    role: Role
    staff: bool
    every_room: bool
    grants: list[Grant]
    row_id: uuid.UUID


def origin_allowed(settings: Settings, origin: str | None) -> bool:
    allowed = {value.rstrip("/") for value in settings.allowed_origins}
    return origin is None or origin.rstrip("/") in allowed


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
    admitted = await admit(runtime, offered_ticket(offered))
    await websocket.accept(SUBPROTOCOL if SUBPROTOCOL in offered else None)
    if isinstance(admitted, CloseCode):
        await websocket.close(code=admitted, reason=REFUSALS[admitted])
        return
    try:
        await _run(websocket, runtime, admitted)
    finally:
        with contextlib.suppress(Exception):  # the row times out by itself if this fails
            async with runtime.writes.turn(), runtime.database.write_sessions() as session:
                await record_closed(session, admitted.row_id)
                await session.commit()
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
        await connection.serve()
    finally:
        runtime.registry.remove(socket)
        runtime.presence.forget(connection)


async def admit(runtime: LiveRuntime, ticket: str | None) -> Admission | CloseCode:
    """Redeem the ticket, resolve the caller's access and streams and record the socket, in one
    transaction: a refused socket leaves nothing behind but its spent ticket."""
    async with runtime.writes.turn(), runtime.database.write_sessions() as session:
        redeemed = await service.redeem_ticket(session, ticket) if ticket else None
        if redeemed is None:
            await session.commit()
            return CloseCode.BAD_TICKET
        try:
            access = await meeting_access(session, redeemed.actor, redeemed.meeting_id)
        except DomainError:
            await session.commit()
            return CloseCode.FORBIDDEN
        if await open_sockets_of(session, redeemed.actor.key) >= MAX_CONNECTIONS_PER_ACTOR:
            await session.commit()
            return CloseCode.TOO_MANY_CONNECTIONS
        grants = await service.stream_grants(session, access)
        participant_id = access.participant.id if access.participant is not None else None
        row_id = await record_open(
            session,
            process_id=runtime.hub.process_id,
            actor_key=redeemed.actor.key,
            meeting_id=access.meeting_id,
            participant_id=participant_id,
        )
        await session.commit()
    # A co-organiser on the roster steers every room, like the organiser.
    co_organiser = access.participant is not None and access.participant.role == Role.ORGANISER
    return Admission(
        actor=redeemed.actor,
        meeting_id=access.meeting_id,
        participant_id=participant_id,
        role=access.role,
        staff=access.is_staff,
        every_room=access.is_organiser or access.role is Role.OBSERVER or co_organiser,
        grants=grants,
        row_id=row_id,
    )
