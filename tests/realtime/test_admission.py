"""Admitting a socket: each handshake gets its own outcome (welcome, 4401, 4403, 4429), a ticket
opens one socket once, a refusal leaves nothing behind, and nothing is written to the database."""

from __future__ import annotations

import asyncio
import dataclasses
import time
import uuid

from websockets.asyncio.client import ClientConnection

from app.auth.access import Actor, MeetingAccess, meeting_access
from app.errors import DomainError
from app.live.ledger import TicketLedger
from app.live.service import Admission
from app.live.tickets import sign_ticket
from app.realtime.limits import MAX_CONNECTIONS_PER_ACTOR, CloseCode
from app.state import AppState
from tests.realtime.people import Person, World, world
from tests.realtime.raw import frames_until, next_frame, raw_socket, ticket_for
from tests.realtime.server import LiveServer
from tests.statements import statements_matching


def _secret(state: AppState) -> str:
    return state.settings.secret_key.get_secret_value()


def _expired_ticket(w: World, person: Person) -> str:
    """Well signed for the person, but its time is up."""
    actor = Actor(participant_id=person.participant_id, participant_session_id=uuid.uuid4())
    return sign_ticket(_secret(w.server.state), w.meeting_id, actor, int(time.time()) - 1)


async def _used_ticket(w: World, person: Person) -> str:
    """A ticket that opened a socket (left open)."""
    ticket = await ticket_for(w, person)
    connection = await raw_socket(w, person, ticket=ticket)
    assert (await next_frame(connection))["type"] == "welcome"
    return ticket


def _writes(statements: list[str]) -> list[str]:
    verbs = ("INSERT", "UPDATE", "DELETE")
    return [s for s in statements if s.lstrip().upper().startswith(verbs)]


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
        expired = _expired_ticket(w, chen)
        crowded_ticket = await ticket_for(w, crowded)
        leaving_ticket = await ticket_for(w, leaving)  # issued before the person lost access
        erased = await w.organiser.http.post(f"/api/participants/{leaving.participant_id}/erase", json={})
        assert erased.status_code == 200, erased.text
        amina_ticket = await ticket_for(w, amina)
        forged = amina_ticket[:-4] + ("AAAA" if not amina_ticket.endswith("AAAA") else "BBBB")

        attempts: list[tuple[Person, str, bool]] = [
            (bilal, used, False),
            (amina, amina_ticket, True),
            (chen, expired, False),
            (crowded, crowded_ticket, False),
            (leaving, leaving_ticket, False),
            (chen, "not-a-ticket", False),
            (amina, forged, False),
        ]
        with statements_matching(live_server.state.database) as statements:
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
            CloseCode.BAD_TICKET,  # forged signature
        ]
        assert _writes(statements) == []  # admission reads; it never writes
        presence = live_server.state.live.presence_store
        assert await presence.sockets_of(f"participant:{amina.participant_id}") == 1
        assert await presence.sockets_of(f"participant:{crowded.participant_id}") == MAX_CONNECTIONS_PER_ACTOR
        await amina_socket.send('{"type": "ping"}')
        assert (await frames_until(amina_socket, "pong"))[-1] == {"type": "pong"}


async def test_a_ticket_opens_one_socket_even_when_offered_twice_at_once(live_server: LiveServer) -> None:
    async with world(live_server) as w:
        amina = await w.join("participant", await w.add_room("Room A"), name="Amina")
        runtime = live_server.state.live
        ticket = await ticket_for(w, amina)
        outcomes = await asyncio.gather(*(runtime.admit(_secret(live_server.state), ticket) for _ in range(5)))
        admitted = [outcome for outcome in outcomes if isinstance(outcome, Admission)]
        assert len(admitted) == 1 and admitted[0].participant_id == amina.participant_id
        assert outcomes.count(CloseCode.BAD_TICKET) == 4
        await runtime.close(admitted[0])
        assert await runtime.presence_store.sockets_of(f"participant:{amina.participant_id}") == 0


async def test_the_cap_counts_sockets_admitted_together(live_server: LiveServer) -> None:
    async with world(live_server) as w:
        bilal = await w.join("participant", await w.add_room("Room A"), name="Bilal")
        runtime = live_server.state.live
        tickets = [await ticket_for(w, bilal) for _ in range(MAX_CONNECTIONS_PER_ACTOR + 2)]
        outcomes = await asyncio.gather(*(runtime.admit(_secret(live_server.state), t) for t in tickets))
        assert sum(isinstance(o, Admission) for o in outcomes) == MAX_CONNECTIONS_PER_ACTOR
        assert outcomes.count(CloseCode.TOO_MANY_CONNECTIONS) == 2
        # Closing them frees every place.
        await asyncio.gather(*(runtime.close(o) for o in outcomes))
        assert await runtime.presence_store.sockets_of(f"participant:{bilal.participant_id}") == 0


async def test_a_ticket_for_another_meeting_or_forged_subject_opens_nothing(live_server: LiveServer) -> None:
    """Only the app's key signs: a ticket made with another key, or one whose payload was edited
    to name someone else, is refused like one never issued."""
    async with world(live_server) as w:
        amina = await w.join("participant", await w.add_room("Room A"), name="Amina")
        ticket = await ticket_for(w, amina)
        payload, _, signature = ticket.partition(".")
        actor = Actor(participant_id=amina.participant_id, participant_session_id=uuid.uuid4())
        other_key = sign_ticket("another-key", w.meeting_id, actor, int(time.time()) + 30)
        edited = payload[:-2] + ("AA" if not payload.endswith("AA") else "BB") + "." + signature
        runtime = live_server.state.live
        for bad in (other_key, edited, "", ".", "x" * 600, ticket + "." + signature):
            assert await runtime.admit(_secret(live_server.state), bad) is CloseCode.BAD_TICKET
        # The real one still opens (the refusals did not spend it).
        assert isinstance(await runtime.admit(_secret(live_server.state), ticket), Admission)


