"""A Python client of ``/ws``: ticket, hello with cursors, commands with ids awaiting their acks,
events deduplicated by seq, resume after a drop. Used by the tests, the simulation and the
benchmark.

``events`` receives every durable event once, in seq order per stream; ``controls`` receives the
other frames (``resumed``, ``resync_required``, ``presence.changed``, errors that answer no
pending command). Commands still waiting for their ack when the socket drops are sent again,
with the same ids, after ``reconnect`` — the server answers a retry with the original result.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import secrets
import uuid
from collections import deque
from dataclasses import dataclass, field
from typing import Any

import httpx
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed
from websockets.typing import Origin, Subprotocol

from app.realtime.limits import MESSAGE_MAX_BYTES, RATE_BURST, RATE_PER_S, TokenBucket
from app.realtime.protocol import PROTOCOL_VERSION, Welcome

# The server's frames are small; a replayed merged answer with its sources stays far below this.
SERVER_FRAME_MAX_BYTES = 1024 * 1024


class CommandRefused(Exception):
    """The server answered a command with an ``error`` frame."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


class SocketClosed(Exception):
    """The socket closed; ``code`` says why (see docs/realtime.md)."""

    def __init__(self, code: int | None, reason: str) -> None:
        super().__init__(f"socket closed ({code}) {reason}")
        self.code = code
        self.reason = reason


@dataclass
class Event:
    type: str
    stream: str
    seq: int
    at: str
    data: dict[str, Any]


@dataclass
class PendingCommand:
    frame: dict[str, Any]
    answer: asyncio.Future[Any] = field(default_factory=lambda: asyncio.get_running_loop().create_future())


def websocket_url(base_url: str) -> str:
    return base_url.replace("https://", "wss://", 1).replace("http://", "ws://", 1).rstrip("/") + "/ws"


