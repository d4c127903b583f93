"""Sockets are admitted in batches: handshakes that arrive together share one transaction, yet each
gets its own outcome (welcome, 4401, 4403, 4429) and a refusal leaves nothing behind."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator, Sequence
from datetime import timedelta

from sqlalchemy import func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession
from websockets.asyncio.client import ClientConnection

from app.auth.secrets import token_hash
from app.database import utcnow
from app.live.models import SocketTicket
from app.live.runtime import LiveRuntime
from app.live.service import Admission
from app.realtime.limits import MAX_CONNECTIONS_PER_ACTOR, CloseCode
from app.realtime.presence import LiveConnection
from app.state import AppState
from tests.realtime.people import Person, World, world
from tests.realtime.raw import frames_until, next_frame, raw_socket, ticket_for
from tests.realtime.server import LiveServer


async def _expired_ticket(w: World, person: Person) -> str:
    ticket = await ticket_for(w, person)
    async with w.server.state.database.write_sessions() as session:
        await session.execute(
            update(SocketTicket)
            .where(SocketTicket.token_hash == token_hash(ticket))
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )
        await session.commit()
    return ticket


async def _used_ticket(w: World, person: Person) -> str:
    """A ticket that opened a socket (left open, so that its row stays as it is)."""
    ticket = await ticket_for(w, person)
    connection = await raw_socket(w, person, ticket=ticket)
    assert (await next_frame(connection))["type"] == "welcome"
    return ticket


async def _open_rows(state: AppState) -> dict[str, int]:
    async with state.database.reading() as session:
        rows = await session.execute(
            select(LiveConnection.actor_key, func.count())
            .where(LiveConnection.closed_at.is_(None))
            .group_by(LiveConnection.actor_key)
        )
        return {actor_key: count for actor_key, count in rows}


async def _tickets_left(state: AppState) -> int:
    async with state.database.reading() as session:
        return int(await session.scalar(select(func.count()).select_from(SocketTicket)) or 0)


def _recording_batches(runtime: LiveRuntime) -> list[int]:
    """Wrap the real admission writer to note each batch's size."""
    sizes: list[int] = []
    write = runtime.admissions.write

    async def recorded(session: AsyncSession, tickets: Sequence[str | None]) -> list[Admission | CloseCode | Exception]:
        sizes.append(len(tickets))
        return await write(session, tickets)

    runtime.admissions.write = recorded
    return sizes


async def test_handshakes_arriving_together_each_get_their_own_outcome(live_server: LiveServer) -> None:
    async with world(live_server) as w:
        room = await w.add_room("Room A")
        amina = await w.join("participant", room, name="Amina")
        bilal = await w.join("participant", room, name="Bilal")
        chen = await w.join("participant", room, name="Chen")
        crowded = await w.join("participant", room, name="Dara")
        leaving = await w.join("participant", room, name="Erin")
        open_ones = [await raw_socket(w, crowded) for _ in range(MAX_CONNECTIONS_PER_ACTOR)]
        for connection in open_ones:
            assert (await frames_until(connection, "resumed"))[0]["type"] == "welcome"
        used = await _used_ticket(w, bilal)
        expired = await _expired_ticket(w, chen)
        crowded_ticket = await ticket_for(w, crowded)
        leaving_ticket = await ticket_for(w, leaving)  # issued before the person lost access
        erased = await w.organiser.http.post(f"/api/participants/{leaving.participant_id}/erase", json={})
        assert erased.status_code == 200, erased.text
        amina_ticket = await ticket_for(w, amina)
        before = await _open_rows(live_server.state)

        attempts: list[tuple[Person, str, bool]] = [
            (bilal, used, False),
            (amina, amina_ticket, True),
            (chen, expired, False),
            (crowded, crowded_ticket, False),
            (leaving, leaving_ticket, False),
            (chen, "not-a-ticket", False),
        ]
        connections: list[ClientConnection] = await asyncio.gather(
            *(raw_socket(w, person, ticket=ticket, hello=hello) for person, ticket, hello in attempts)
        )
        amina_socket = connections[1]
        assert (await frames_until(amina_socket, "resumed"))[0]["type"] == "welcome"
        refused = [c for c in connections if c is not amina_socket]
        for connection in refused:
            await connection.wait_closed()
        assert [c.close_code for c in refused] == [
            CloseCode.BAD_TICKET,  # used
            CloseCode.BAD_TICKET,  # expired
            CloseCode.TOO_MANY_CONNECTIONS,
            CloseCode.BAD_TICKET,  # void: the erasure revoked the session it was issued to
            CloseCode.BAD_TICKET,  # never issued
        ]

        # Only Amina's socket was recorded; every ticket offered is spent, refused or not.
        after = await _open_rows(live_server.state)
        assert after == {**before, f"participant:{amina.participant_id}": 1}
        assert await _tickets_left(live_server.state) == 0
        await amina_socket.send('{"type": "ping"}')
        assert (await frames_until(amina_socket, "pong"))[-1] == {"type": "pong"}


