"""A socket's outgoing frames, written in order without a task per socket, those of one loop
tick together.

Frames pushed during one tick of the event loop are gathered per socket and written at the end of
the tick (``TickWriter``), in one ASGI message when the server takes several frames at once
(``app/realtime/ws_protocol.py``: one ``transport.write`` for them all) and frame by frame
otherwise. A fan-out that brings one socket several events in a tick (a watcher of many rooms, a
burst of answers in a room) costs it one write.

A write is started at once: its send coroutine is stepped in place (what asyncio 3.12 calls an
eager start). Under uvicorn that send finishes without suspending unless the transport is paused
because the client stopped reading. Only then does a task take over: it finishes that send and
drains the backlog behind it. A socket that keeps up therefore costs no task and no wake-up per
frame, which is most of what a fan-out to thousands of sockets used to spend.

The backlog is bounded, because one phone that stops reading must not grow the server's memory
(see ``SEND_QUEUE_LIMIT``): live delivery never waits (``push`` refuses when full); replies and
replays, sent from the socket's own reader, wait for room (``put``).
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine, Generator
from typing import Any

SendText = Callable[[str], Awaitable[None]]
SendTexts = Callable[[list[str]], Awaitable[None]]
OnError = Callable[[Exception], None]


class TickWriter:
    """Writes the frames the send queues gathered in one loop tick, once the tick's callbacks
    have run (one per process, shared by every socket)."""

    def __init__(self) -> None:
        self._due: list[SendQueue] = []

    def add(self, queue: SendQueue) -> None:
        if not self._due:
            asyncio.get_running_loop().call_soon(self._write)
        self._due.append(queue)

    def _write(self) -> None:
        due, self._due = self._due, []
        for queue in due:
            queue.write_gathered()


class SendQueue:
    def __init__(
        self,
        send: SendText,
        limit: int,
        on_error: OnError,
        writer: TickWriter | None = None,
        send_many: SendTexts | None = None,
    ) -> None:
        self.limit = limit
        self._send = send
        self._send_many = send_many
        self._on_error = on_error
        self._writer = writer
        # Made on first use: an idle socket's queue never needs them (an empty deque and an
        # event with its waiters' deque cost over a kilobyte per socket).
        self._gathered: list[str] | None = None
        self._backlog: deque[str] | None = None
        self._drainer: asyncio.Task[None] | None = None
        self._room: asyncio.Event | None = None
        self._closed = False

    def __len__(self) -> int:
        """Frames waiting: gathered for the end of the tick, or behind a send the transport is
        holding back."""
        return (len(self._backlog) if self._backlog is not None else 0) + (
            len(self._gathered) if self._gathered is not None else 0
        )

    def push(self, text: str) -> bool:
        """Write ``text`` at the end of this tick, or queue it behind a waiting send; False when
        the backlog is full."""
        if self._closed:
            return True
        if self._drainer is None:
            if self._writer is None:
                self._write_now(self._send(text))
            elif self._gathered is None:
                self._gathered = [text]
                self._writer.add(self)
            elif len(self._gathered) >= self.limit:  # a long burst in one tick: write what is gathered
                self.write_gathered()
                return self.push(text)
            else:
                self._gathered.append(text)
            return True
        if self._backlog is None:
            self._backlog = deque()
        elif len(self._backlog) >= self.limit:
            return False
        self._backlog.append(text)
        return True

    async def put(self, text: str) -> None:
        """``push``, waiting for room first when the backlog is full."""
        while self._drainer is not None and len(self) >= self.limit:
            if self._room is None:
                self._room = asyncio.Event()
            self._room.clear()
            await self._room.wait()
        self.push(text)

    def close(self) -> None:
        """Write what this tick gathered (an error frame before the close, say), then nothing
        more: drop the backlog and stop a waiting send."""
        if not self._closed and self._drainer is None:
            self.write_gathered()
        self._closed = True
        self._backlog = self._gathered = None
        self._make_room()
        if self._drainer is not None:
            self._drainer.cancel()

    def write_gathered(self) -> None:
        """Write what this tick gathered: in one message when the server takes several (one
        frame too: that message is the server's shortest path to the socket)."""
        gathered, self._gathered = self._gathered, None
        self._make_room()
        if not gathered or self._closed:
            return
        if self._send_many is not None:
            self._write_now(self._send_many(gathered))
            return
        for index, text in enumerate(gathered):
            self._write_now(self._send(text))
            if self._drainer is not None or self._closed:  # the transport holds back: queue the rest
                if not self._closed:
                    self._backlog = deque(gathered[index + 1 :])
                return

    def _write_now(self, sending: Awaitable[None]) -> None:
        send = _coroutine(sending)
        try:
            waiting_on = send.send(None)
        except StopIteration:
            return
        except Exception as error:
            send.close()
            self._closed = True
            self._on_error(error)
            return
        self._drainer = asyncio.get_running_loop().create_task(self._drain(send, waiting_on))

    async def _drain(self, started: Coroutine[Any, Any, None], waiting_on: Any) -> None:
        try:
            await _Resumed(started, waiting_on)
            while self._backlog and not self._closed:
                if self._send_many is not None and len(self._backlog) > 1:
                    texts = list(self._backlog)
                    self._backlog.clear()
                    self._make_room()
                    await self._send_many(texts)
                    continue
                text = self._backlog.popleft()
                self._make_room()
                await self._send(text)
        except Exception as error:
            self._closed = True
            self._on_error(error)
        finally:
            self._drainer = None
            if not self._backlog:
                self._backlog = None
            self._make_room()

    def _make_room(self) -> None:
        if self._room is not None:
            self._room.set()


def _coroutine(awaitable: Awaitable[None]) -> Coroutine[Any, Any, None]:
    if isinstance(awaitable, Coroutine):
        return awaitable
    return _awaiting(awaitable)  # an ASGI server whose send returns a future, say


async def _awaiting(awaitable: Awaitable[None]) -> None:
    await awaitable


class _Resumed:
    """Await a coroutine that was started by hand and is suspended on ``waiting_on``: pass what
    it waits on to the awaiting task, and what the task sends or throws back to it."""

    __slots__ = ("_coroutine", "_waiting_on")

    def __init__(self, coroutine: Coroutine[Any, Any, None], waiting_on: Any) -> None:
        self._coroutine = coroutine
        self._waiting_on = waiting_on

    def __await__(self) -> Generator[Any, Any, None]:
        waiting_on = self._waiting_on
        while True:
            try:
                sent = yield waiting_on
            except GeneratorExit:
                self._coroutine.close()
                raise
            except BaseException as error:  # a cancellation thrown into the awaiting task
                try:
                    waiting_on = self._coroutine.throw(error)
                except StopIteration:
                    return
            else:
                try:
                    waiting_on = self._coroutine.send(sent)
                except StopIteration:
                    return
