"""The WebSocket protocol ``breakouts serve`` gives uvicorn: its sans-I/O one, plus one ASGI
message that writes several text frames with one ``transport.write``.

ASGI sends one frame per ``websocket.send``, and uvicorn writes each to the socket at once: a
socket that receives ten events in one loop tick costs ten system calls and ten passes through
the send path. The send queue (``app/realtime/send_queue.py``) gathers a socket's frames of one
tick; when the server announces ``SEND_TEXTS`` in the scope's extensions, it sends them as one
``{"type": SEND_TEXTS, "texts": [...]}`` message, which this protocol frames one by one and
writes together. Everything else (the handshake, flow control, close) is uvicorn's.
Under another server (or this one's test harness without it) the queue sends frame by frame.

An idle socket keeps this object for its whole life, so it keeps little: the handshake's request
headers (copied into the scope by then) and its request and response are dropped once accepted,
and uvicorn's receive queue and "writable" event, an ``asyncio.Queue`` (three deques and an
event with a fourth) and an ``asyncio.Event`` (a fifth), nearly 4 KB per socket, are replaced by
``Inbox`` and ``Writable``, which hold nothing until a message or a paused transport needs it.
"""

from __future__ import annotations

import asyncio
from collections import deque
from typing import Any

from uvicorn._types import ASGIReceiveEvent, ASGISendEvent
from uvicorn.protocols.utils import ClientDisconnected
from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
from websockets.exceptions import InvalidState
from websockets.http11 import Request

SEND_TEXTS = "breakouts.websocket.send_texts"
PROTOCOL_CLASS = "app.realtime.ws_protocol:BatchingWebSocketProtocol"


class Inbox:
    """uvicorn's receive queue as it is used: ``put_nowait`` from the protocol, ``get`` from the
    app's one reader, ``empty``. uvicorn stops reading the socket while a message waits, so it
    rarely holds more than one; the deque and the reader's future exist only while needed."""

    __slots__ = ("_messages", "_reader")

    def __init__(self) -> None:
        self._messages: deque[ASGIReceiveEvent] | None = None
        self._reader: asyncio.Future[None] | None = None

    def put_nowait(self, message: ASGIReceiveEvent) -> None:
        if self._messages is None:
            self._messages = deque()
        self._messages.append(message)
        reader = self._reader
        if reader is not None and not reader.done():
            reader.set_result(None)

    def empty(self) -> bool:
        return not self._messages

    def qsize(self) -> int:
        return len(self._messages) if self._messages is not None else 0

    async def get(self) -> ASGIReceiveEvent:
        while not self._messages:
            if self._reader is not None:
                raise RuntimeError("a socket's messages are received by one reader at a time")
            self._reader = asyncio.get_running_loop().create_future()
            try:
                await self._reader
            finally:
                self._reader = None
        message = self._messages.popleft()
        if not self._messages:
            self._messages = None
        return message


class Writable:
    """uvicorn's "the transport takes writes" event (``set``, ``clear``, ``is_set``, ``wait``):
    a future exists only while the transport is paused."""

    __slots__ = ("_paused",)

    def __init__(self) -> None:
        self._paused: asyncio.Future[None] | None = None

    def is_set(self) -> bool:
        return self._paused is None

    def set(self) -> None:
        paused, self._paused = self._paused, None
        if paused is not None and not paused.done():
            paused.set_result(None)

    def clear(self) -> None:
        if self._paused is None:
            self._paused = asyncio.get_running_loop().create_future()

    async def wait(self) -> None:
        while self._paused is not None:
            # Shielded: one waiter cancelled (a send abandoned on close) leaves the others waiting.
            await asyncio.shield(self._paused)


class BatchingWebSocketProtocol(WebSocketsSansIOProtocol):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.queue = Inbox()  # type: ignore[assignment]  # what uvicorn calls of its queue
        self.writable = Writable()  # type: ignore[assignment]  # what uvicorn calls of its event

    def handle_connect(self, event: Request) -> None:
        super().handle_connect(event)
        # The scope holds the headers now; websockets' parser keeps the request to the end.
        event.headers.clear()
        scope: Any = getattr(self, "scope", None)  # absent when the handshake was refused
        if scope is not None:
            scope["extensions"][SEND_TEXTS] = {}

    async def send(self, message: ASGISendEvent) -> None:
        if message["type"] != SEND_TEXTS:  # our extension's message; every other goes to uvicorn
            await super().send(message)
            if message["type"] == "websocket.accept" and self.handshake_complete:
                # The handshake's request and response (their headers) are not read again: an
                # idle socket need not keep them.
                del self.request, self.response
            return
        await self.writable.wait()
        if self.disconnected:
            raise ClientDisconnected()
        if not self.handshake_complete or self.initial_response is not None:
            raise RuntimeError(f"{SEND_TEXTS} before the socket was accepted")
        if self.close_sent:
            return  # as uvicorn does with a frame sent after the close
        texts: list[str] = message["texts"]  # type: ignore[typeddict-item]
        try:
            for text in texts:
                self.conn.send_text(text.encode())
        except InvalidState:
            raise ClientDisconnected() from None
        self.transport.write(b"".join(self.conn.data_to_send()))
