"""Finding: signing out and erasure did not reach live sockets. A socket opened before logout kept
receiving staff events and could still send a broadcast; a ticket issued before logout still
opened a socket; an erased participant's socket kept receiving the room. Revoking a session closes
the sockets it opened (4403) and voids its unused tickets; another session of the same person is
left alone."""

from __future__ import annotations

import json
import uuid
from typing import cast

import httpx
from websockets.asyncio.client import ClientConnection
from websockets.exceptions import ConnectionClosed

from app.auth.access import Actor
from app.live.registry import LiveSocket, SocketRegistry
from app.realtime.connection import Connection
from app.realtime.hub import Hub
from app.realtime.limits import CloseCode
from app.vocabulary import Role
from tests.realtime.people import Person, World, world
from tests.realtime.raw import frames_until, next_frame, raw_socket, ticket_for
from tests.realtime.server import LiveServer
from tests.world import ORGANISER_PASSWORD


async def closed_with(connection: ClientConnection) -> int | None:
    """Read whatever is still queued until the server's close arrives; its code."""
    try:
        while True:
            await next_frame(connection)
    except ConnectionClosed:
        return connection.close_code


async def alive(connection: ClientConnection) -> bool:
    await connection.send(json.dumps({"type": "ping"}))
    return (await frames_until(connection, "pong"))[-1] == {"type": "pong"}


async def second_sign_in(w: World) -> Person:
    anonymous = await w.http()
    login = await anonymous.post(
        "/api/auth/login",
        json={"email": "organiser@example.org", "password": ORGANISER_PASSWORD, "session_delivery": "token"},
    )
    assert login.status_code == 200, login.text
    return Person(await w.http(login.json()["token"]), "organiser")


async def test_logout_closes_the_sessions_sockets_and_voids_its_tickets(live_server: LiveServer) -> None:
    async with world(live_server) as w:
        laptop = await second_sign_in(w)
        signed_out = await raw_socket(w, w.organiser)
        await frames_until(signed_out, "resumed")
        unused_ticket = await ticket_for(w, w.organiser)
        other_session = await raw_socket(w, laptop)
        await frames_until(other_session, "resumed")

        logout = await w.organiser.http.post("/api/auth/logout")
        assert logout.status_code == 204, logout.text

        assert await closed_with(signed_out) == CloseCode.FORBIDDEN
        late = await raw_socket(w, w.organiser, ticket=unused_ticket, hello=False)
        assert await closed_with(late) == CloseCode.BAD_TICKET
        refused = await w.organiser.http.post("/api/realtime/tickets", json={"meeting_id": str(w.meeting_id)})
        assert refused.status_code == 401
        # The organiser's other session (another device) keeps its socket and its events.
        assert await alive(other_session)
        sent = await laptop.http.post(f"/api/meetings/{w.meeting_id}/broadcasts", json={"message": "Still here"})
        assert sent.status_code == 201, sent.text
        assert (await frames_until(other_session, "broadcast.sent"))[-1]["data"]["broadcast"]["message"] == "Still here"
        await other_session.close()


async def test_logout_of_a_participant_closes_their_socket(live_server: LiveServer) -> None:
    async with world(live_server) as w:
        room = await w.add_room("Room A")
        amina = await w.join("participant", room, name="Amina")
        socket = await raw_socket(w, amina)
        await frames_until(socket, "resumed")
        unused_ticket = await ticket_for(w, amina)
        assert (await amina.http.post("/api/auth/logout")).status_code == 204
        assert await closed_with(socket) == CloseCode.FORBIDDEN
        late = await raw_socket(w, amina, ticket=unused_ticket, hello=False)
        assert await closed_with(late) == CloseCode.BAD_TICKET


async def test_erasure_closes_the_persons_sockets_and_voids_their_tickets(live_server: LiveServer) -> None:
    async with world(live_server) as w:
        room = await w.add_room("Room A")
        amina = await w.join("participant", room, name="Amina")
        bystander = await w.join("participant", room, name="Bashir")
        erased_socket = await raw_socket(w, amina)
        await frames_until(erased_socket, "resumed")
        unused_ticket = await ticket_for(w, amina)
        bystander_socket = await raw_socket(w, bystander)
        await frames_until(bystander_socket, "resumed")

        erased = await w.organiser.http.post(
            f"/api/participants/{amina.participant_id}/erase", json={"reason": "asked"}
        )
        assert erased.status_code == 200, erased.text

        assert await closed_with(erased_socket) == CloseCode.FORBIDDEN
        late = await raw_socket(w, amina, ticket=unused_ticket, hello=False)
        assert await closed_with(late) == CloseCode.BAD_TICKET
        assert await alive(bystander_socket)
        await bystander_socket.close()


async def test_a_ticket_outlives_nothing_once_its_cookie_session_is_signed_out(live_server: LiveServer) -> None:
    """The browser's way: the session rides in a cookie, signing out goes through the same door."""
    async with world(live_server) as w:
        invite = await w.organiser.http.post(f"/api/meetings/{w.meeting_id}/invites", json={"role": "participant"})
        token = invite.json()["url"].rsplit("/", 1)[1]
        async with httpx.AsyncClient(
            base_url=live_server.base_url, headers={"origin": "http://testserver"}, timeout=30
        ) as browser:
            opened = await browser.post(f"/api/invites/{token}/open", json={"display_name": "Chen"})
            assert opened.status_code == 200, opened.text
            person = Person(browser, "participant")
            socket = await raw_socket(w, person)
            await frames_until(socket, "resumed")
            unused_ticket = await ticket_for(w, person)
            assert (await browser.post("/api/auth/logout")).status_code == 204
            assert await closed_with(socket) == CloseCode.FORBIDDEN
            late = await raw_socket(w, person, ticket=unused_ticket, hello=False)
            assert await closed_with(late) == CloseCode.BAD_TICKET


def test_a_socket_admitted_while_its_session_was_revoked_is_refused_as_it_registers() -> None:
    """The ticket was redeemed just before the revocation committed; the notice found no socket
    to close. The registry remembers the revocation, and the gateway refuses the socket with 4403."""
    revoked, other = uuid.uuid4(), uuid.uuid4()
    registry = SocketRegistry(cast(Hub, None))
    registry.close_sessions({revoked})

    def socket_of(session_id: uuid.UUID) -> LiveSocket:
        actor = Actor(account_id=uuid.uuid4(), account_session_id=session_id)
        return LiveSocket(cast(Connection, None), actor, uuid.uuid4(), None, Role.ORGANISER, True, True)

    assert registry.revoked(socket_of(revoked))
    assert not registry.revoked(socket_of(other))
