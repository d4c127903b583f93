"""The load generator's clients: one picows listener per socket, speaking one of three wires.

- ``ours``: Breakouts' ``/ws``: a ticket in ``Sec-WebSocket-Protocol``, ``hello`` with cursors,
  ``welcome`` and a ``resumed`` per stream, then events; commands are ``answer.submit`` frames.
- ``plain``: the peers' ``/ws?room=n``: the same command and event frames, no handshake.
- ``socketio``: Engine.IO 4 over a WebSocket only: ``0{…}`` open, ``40`` namespace connect,
  events as ``42["name", {…}]``, acks as ``43<id>[…]``, server pings ``2`` answered ``3``.

Frames are not parsed as JSON on the hot path: every benchmark answer's text opens with
``~<room>.<n>~`` (bench.texts.marked), which names the message, and acks name the message's
global number in their ``ref`` (``a<g>``) or, on Socket.IO, in the ack id.
"""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from picows import WSFrame, WSListener, WSMsgType, WSTransport, ws_connect

if TYPE_CHECKING:
    from bench.loadgen import Generator

# A client that stops reading gets a small receive buffer, so that the server feels it within
# seconds instead of after the kernel has soaked up megabytes, like a phone on a bad network.
STALLED_RCVBUF_BYTES = 4096


class Client(WSListener):  # type: ignore[misc]
    """One socket of the generator. ``room`` is the room's index, -1 for a watcher of every room."""

    def __init__(self, generator: Generator, index: int, room: int, person: dict[str, Any]) -> None:
        super().__init__()
        self.generator = generator
        self.index = index
        self.room = room
        self.person = person
        self.transport: WSTransport | None = None
        self.connected = False
        self.ready: asyncio.Future[None] | None = None
        self.streams: list[str] = []
        self.resumed: set[str] = set()
        self.cursors: dict[str, int] = {}
        self.epochs: dict[str, int] = {}
        self.close_code: int | None = None
        self.counts = True  # its deliveries count ("the others" in S6)
        self.seen: dict[int, bytearray] = {}  # per room, a flag per message number
        self.last_seq = 0  # on its room's stream (ours)
        self.room_stream = ""
        self.port = 0  # the server process it connects to (set by the generator)

    # --- picows callbacks -----------------------------------------------------------------

    def on_ws_connected(self, transport: WSTransport) -> None:
        self.transport = transport
        self.connected = True

    def on_ws_disconnected(self, transport: WSTransport) -> None:
        self.connected = False
        if self.ready is not None and not self.ready.done():
            self.ready.set_exception(ConnectionError(f"closed before ready ({self.close_code})"))

    def on_ws_frame(self, transport: WSTransport, frame: WSFrame) -> None:
        kind = frame.msg_type
        if kind == WSMsgType.TEXT:
            self.generator.on_text(self, frame.get_payload_as_bytes())
        elif kind == WSMsgType.CLOSE:
            self.close_code = int(frame.get_close_code())
            transport.send_close(frame.get_close_code())
            transport.disconnect()

    # --- handshakes -----------------------------------------------------------------------

    def on_control(self, data: bytes) -> None:
        """A frame that is neither an answer nor an ack: handshakes, markers, pings."""
        wire = self.generator.wire
        if wire == "socketio":
            if data == b"2":
                self.send(b"3")
            elif data.startswith(b"0{"):
                self.send(b"40")
            elif data.startswith(b"40") and self.ready is not None and not self.ready.done():
                self.ready.set_result(None)
            return
        if wire != "ours" or not data.startswith(b'{"type":"'):
            return
        head = data[9:30]
        if head.startswith((b"welcome", b"resumed", b"resync_required", b"error")):
            frame = json.loads(data)
            if frame["type"] == "welcome":
                self.streams = frame["streams"]
            elif frame["type"] in ("resumed", "resync_required"):
                self.cursors[frame["stream"]] = frame["head"]
                self.epochs[frame["stream"]] = frame["epoch"]
                self.resumed.add(frame["stream"])
                if self.streams and len(self.resumed) >= len(self.streams) and self.ready and not self.ready.done():
                    self.ready.set_result(None)
            elif frame["type"] == "error" and self.ready is not None and not self.ready.done():
                self.ready.set_exception(RuntimeError(f"server refused: {frame}"))

    def send(self, payload: bytes) -> None:
        if self.transport is not None and self.connected:
            self.transport.send(WSMsgType.TEXT, payload)

    def stop_reading(self) -> None:
        assert self.transport is not None
        self.transport.underlying_transport.pause_reading()


async def open_client(
    client: Client,
    host: str,
    port: int,
    ticket: str | None,
    *,
    stalls: bool = False,
    timeout_s: float = 30,
) -> None:
    """Connect and finish the wire's handshake; ``client.ready`` resolves when it is live."""
    generator = client.generator
    wire = generator.wire
    loop = asyncio.get_running_loop()
    client.ready = loop.create_future()
    client.resumed = set()
    client.streams = []
    client.close_code = None
    headers: dict[str, str] = {}
    if wire == "ours":
        url = f"ws://{host}:{port}/ws"
        headers["Sec-WebSocket-Protocol"] = f"breakouts.v1, ticket.{ticket}"
    elif wire == "socketio":
        url = f"ws://{host}:{port}/socket.io/?EIO=4&transport=websocket&room={_room_query(client)}"
    else:
        url = f"ws://{host}:{port}/ws?room={_room_query(client)}"
    factory: Callable[[Any], socket.socket | None] | None = _small_buffer_socket if stalls else None
    await asyncio.wait_for(
        ws_connect(
            lambda: client, url, extra_headers=headers, socket_factory=factory, websocket_handshake_timeout=timeout_s
        ),
        timeout_s,
    )
    if wire == "ours":
        hello = {"type": "hello", "protocol": 1, "cursors": client.cursors, "epochs": client.epochs}
        client.send(json.dumps(hello).encode())
    elif wire == "plain":
        client.ready.set_result(None)
    await asyncio.wait_for(client.ready, timeout_s)


def _room_query(client: Client) -> str:
    return "all" if client.room < 0 else str(client.room)


def _small_buffer_socket(parsed: Any) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, STALLED_RCVBUF_BYTES)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.setblocking(False)
    return sock


def command_prefix(wire: str, room_id: str, room: int, question_id: str) -> bytes:
    """The part of an ``answer.submit`` frame after its id, up to the text."""
    if wire == "ours":
        return f'","room_id":"{room_id}","question_id":"{question_id}","text":"'.encode()
    return f'","room":{room},"text":"'.encode()


def command_frame(wire: str, g: int, prefix: bytes, text: bytes) -> bytes:
    """The ``answer.submit`` frame of message ``g`` (texts need no JSON escaping)."""
    if wire == "socketio":
        return b"42%d" % g + b'["answer.submit",{"type":"answer.submit","id":"a%d' % g + prefix + text + b'"}]'
    return b'{"type":"answer.submit","id":"a%d' % g + prefix + text + b'"}'
