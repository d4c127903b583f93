"""Single use of socket tickets: a ``TicketLedger`` remembers each spent ticket id for as long as
the ticket could still be presented, and of two attempts to spend one id, one wins.

``MemoryTicketLedger`` holds them in this process (the embedded, single-process default).
``RedisTicketLedger`` holds them in Redis (``SET key 1 NX PX ttl``), so that a ticket opens one
socket across every process that shares the Redis; the key expires with the ticket.
"""

from __future__ import annotations

import heapq
import time
from collections.abc import Callable
from typing import Protocol

from redis.asyncio import Redis


class TicketLedger(Protocol):
    async def spend(self, ticket_id: str, ttl_s: float) -> bool:
        """Record ``ticket_id`` as used for ``ttl_s`` seconds; whether this call was the first."""


class MemoryTicketLedger:
    """Spent ids with their expiry; expired ones are dropped as new ones come (a heap keeps the
    next to expire on top), so memory holds at most the tickets of the last ``TICKET_TTL_S``."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._spent: set[str] = set()
        self._expiries: list[tuple[float, str]] = []

    async def spend(self, ticket_id: str, ttl_s: float) -> bool:
        now = self._clock()
        while self._expiries and self._expiries[0][0] <= now:
            self._spent.discard(heapq.heappop(self._expiries)[1])
        if ticket_id in self._spent:
            return False
        self._spent.add(ticket_id)
        heapq.heappush(self._expiries, (now + ttl_s, ticket_id))
        return True

    def __len__(self) -> int:
        return len(self._spent)


class RedisTicketLedger:
    """Spent ids in Redis under ``prefix``; the client is the app's (built by its lifespan)."""

    def __init__(self, client: Redis, prefix: str = "breakouts:ticket:") -> None:
        self._client = client
        self._prefix = prefix

    async def spend(self, ticket_id: str, ttl_s: float) -> bool:
        ttl_ms = max(1, int(ttl_s * 1000))
        return bool(await self._client.set(self._prefix + ticket_id, 1, nx=True, px=ttl_ms))