class _GatedLedger:
    """The real ledger, but the first spend waits until the test opens the gate."""

    def __init__(self, ledger: TicketLedger) -> None:
        self.ledger = ledger
        self.entered = asyncio.Event()
        self.gate = asyncio.Event()

    async def spend(self, ticket_id: str, ttl_s: float) -> bool:
        if not self.entered.is_set():
            self.entered.set()
            await self.gate.wait()
        return await self.ledger.spend(ticket_id, ttl_s)


async def test_a_handshake_given_up_while_waiting_leaves_nothing_counted(live_server: LiveServer) -> None:
    async with world(live_server) as w:
        amina = await w.join("participant", await w.add_room("Room A"), name="Amina")
        runtime = live_server.state.live
        gated = _GatedLedger(runtime.desk.ledger)
        runtime.desk = dataclasses.replace(runtime.desk, ledger=gated)
        tickets = [await ticket_for(w, amina) for _ in range(3)]
        handshakes = [asyncio.create_task(runtime.admit(_secret(live_server.state), t)) for t in tickets]
        await asyncio.wait_for(gated.entered.wait(), 10)  # the first is being admitted, the others wait
        handshakes[1].cancel()
        gated.gate.set()
        outcomes = await asyncio.gather(*handshakes, return_exceptions=True)
        assert isinstance(outcomes[1], asyncio.CancelledError)
        assert [isinstance(o, Admission) for o in (outcomes[0], outcomes[2])] == [True, True]
        # The given-up socket was admitted after all, and at once no longer counted.
        assert await runtime.presence_store.sockets_of(f"participant:{amina.participant_id}") == 2


async def test_a_crowd_admitted_together_reads_its_people_and_sessions_once(live_server: LiveServer) -> None:
    """A reconnect storm's handshakes share their reads: one statement for the sessions not
    cached, one for the roster entries; each still gets its own room and role."""
    async with world(live_server) as w:
        rooms = [await w.add_room("Room A"), await w.add_room("Room B")]
        people = [await w.join("participant", rooms[n % 2], name=f"Person {n}") for n in range(10)]
        moderator = await w.join("moderator", rooms[1], name="Moderator")
        crowd = [*people, moderator, w.organiser]
        tickets = [await ticket_for(w, person) for person in crowd]
        runtime = live_server.state.live
        with statements_matching(live_server.state.database, "auth_sessions", "FROM participants") as statements:
            outcomes = await asyncio.gather(*(runtime.admit(_secret(live_server.state), t) for t in tickets))
        admitted = [outcome for outcome in outcomes if isinstance(outcome, Admission)]
        assert len(admitted) == len(crowd)
        assert len([s for s in statements if "auth_sessions" in s]) <= 1
        assert len([s for s in statements if "FROM participants" in s]) == 1
        for person, admission in zip(people, admitted, strict=False):
            assert admission.participant_id == person.participant_id and admission.role == "participant"
            assert {grant.stream for grant in admission.grants} == {
                f"meeting:{w.meeting_id}",
                f"room:{rooms[people.index(person) % 2]}",
            }
        assert admitted[-2].role == "moderator" and admitted[-2].staff
        assert f"room:{rooms[1]}" in {grant.stream for grant in admitted[-2].grants}
        assert admitted[-1].every_room and admitted[-1].staff and admitted[-1].participant_id is None
        await asyncio.gather(*(runtime.close(admission) for admission in admitted))


async def test_access_checks_arriving_together_are_read_once_with_the_answers_of_meeting_access(
    live_server: LiveServer,
) -> None:
    """Ticket requests check access through ``AccessReads``: the checks waiting together share
    one read, and each gets what ``meeting_access`` alone gives (an access, or its refusal)."""
    async with world(live_server) as w:
        room = await w.add_room("Room A")
        people = [await w.join("participant", room, name=f"Person {n}") for n in range(6)]
        moderator = await w.join("moderator", room, name="Moderator")
        erased = await w.join("participant", room, name="Erased")
        gone = await w.organiser.http.post(f"/api/participants/{erased.participant_id}/erase", json={})
        assert gone.status_code == 200, gone.text
        asked = [Actor(participant_id=p.participant_id) for p in [*people, moderator, erased]]
        asked.append(Actor(participant_id=uuid.uuid4()))  # nobody
        checks = [(actor, w.meeting_id) for actor in asked] + [(asked[0], uuid.uuid4())]  # no such meeting
        state = live_server.state
        reads = state.live.accesses.reads

        together = await asyncio.gather(
            *(state.live.accesses.access(actor, meeting_id) for actor, meeting_id in checks), return_exceptions=True
        )

        assert state.live.accesses.reads == reads + 1
        async with state.database.reading() as session:
            for (actor, meeting_id), found in zip(checks, together, strict=True):
                try:
                    alone: MeetingAccess | BaseException = await meeting_access(session, actor, meeting_id)
                except DomainError as refused:
                    alone = refused
                if isinstance(alone, BaseException):
                    assert type(found) is type(alone) and str(found) == str(alone)
                else:
                    assert isinstance(found, MeetingAccess)
                    assert (found.meeting_id, found.role, found.room_id, found.moderated_room_ids) == (
                        alone.meeting_id,
                        alone.role,
                        alone.room_id,
                        alone.moderated_room_ids,
                    )
        assert [isinstance(found, MeetingAccess) for found in together] == [True] * 7 + [False] * 3