async def test_one_batch_admits_and_refuses_each_ticket_on_its_own(live_server: LiveServer) -> None:
    """Submitted in one loop tick, the tickets share one transaction; a caller's earlier sockets in
    the batch count towards their cap."""
    async with world(live_server) as w:
        room = await w.add_room("Room A")
        amina = await w.join("participant", room, name="Amina")
        bilal = await w.join("participant", room, name="Bilal")
        runtime = live_server.state.live
        bilal_tickets = [await ticket_for(w, bilal) for _ in range(MAX_CONNECTIONS_PER_ACTOR + 1)]
        tickets = [await ticket_for(w, amina), "not-a-ticket", *bilal_tickets, await _expired_ticket(w, amina)]
        batches = _recording_batches(runtime)

        outcomes = await asyncio.gather(*(runtime.admissions.submit(ticket) for ticket in tickets))

        assert batches == [len(tickets)]
        assert isinstance(outcomes[0], Admission) and outcomes[0].participant_id == amina.participant_id
        assert outcomes[1] is CloseCode.BAD_TICKET
        bilal_outcomes = outcomes[2 : 2 + len(bilal_tickets)]
        assert all(isinstance(outcome, Admission) for outcome in bilal_outcomes[:-1])
        assert bilal_outcomes[-1] is CloseCode.TOO_MANY_CONNECTIONS
        assert outcomes[-1] is CloseCode.BAD_TICKET
        assert await _open_rows(live_server.state) == {
            f"participant:{amina.participant_id}": 1,
            f"participant:{bilal.participant_id}": MAX_CONNECTIONS_PER_ACTOR,
        }
        assert await _tickets_left(live_server.state) == 0
        # The rows are each socket's own: closing them in one batch frees every place.
        rows = [outcome.row_id for outcome in outcomes if isinstance(outcome, Admission)]
        await asyncio.gather(*(runtime.closings.submit(row_id) for row_id in rows))
        assert await _open_rows(live_server.state) == {}


@contextlib.asynccontextmanager
async def _writer_held(state: AppState) -> AsyncIterator[None]:
    """Keep the socket admissions waiting: on SQLite hold the process's write connection, on
    PostgreSQL lock the tickets table."""
    async with state.database.write_sessions() as session:
        if state.database.is_sqlite:
            await session.execute(text("SELECT 1"))
        else:
            await session.execute(text("LOCK TABLE socket_tickets IN ACCESS EXCLUSIVE MODE"))
        yield
        await session.commit()


async def test_a_handshake_given_up_during_its_batch_leaves_no_open_row(live_server: LiveServer) -> None:
    async with world(live_server) as w:
        amina = await w.join("participant", await w.add_room("Room A"), name="Amina")
        ticket = await ticket_for(w, amina)
        runtime = live_server.state.live
        write = runtime.admissions.write
        writing = asyncio.Event()

        async def noted(
            session: AsyncSession, tickets: Sequence[str | None]
        ) -> list[Admission | CloseCode | Exception]:
            writing.set()
            return await write(session, tickets)

        runtime.admissions.write = noted
        async with _writer_held(live_server.state):
            handshake = asyncio.create_task(runtime.admissions.submit(ticket))
            await asyncio.wait_for(writing.wait(), 10)
            handshake.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await handshake
        assert handshake.cancelled()
        # Batches commit in order: once a later admission and then a later closing have, the
        # abandoned socket was admitted and its row marked closed.
        assert await runtime.admissions.submit("not-a-ticket") is CloseCode.BAD_TICKET
        await runtime.closings.submit(uuid.uuid4())
        assert await _open_rows(live_server.state) == {}
        assert await _tickets_left(live_server.state) == 0
