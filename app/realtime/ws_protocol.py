"""The WebSocket protocol ``breakouts serve`` gives uvicorn: its sans-I/O one, plus one ASGI
message that writes several text frames with one ``transport.write``.

ASGI sends one frame per ``websocket.send``, and uvicorn writes each to the socket at once: a
socket that receives ten events in one loop tick costs ten system calls and ten passes through
the send path. The send queue (``app/realtime/send_queue.py``) gathers a socket's frames of one
tick; when the server announces ``SEND_TEXTS`` in the scope's extensions, it sends them as one
``{"type": SEND_TEXTS, "texts": [...]}`` message, which this protocol frames one by one and
writes together. Everything else (the handshake, flow control, close) is uvicorn's; the handshake's
request and response are dropped once the socket is accepted.
Under another server (or this one's test harness without it) the queue sends frame by frame.
"""

from __future__ import annotations

from typing import Any

from uvicorn._types import ASGISendEvent
from uvicorn.protocols.utils import ClientDisconnected
from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
from websockets.exceptions import InvalidState
from websockets.http11 import Request

SEND_TEXTS = "breakouts.websocket.send_texts"
PROTOCOL_CLASS = "app.realtime.ws_protocol:BatchingWebSocketProtocol"


class BatchingWebSocketProtocol(WebSocketsSansIOProtocol):
    def handle_connect(self, event: Request) -> None:
        super().handle_connect(event)
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
