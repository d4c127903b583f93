"""The WebSocket protocol ``breakouts serve`` gives uvicorn: its sans-I/O one, plus one ASGI
message that writes several text frames with one ``transport.write``.

ASGI sends one frame per ``websocket.send``, and uvicorn writes each to the socket at once: a
socket that receives ten events in one loop tick costs ten system calls and ten passes through
the send path. The send queue (``app/realtime/send_queue.py``) gathers a socket's frames of one
tick; when the server announces ``SEND_TEXTS`` in the scope's extensions, it sends them as one
``{"type": SEND_TEXTS, "texts": [...]}`` message, which this protocol frames one by one and
writes together. Everything else (the handshake, flow control, close) is uvicorn's.
Under another server (or this one's test harness without it) the queue sends frame by frame.

An idle socket keeps this object for its whole life, so it keeps little:

- the handshake (its request and response, the request headers in websockets' parser and in the
  scope) is dropped once the socket is accepted: the app reads no header after the accept;
- uvicorn's receive queue and "writable" event, an ``asyncio.Queue`` (three deques and an event
  with a fourth) and an ``asyncio.Event`` (a fifth), nearly 4 KB per socket, are ``Inbox`` and
  ``Writable``, which hold nothing until a message or a paused transport needs it; the app's
  ``receive`` returns a future, so a reader waiting for its next frame keeps no coroutine of the
  server's suspended;
- the HTTP protocol the socket was upgraded from is released at once (see ``connection_made``);
- this object's attribute dict is compacted once the socket is accepted.
"""

from __future__ import annotations

import asyncio
import functools
import struct
from asyncio import BaseTransport
from collections import deque
from collections.abc import Awaitable
from typing import Any

from uvicorn._types import ASGIReceiveEvent, ASGISendEvent
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn.protocols.utils import ClientDisconnected
from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
from websockets.exceptions import InvalidState
from websockets.http11 import Request
from websockets.protocol import State

SEND_TEXTS = "breakouts.websocket.send_texts"
FIN_TEXT = 0x81  # FIN and the text opcode
# Frames kept, most recently used first: the sockets of one audience are written one after the
# other at the end of a tick, so a frame is found again while that audience is written. Replies
# to one socket (a welcome, an ack) pass through too, which is why the cache stays small: 256
# frames of about 1 KB at most.
FRAMED_TEXTS_KEPT = 256
PROTOCOL_CLASS = "app.realtime.ws_protocol:BatchingWebSocketProtocol"


@functools.lru_cache(maxsize=FRAMED_TEXTS_KEPT)
def framed_text(text: str) -> bytes:
    """``text`` as one final, unmasked text frame (RFC 6455 section 5.2), as websockets frames it
    for a server without extensions. An event goes to every socket of its audience as the same
    ``str``: it is encoded and framed once, not once per socket."""
    payload = text.encode()
    length = len(payload)
    if length < 126:
        header = bytes((FIN_TEXT, length))
    elif length < 1 << 16:
        header = struct.pack("!BBH", FIN_TEXT, 126, length)
    else:
        header = struct.pack("!BBQ", FIN_TEXT, 127, length)
    return header + payload


