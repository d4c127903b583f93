"""A socket's outgoing frames: bounded, because one phone that stops reading must not grow the
server's memory (see ``SEND_QUEUE_LIMIT``)."""

from __future__ import annotations

import asyncio
from collections import deque


class SendQueue:
    """Frames waiting for the writer. Live delivery never waits (``push`` refuses when full);
    replies and replays, sent from the socket's own reader, wait for room (``put``)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._items: deque[str] = deque()
        self._ready = asyncio.Event()
        self._room = asyncio.Event()
        self._room.set()

    def __len__(self) -> int:
        return len(self._items)

    def push(self, text: str) -> bool:
        if len(self._items) >= self.limit:
            return False
        self._append(text)
        return True

    async def put(self, text: str) -> None:
        while len(self._items) >= self.limit:
            self._room.clear()
            await self._room.wait()
        self._append(text)

    async def get(self) -> str:
        while not self._items:
            self._ready.clear()
            await self._ready.wait()
        text = self._items.popleft()
        if len(self._items) < self.limit:
            self._room.set()
        return text

    def _append(self, text: str) -> None:
        self._items.append(text)
        self._ready.set()
