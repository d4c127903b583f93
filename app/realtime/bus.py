"""The bus carries committed events between processes. It is a wake-up hint, not the record:
a subscriber that misses a message fills the gap from the event log (see ``docs/realtime.md``).
``InProcessBus`` serves one process (the embedded default); ``RedisBus`` (``redis_bus.py``) serves
several, on any number of hosts.

It also carries one notice that is not an event of a meeting: sessions were revoked (signed out,
or the person erased), so every process closes the sockets those sessions opened. The record is
the sessions table: a ticket of a revoked session no longer opens a socket on any process.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Collection, Sequence
from typing import Protocol

from app.realtime.eventlog import CommittedEvent

EventHandler = Callable[[CommittedEvent], None]
RevocationHandler = Callable[[frozenset[uuid.UUID]], None]
ReconnectHandler = Callable[[], None]


class Bus(Protocol):
    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def publish(self, events: Sequence[CommittedEvent]) -> None:
        """Publish events that are already committed, in commit order."""

    async def subscribe(self, stream: str, handler: EventHandler) -> None:
        """Deliver every later event of ``stream`` to ``handler`` (one subscription per stream)."""

    async def unsubscribe(self, stream: str) -> None: ...

    async def publish_revoked_sessions(self, session_ids: Collection[uuid.UUID]) -> None:
        """Tell every process that these sessions were revoked (after the revocation committed)."""

    async def on_revoked_sessions(self, handler: RevocationHandler) -> None:
        """Call ``handler`` with the ids of every later revocation, from any process."""

    async def on_reconnected(self, handler: ReconnectHandler) -> None:
        """Call ``handler`` whenever the bus is back after losing messages (the subscriber may
        have missed any event meanwhile, so the hub checks every stream against the log)."""

    async def caught_up(self) -> bool:
        """Wait until every message sent to this process before the call has been delivered to
        its handlers. False when the bus cannot tell (it is disconnected or lost the connection
        meanwhile): an event still missing then may have been lost."""


class InProcessBus:
    """The bus of a single process: publishing calls the stream's handler directly.

    There is no backpressure here: handlers must only enqueue, never wait.
    """

    def __init__(self) -> None:
        self._handlers: dict[str, EventHandler] = {}
        self._revocation_handlers: list[RevocationHandler] = []

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        self._handlers.clear()
        self._revocation_handlers.clear()

    async def publish(self, events: Sequence[CommittedEvent]) -> None:
        for committed in events:
            handler = self._handlers.get(committed.stream)
            if handler is not None:
                handler(committed)

    async def subscribe(self, stream: str, handler: EventHandler) -> None:
        self._handlers[stream] = handler

    async def unsubscribe(self, stream: str) -> None:
        self._handlers.pop(stream, None)

    async def publish_revoked_sessions(self, session_ids: Collection[uuid.UUID]) -> None:
        revoked = frozenset(session_ids)
        for handler in list(self._revocation_handlers):
            handler(revoked)

    async def on_revoked_sessions(self, handler: RevocationHandler) -> None:
        self._revocation_handlers.append(handler)

    async def on_reconnected(self, handler: ReconnectHandler) -> None:
        return None  # a call within one process loses nothing: there is nothing to reconnect

    async def caught_up(self) -> bool:
        return True  # publishing delivers before it returns