class Inbox:
    """uvicorn's receive queue as it is used here: ``put_nowait`` from the protocol, ``next`` from
    the app's one reader. A waiting reader holds a future, not a suspended coroutine, and a message
    goes straight into it; uvicorn stops reading the socket while a message waits, so the deque
    is rarely needed and exists only then."""

    __slots__ = ("_messages", "_reader")

    def __init__(self) -> None:
        self._messages: deque[ASGIReceiveEvent] | None = None
        self._reader: asyncio.Future[ASGIReceiveEvent] | None = None

    def put_nowait(self, message: ASGIReceiveEvent) -> None:
        reader, self._reader = self._reader, None
        if reader is not None and not reader.done():  # a cancelled reader's message waits for the next
            reader.set_result(message)
            return
        if self._messages is None:
            self._messages = deque()
        self._messages.append(message)

    def empty(self) -> bool:
        return not self._messages

    def next(self) -> asyncio.Future[ASGIReceiveEvent]:
        if self._reader is not None and not self._reader.done():
            raise RuntimeError("a socket's messages are received by one reader at a time")
        reader = asyncio.get_running_loop().create_future()
        if self._messages:
            reader.set_result(self._messages.popleft())
            if not self._messages:
                self._messages = None
        else:
            self._reader = reader
        return reader


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
        self.queue: Inbox = Inbox()  # type: ignore[assignment]  # what uvicorn calls of its queue
        self.writable = Writable()  # type: ignore[assignment]  # what uvicorn calls of its event

    def connection_made(self, transport: BaseTransport) -> None:
        # Called by uvicorn's HTTP protocol as it hands the connection over: that protocol and its
        # parser hold each other (the parser calls back into it), so, dropped, they would wait for
        # a full collection of the cyclic collector, with their buffers, flow control and
        # request state: about 4 KB per socket, for as long as sockets keep coming. Its
        # ``data_received`` is returning; nothing reads the parser again.
        upgraded_from = transport.get_protocol()
        super().connection_made(transport)
        if isinstance(upgraded_from, HttpToolsProtocol):
            upgraded_from.parser = None  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.conn.handshake_exc is not None and getattr(self, "scope", None) is None:
            # websockets refused the upgrade request itself (a header line over 8 KiB, more than
            # 128 headers) and queued its 431; uvicorn's protocol neither writes that answer nor
            # closes, so the connection would hang until the client gives up. Write and close.
            self.transport.write(b"".join(self.conn.data_to_send()))
            self.transport.close()

    def receive(self) -> Awaitable[ASGIReceiveEvent]:  # type: ignore[override]  # an awaitable, as ASGI asks
        """The app's next message. uvicorn pauses reading while a message waits for the app;
        reading resumes when the app asks for the next one and none waits."""
        message = self.queue.next()
        if self.read_paused and self.queue.empty():
            self.read_paused = False
            self.transport.resume_reading()
        return message

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
                # The handshake's request and response, and the scope's copy of the request
                # headers (Starlette's ``websocket.headers`` reads that very list), are not read
                # after the accept (the socket's origin and ticket are checked before it): an idle
                # socket need not keep them.
                del self.request, self.response
                headers = self.scope["headers"]
                assert isinstance(headers, list)  # as uvicorn built it in ``handle_connect``
                headers.clear()
                # uvicorn's protocol has more attributes than CPython shares an instance dict's
                # keys for (30): its own dict grew in steps to about 1.6 KB. A copy is sized for
                # what it holds (about 0.8 KB), and no attribute is added after the accept.
                self.__dict__ = dict(self.__dict__)
            return
        if not self.writable.is_set():  # the client stopped reading; otherwise no await at all
            await self.writable.wait()
        if self.disconnected:
            raise ClientDisconnected()
        if not self.handshake_complete or self.initial_response is not None:
            raise RuntimeError(f"{SEND_TEXTS} before the socket was accepted")
        if self.close_sent:
            return  # as uvicorn does with a frame sent after the close
        texts: list[str] = message["texts"]  # type: ignore[typeddict-item]
        conn = self.conn
        if conn.extensions or conn.expect_continuation_frame:  # compressed frames are each socket's own
            try:
                for text in texts:
                    conn.send_text(text.encode())
            except InvalidState:
                raise ClientDisconnected() from None
            self.transport.write(b"".join(conn.data_to_send()))
            return
        if conn.state is not State.OPEN:
            raise ClientDisconnected()  # as websockets' ``send_text`` refuses it (closing or closed)
        framed = b"".join(map(framed_text, texts))
        pending = conn.data_to_send()  # a control frame websockets queued: it goes first, as it would
        self.transport.write(b"".join((*pending, framed)) if pending else framed)
