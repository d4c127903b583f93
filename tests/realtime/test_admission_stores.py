"""What admission keeps outside the database: the signed ticket, the ledger of spent tickets and
presence, each in memory and in the real Redis (127.0.0.1:6379, a key prefix per test)."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable

import pytest
from redis.asyncio import Redis

from app.auth.access import Actor
from app.live.ledger import MemoryTicketLedger, RedisTicketLedger, TicketLedger
from app.live.tickets import read_ticket, sign_ticket
from app.realtime.limits import PRESENCE_TIMEOUT_S
from app.realtime.presence import MemoryPresenceStore, PresenceStore, RedisPresenceStore, SocketMark
from tests.redis_store import FakeClock

KEY = "a-key-of-the-app-long-enough-for-signing"


def test_a_ticket_carries_its_claims_and_only_the_key_signs_it() -> None:
    meeting = uuid.uuid4()
    actor = Actor(account_id=uuid.uuid4(), participant_id=uuid.uuid4(), participant_session_id=uuid.uuid4())
    now = time.time()
    ticket = sign_ticket(KEY, meeting, actor, int(now) + 30)
    claims = read_ticket(KEY, ticket, now)
    assert claims is not None
    assert (claims.meeting_id, claims.actor, claims.actor.session_ids) == (meeting, actor, actor.session_ids)
    assert len(ticket) < 200 and all(c.isalnum() or c in "-_." for c in ticket)  # an HTTP token
    assert read_ticket(KEY, ticket, now + 31) is None  # expired
    assert read_ticket("another key", ticket, now) is None
    payload, _, signature = ticket.partition(".")
    for garbled in (payload, f"{payload}.", f".{signature}", f"{payload[1:]}.{signature}", "ü.ü", "a" * 1000):
        assert read_ticket(KEY, garbled, now) is None
    second = sign_ticket(KEY, meeting, actor, int(now) + 30)
    assert second != ticket and read_ticket(KEY, second, now).ticket_id != claims.ticket_id  # type: ignore[union-attr]


def test_a_projector_ticket_names_the_link_only() -> None:
    link = uuid.uuid4()
    claims = read_ticket(KEY, sign_ticket(KEY, uuid.uuid4(), Actor(projector_token_id=link), 2**31), time.time())
    assert claims is not None and claims.actor == Actor(projector_token_id=link)
    assert claims.actor.session_ids == frozenset()


@pytest.fixture(params=["memory", "redis"])
def ledger_factory(request: pytest.FixtureRequest) -> Callable[[], TicketLedger]:
    """Ledgers that share what they spent: one per process (Redis), or the one process's."""
    if request.param == "memory":
        shared = MemoryTicketLedger()
        return lambda: shared
    client: Redis = request.getfixturevalue("redis_client")
    prefix: str = request.getfixturevalue("redis_prefix")
    return lambda: RedisTicketLedger(client, prefix)


async def test_a_ticket_is_spent_once_across_processes(ledger_factory: Callable[[], TicketLedger]) -> None:
    ledgers = [ledger_factory() for _ in range(4)]
    outcomes = await asyncio.gather(*(ledger.spend("ticket-1", 30) for ledger in ledgers for _ in range(5)))
    assert outcomes.count(True) == 1
    assert await ledgers[0].spend("ticket-2", 30) is True


async def test_a_redis_ledger_entry_expires_with_its_ticket(redis_client: Redis, redis_prefix: str) -> None:
    ledger = RedisTicketLedger(redis_client, redis_prefix)
    assert await ledger.spend("t", 30)
    ttl_ms = await redis_client.pttl(f"{redis_prefix}t")
    assert 0 < ttl_ms <= 30_000


async def test_the_memory_ledger_forgets_expired_tickets() -> None:
    clock = FakeClock()
    ledger = MemoryTicketLedger(clock=clock)
    for index in range(100):
        assert await ledger.spend(f"t{index}", 30)
    clock.now += 31
    assert await ledger.spend("fresh", 30)
    assert len(ledger) == 1  # the hundred expired ones are gone


@pytest.fixture(params=["memory", "redis"])
def presence(request: pytest.FixtureRequest) -> PresenceStore:
    if request.param == "memory":
        return MemoryPresenceStore()
    return RedisPresenceStore(request.getfixturevalue("redis_client"), request.getfixturevalue("redis_prefix"))


async def test_presence_counts_sockets_within_the_cap_and_remembers_who_left(presence: PresenceStore) -> None:
    meeting, amina, bilal = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    amina_sockets = [SocketMark(uuid.uuid4(), f"participant:{amina}", meeting, amina) for _ in range(3)]
    results = await asyncio.gather(*(presence.try_open(mark, 2) for mark in amina_sockets))
    assert sorted(results) == [False, True, True]
    bilal_socket = SocketMark(uuid.uuid4(), f"participant:{bilal}", meeting, bilal)
    assert await presence.try_open(bilal_socket, 2)
    assert await presence.sockets_of(f"participant:{amina}") == 2
    marks = {mark.participant_id: mark for mark in await presence.of_meeting(meeting)}
    assert {p: m.connected for p, m in marks.items()} == {amina: True, bilal: True}

    await presence.close(bilal_socket.socket_id)
    await presence.close(bilal_socket.socket_id)  # closing twice changes nothing
    marks = {mark.participant_id: mark for mark in await presence.of_meeting(meeting)}
    assert (marks[amina].connected, marks[bilal].connected) == (True, False)
    assert marks[bilal].last_seen is not None
    assert await presence.of_meeting(uuid.uuid4()) == []  # another meeting's presence is its own


async def test_redis_presence_converges_when_a_process_dies(redis_client: Redis, redis_prefix: str) -> None:
    clock = FakeClock()
    alive = RedisPresenceStore(redis_client, redis_prefix, clock=clock)
    dying = RedisPresenceStore(redis_client, redis_prefix, clock=clock)
    meeting, amina, bilal = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    assert await alive.try_open(SocketMark(uuid.uuid4(), f"participant:{amina}", meeting, amina), 5)
    assert await dying.try_open(SocketMark(uuid.uuid4(), f"participant:{bilal}", meeting, bilal), 5)
    for _ in range(4):  # the heartbeat window passes several times; only ``alive`` beats
        clock.now += PRESENCE_TIMEOUT_S / 3
        await alive.heartbeat()
    marks = {mark.participant_id: mark.connected for mark in await alive.of_meeting(meeting)}
    assert marks == {amina: True, bilal: False}
    assert await alive.sockets_of(f"participant:{bilal}") == 0  # the dead socket frees its place
