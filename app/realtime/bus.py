"""The bus carries committed events between processes. It is a wake-up hint, not the record:
a subscriber that misses a message fills the gap from the event log (see ``docs/realtime.md``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from app.realtime.eventlog import CommittedEvent

EventHandler = Callable[[CommittedEvent], None]


class Bus(Protocol):
    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def publish(self, events: Sequence[CommittedEvent]) -> None:
        """Publish events that are already committed, in commit order."""

    async def subscribe(self, stream: str, handler: EventHandler) -> None:
        """Deliver every later event of ``stream`` to ``handler`` (one subscription per stream)."""

    async def unsubscribe(self, stream: str) -> None: ...


class InProcessBus:
    """The bus of a single process: publishing calls the stream's handler directly.

    There is no backpressure here: handlers must only enqueue, never wait.
    """

    def __init__(self) -> None:
        self._handlers: dict[str, EventHandler] = {}

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        self._handlers.clear()

    async def publish(self, events: Sequence[CommittedEvent]) -> None:
        for committed in events:
            handler = self._handlers.get(committed.stream)
            if handler is not None:
                handler(committed)

    async def subscribe(self, stream: str, handler: EventHandler) -> None:
        self._handlers[stream] = handler

    async def unsubscribe(self, stream: str) -> None:
        self._handlers.pop(stream, None)