class LiveClient:
    def __init__(
        self,
        base_url: str,
        http: httpx.AsyncClient,
        meeting_id: str,
        *,
        origin: str | None = None,
        name: str | None = None,
    ) -> None:
        self.base_url = base_url
        self.http = http
        self.meeting_id = str(meeting_id)
        self.origin = origin
        self.name = name or secrets.token_hex(4)
        self.cursors: dict[str, int] = {}
        self.epochs: dict[str, int] = {}
        self.welcome: Welcome | None = None
        self.events: asyncio.Queue[Event] = asyncio.Queue()
        self.controls: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.duplicates = 0
        self.gaps = 0
        self.close_code: int | None = None
        self._socket: ClientConnection | None = None
        self._reader: asyncio.Task[None] | None = None
        self._pending: dict[str, PendingCommand] = {}
        self._ids = itertools.count(1)
        self._bucket = TokenBucket(capacity=RATE_BURST, per_s=RATE_PER_S, tokens=RATE_BURST)
        self._closed = asyncio.Event()
        self._pongs: deque[asyncio.Future[None]] = deque()

    # --- connecting -----------------------------------------------------------------------

    async def ticket(self) -> str:
        response = await self.http.post("/api/realtime/tickets", json={"meeting_id": self.meeting_id})
        response.raise_for_status()
        ticket: str = response.json()["ticket"]
        return ticket

    async def connect(self, ticket: str | None = None) -> Welcome:
        """Open the socket, send the hello with the cursors held, and return the welcome.
        Frames after it (replays, ``resumed``) arrive on ``events`` and ``controls``."""
        ticket = ticket or await self.ticket()
        self._closed = asyncio.Event()
        self.close_code = None
        self._socket = await connect(
            websocket_url(self.base_url),
            subprotocols=[Subprotocol("breakouts.v1"), Subprotocol(f"ticket.{ticket}")],
            origin=Origin(self.origin) if self.origin else None,
            compression=None,
            proxy=None,
            max_size=SERVER_FRAME_MAX_BYTES,
            open_timeout=10,
        )
        await self._socket.send(
            frame_text({"type": "hello", "protocol": PROTOCOL_VERSION, "cursors": self.cursors, "epochs": self.epochs})
        )
        first = json.loads(await asyncio.wait_for(self._socket.recv(), 10))
        if first.get("type") != "welcome":
            await self._socket.close()
            raise CommandRefused(first.get("code", "unexpected"), first.get("message", str(first)))
        self.welcome = Welcome.model_validate(first)
        self._reader = asyncio.create_task(self._read_forever(self._socket), name=f"client-{self.name}")
        for pending in list(self._pending.values()):  # retries after a reconnect keep their ids
            await self._send(pending.frame)
        return self.welcome

    async def reconnect(self) -> Welcome:
        await self.drop()
        return await self.connect()

    async def until_resumed(self, wait_s: float = 10) -> dict[str, dict[str, Any]]:
        """Wait for the ``resumed``/``resync_required`` of every stream of the welcome; returns
        them by stream (other control frames stay queued in order after them)."""
        assert self.welcome is not None
        markers: dict[str, dict[str, Any]] = {}
        others: list[dict[str, Any]] = []
        async with asyncio.timeout(wait_s):
            while set(markers) != set(self.welcome.streams):
                frame = await self.next_control()
                if frame["type"] in ("resumed", "resync_required"):
                    markers[frame["stream"]] = frame
                else:
                    others.append(frame)
        for frame in others:
            self.controls.put_nowait(frame)
        return markers

    async def drop(self) -> None:
        """Close the socket abruptly, as a lost network does (pending commands stay pending)."""
        if self._socket is not None:
            self._socket.transport.abort()
        await self._stop_reader()

    async def close(self) -> None:
        if self._socket is not None:
            with contextlib.suppress(Exception):
                await self._socket.close()
        await self._stop_reader()

    async def _stop_reader(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._reader
            self._reader = None

    # --- commands -------------------------------------------------------------------------

    def new_id(self) -> str:
        return f"{self.name}-{next(self._ids)}"

    async def command(self, type: str, *, id: str | None = None, wait_s: float = 15, **fields: Any) -> Any:
        """Send a command and return its ack's result; raise ``CommandRefused`` on an error."""
        pending = self.start_command(type, id=id, **fields)
        await self._send(pending.frame)
        return await asyncio.wait_for(asyncio.shield(pending.answer), wait_s)

    async def submit(self, type: str, *, id: str | None = None, **fields: Any) -> PendingCommand:
        """Send a command without waiting for its ack: await ``answer`` (it survives reconnects)."""
        pending = self.start_command(type, id=id, **fields)
        if self.connected:
            await self._send(pending.frame)
        return pending

    @property
    def connected(self) -> bool:
        return self._socket is not None and not self._closed.is_set()

    def start_command(self, type: str, *, id: str | None = None, **fields: Any) -> PendingCommand:
        """Register a command as pending without waiting (sent by ``command`` or on reconnect)."""
        frame = {"type": type, "id": id or self.new_id(), **{k: _jsonable(v) for k, v in fields.items()}}
        pending = self._pending.get(frame["id"]) or PendingCommand(frame)
        self._pending[frame["id"]] = pending
        return pending

    @property
    def unacknowledged(self) -> list[str]:
        return list(self._pending)

    async def ping(self, wait_s: float = 10) -> None:
        """Ping and wait for the pong: every frame the server queued before it has then arrived."""
        pong = asyncio.get_running_loop().create_future()
        self._pongs.append(pong)
        await self._send({"type": "ping"})
        await asyncio.wait_for(pong, wait_s)

    async def send_raw(self, data: str | bytes) -> None:
        """Send a frame as given (for tests of malformed input)."""
        assert self._socket is not None
        await self._socket.send(data)

    async def _send(self, frame: dict[str, Any]) -> None:
        assert self._socket is not None
        delay_s = self._bucket.reserve()  # stay under the server's rate limit
        if delay_s:
            await asyncio.sleep(delay_s)
        text = frame_text(frame)
        assert len(text.encode()) <= MESSAGE_MAX_BYTES, "command larger than the server accepts"
        with contextlib.suppress(ConnectionClosed):
            await self._socket.send(text)

    # --- receiving ------------------------------------------------------------------------

    async def next_event(self, wait_s: float = 10) -> Event:
        return await asyncio.wait_for(self.events.get(), wait_s)

    async def next_control(self, wait_s: float = 10) -> dict[str, Any]:
        return await asyncio.wait_for(self.controls.get(), wait_s)

    async def wait_closed(self, wait_s: float = 10) -> int | None:
        await asyncio.wait_for(self._closed.wait(), wait_s)
        return self.close_code

    async def _read_forever(self, socket: ClientConnection) -> None:
        try:
            async for message in socket:
                self._receive(json.loads(message))
        except ConnectionClosed:
            pass
        finally:
            self.close_code = socket.close_code
            self._closed.set()

    def _receive(self, frame: dict[str, Any]) -> None:
        kind = frame.get("type")
        if "seq" in frame and "stream" in frame:
            self._receive_event(Event(kind or "", frame["stream"], frame["seq"], frame["at"], frame["data"]))
        elif kind in ("ack", "error") and frame.get("ref") in self._pending:
            pending = self._pending.pop(frame["ref"])
            if not pending.answer.done():
                if kind == "ack":
                    pending.answer.set_result(frame["result"])
                else:
                    pending.answer.set_exception(CommandRefused(frame["code"], frame["message"]))
        else:
            if kind in ("resumed", "resync_required"):
                self.cursors[frame["stream"]] = frame["head"]
                self.epochs[frame["stream"]] = frame.get("epoch", 1)
            if kind == "pong":
                if self._pongs:
                    self._pongs.popleft().set_result(None)
            else:
                self.controls.put_nowait(frame)

    def _receive_event(self, event: Event) -> None:
        last = self.cursors.get(event.stream)
        if last is not None and event.seq <= last:
            self.duplicates += 1
            return
        if last is not None and event.seq != last + 1:
            self.gaps += 1
        self.cursors[event.stream] = event.seq
        self.events.put_nowait(event)
        self._follow_unsubscriptions(event)

    def _follow_unsubscriptions(self, event: Event) -> None:
        """The server ends a subscription without a frame of its own: after ``room.removed``, and
        for a participant after ``participant.moved`` out of their room (see docs/realtime.md)."""
        if event.type == "room.removed":
            self.cursors.pop(f"room:{event.data['room_id']}", None)
        elif (
            event.type == "participant.moved"
            and self.welcome is not None
            and self.welcome.role == "participant"
            and event.data["participant_id"] == str(self.welcome.participant_id)
            and event.data["from_room_id"] is not None
        ):
            self.cursors.pop(f"room:{event.data['from_room_id']}", None)


def _jsonable(value: Any) -> Any:
    if isinstance(value, list):
        return [_jsonable(item) for item in value]
    return str(value) if isinstance(value, uuid.UUID) else value


def frame_text(frame: dict[str, Any]) -> str:
    """A frame as a browser's ``JSON.stringify`` writes it: compact, and in UTF-8 rather than
    ``\\u`` escapes, so what fits the frame cap from a browser fits from this client too (an emoji
    is 4 bytes, not 12)."""
    return json.dumps(frame, ensure_ascii=False, separators=(",", ":"))
