"""One socket: its reader runs in the task the server gave the socket, and nothing outlives it.

The reader enforces the frame cap, the rate limit and the protocol, answers pings and queues
commands; it never waits for a command, so pings, pongs and close frames are read however long a
command takes (uvicorn stops reading a socket until the app takes its last message). The queued
commands run one at a time, in the order sent, in a task that exists only while some are queued;
past ``COMMAND_QUEUE_LIMIT`` waiting, a command is refused with a ``busy`` error frame.
Frames go out through the bounded ``SendQueue``, which writes those of one loop tick together
and needs a task only while the client is not reading. Anything that must end the socket calls ``fail``: from outside
the reader it interrupts the reader's wait, and the socket closes with the recorded code; the
subscriptions and any task the socket started (``spawn``) end with it. One task per socket (the
server's own) keeps an idle socket small.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from starlette.websockets import WebSocket, WebSocketDisconnect

from app.database import utcnow
from app.realtime import limits
from app.realtime.frames import control_text, read_client_frame, ref_of
from app.realtime.hub import Hub, Subscription
from app.realtime.limits import (
    CLOSE_TIMEOUT_S,
    HEARTBEAT_S,
    HELLO_TIMEOUT_S,
    MESSAGE_MAX_BYTES,
    SEND_QUEUE_LIMIT,
    CloseCode,
    ErrorCode,
    TokenBucket,
)
from app.realtime.protocol import (
    PROTOCOL_VERSION,
    ClientCommand,
    ErrorFrame,
    Hello,
    Ping,
    Pong,
    Welcome,
)
from app.realtime.resume import resume_stream
from app.realtime.send_queue import SendQueue
from app.realtime.ws_protocol import SEND_TEXTS
from app.vocabulary import Role

log = logging.getLogger("breakouts.socket")


@dataclass(frozen=True, slots=True)
class Grant:
    """A stream the socket may receive, and whether it gets the staff payloads."""

    stream: str
    staff: bool


@dataclass(frozen=True, slots=True)
class Identity:
    actor_key: str
    meeting_id: uuid.UUID
    participant_id: uuid.UUID | None
    role: Role


CommandRunner = Callable[["Connection", ClientCommand], Awaitable[BaseModel]]


class Connection:
    def __init__(
        self,
        websocket: WebSocket,
        hub: Hub,
        identity: Identity,
        grants: Sequence[Grant],
        run_command: CommandRunner,
        *,
        send_queue_limit: int = SEND_QUEUE_LIMIT,
        on_welcome: Callable[[Connection], None] | None = None,
        command_queue_limit: int | None = None,
    ) -> None:
        self.websocket = websocket
        # The ASGI receive, as for sending: Starlette's ``receive`` adds a coroutine that stays
        # suspended while the socket is idle. What it checks holds here: the socket is accepted
        # before a Connection exists, and nothing is read after the disconnect message.
        self._receive = websocket._receive
        self.hub = hub
        self.identity = identity
        self.grants = {grant.stream: grant for grant in grants}
        self.subscriptions: dict[str, Subscription] = {}
        self._run_command = run_command
        self._on_welcome = on_welcome
        self._send = websocket._send  # the ASGI send Starlette wraps
        several = SEND_TEXTS in (websocket.scope.get("extensions") or {})
        self._queue = SendQueue(
            self._send_text, send_queue_limit, self._send_failed, hub.writer, self._send_texts if several else None
        )
        self._bucket = TokenBucket()
        self.close_code: CloseCode | None = None
        self.heard_at = time.monotonic()  # the hub closes a socket silent for IDLE_TIMEOUT_S
        self._close_reason = ""
        self._client_gone = False
        self._reader: asyncio.Task[Any] | None = None
        self._interrupted = False
        # Made on first use, as the send queue's parts: most sockets never spawn a task, never
        # wait for their welcome and hold no queued command (each costs hundreds of bytes).
        self._spawned: set[asyncio.Task[None]] | None = None
        self._welcomed = False
        self._welcome_waiter: asyncio.Event | None = None
        self._commands: deque[ClientCommand] | None = None
        self._command_limit = limits.COMMAND_QUEUE_LIMIT if command_queue_limit is None else command_queue_limit
        self._running_commands = False

    def _send_text(self, text: str) -> Awaitable[None]:
        """Text frames go straight to the ASGI ``send`` the socket was accepted with. Starlette's
        own ``send_text`` adds two coroutines and a state check per frame, and a fan-out writes
        thousands of frames per event; what it guards is kept here: only text frames go this way,
        nothing is written after ``close`` (the queue is closed first), and an ``OSError`` ends
        the socket as a departed client (``_send_failed``). The accept and the close still go
        through Starlette."""
        return self._send({"type": "websocket.send", "text": text})

    def _send_texts(self, texts: list[str]) -> Awaitable[None]:
        """Several text frames in one write, when the server offers it (``app/realtime/ws_protocol.py``)."""
        return self._send({"type": SEND_TEXTS, "texts": texts})

    # --- what the hub and the live layer call ---------------------------------------------

    def push(self, text: str) -> None:
        if self.close_code is None and not self._queue.push(text):
            self.fail(CloseCode.TOO_SLOW, "send queue overflow: resume with your cursors")

    async def send(self, text: str) -> None:
        await self._queue.put(text)

    @property
    def welcomed(self) -> bool:
        return self._welcomed

    def fail(self, code: CloseCode, reason: str) -> None:
        if self.close_code is not None:
            return
        self.close_code, self._close_reason = code, reason
        reader = self._reader
        if reader is not None and reader is not asyncio.current_task():
            self._interrupted = True
            reader.cancel()

    def spawn(self, work: Coroutine[Any, Any, None]) -> None:
        """Run ``work`` beside the reader; it ends with the socket, and its failure ends the socket."""
        if self._reader is None or self.close_code is not None:
            work.close()
            return
        task = asyncio.get_running_loop().create_task(work)
        if self._spawned is None:
            self._spawned = set()
        self._spawned.add(task)
        task.add_done_callback(self._spawned_done)

    def _spawned_done(self, task: asyncio.Task[None]) -> None:
        if self._spawned is not None:
            self._spawned.discard(task)
            if not self._spawned:
                self._spawned = None
        if not task.cancelled() and task.exception() is not None:
            log.error("socket task failed", exc_info=task.exception())
            self.fail(CloseCode.INTERNAL_ERROR, "internal error")

    def _send_failed(self, error: Exception) -> None:
        if isinstance(error, WebSocketDisconnect | OSError):
            self._client_gone = True
            self.fail(CloseCode.NORMAL, "client left")
        else:
            log.error("sending failed", exc_info=error)
            self.fail(CloseCode.INTERNAL_ERROR, "internal error")

    def follow(self, grant: Grant) -> None:
        """Subscribe to a stream from now on (a move, a new room): the client gets ``resumed``
        for it and loads its snapshot."""
        if grant.stream in self.grants or self.close_code is not None:
            return
        self.grants[grant.stream] = grant
        self.spawn(self._follow(grant))

    async def _follow(self, grant: Grant) -> None:
        if not self._welcomed:  # the welcome is always the first frame
            if self._welcome_waiter is None:
                self._welcome_waiter = asyncio.Event()
            await self._welcome_waiter.wait()
        subscription = await self.hub.subscribe(grant.stream, grant.staff, self)
        if self.grants.get(grant.stream) is not grant or grant.stream in self.subscriptions:
            self.hub.unsubscribe(subscription)  # left again (or subscribed) meanwhile
            return
        self.subscriptions[grant.stream] = subscription
        await resume_stream(self.hub, subscription, None, 1, self.send)

    def leave(self, stream: str) -> None:
        self.grants.pop(stream, None)
        subscription = self.subscriptions.pop(stream, None)
        if subscription is not None:
            self.hub.unsubscribe(subscription)

    # --- the socket's life ----------------------------------------------------------------

    async def serve(self) -> None:
        """Run an accepted socket until it ends, then close it with the recorded code."""
        self._reader = asyncio.current_task()
        self.hub.recipients.add(self)
        try:
            await self._read_loop()
        except asyncio.CancelledError:
            if not self._interrupted:
                raise
            assert self._reader is not None
            self._reader.uncancel()  # interrupted by ``fail``: close normally below
        except WebSocketDisconnect:
            self._client_gone = True
        except Exception:
            log.exception("socket failed")
            self.fail(CloseCode.INTERNAL_ERROR, "internal error")
        finally:
            self._reader = None
            self._queue.close()
            self.hub.recipients.discard(self)
            for subscription in self.subscriptions.values():
                self.hub.unsubscribe(subscription)
            await self._end_spawned()
        if not self._client_gone and self.close_code is not None:
            with contextlib.suppress(TimeoutError, WebSocketDisconnect, RuntimeError, OSError):
                async with asyncio.timeout(CLOSE_TIMEOUT_S):
                    await self.websocket.close(self.close_code, self._close_reason)

    async def _end_spawned(self) -> None:
        spawned = list(self._spawned or ())
        for task in spawned:
            task.cancel()
        for task in spawned:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task

    async def _read_loop(self) -> None:
        hello = await self._await_hello()
        if hello is None:
            return
        await self._open_streams(hello)
        del hello  # its cursors are spent: an idle socket need not keep them
        while self.close_code is None:
            frame = await self._receive_frame()
            if isinstance(frame, Ping):
                await self.send(control_text(Pong()))
            elif isinstance(frame, Hello):
                await self._error(ErrorCode.HELLO_REPEATED, "hello is sent once, first")
            elif frame is not None:
                await self._queue_command(frame)

    async def _queue_command(self, command: ClientCommand) -> None:
        if self._commands is None:
            self._commands = deque()
        if len(self._commands) >= self._command_limit:
            message = f"{self._command_limit} commands already wait on this socket: resend after an ack"
            await self._error(ErrorCode.BUSY, message, command.id)
            return
        self._commands.append(command)
        if not self._running_commands:
            self._running_commands = True
            self.spawn(self._run_commands())

    async def _run_commands(self) -> None:
        """The queued commands one by one, each acknowledged (or refused) before the next runs."""
        try:
            while self._commands and self.close_code is None:
                command = self._commands.popleft()
                await self.send(control_text(await self._run_command(self, command)))
        finally:
            self._running_commands = False
            if not self._commands:
                self._commands = None

    async def _await_hello(self) -> Hello | None:
        try:
            async with asyncio.timeout(HELLO_TIMEOUT_S):
                while self.close_code is None:
                    frame = await self._receive_frame()
                    if isinstance(frame, Hello):
                        if frame.protocol != PROTOCOL_VERSION:
                            self.fail(CloseCode.HELLO_EXPECTED, f"this server speaks protocol {PROTOCOL_VERSION}")
                            return None
                        return frame
                    if isinstance(frame, Ping):
                        await self.send(control_text(Pong()))
                    elif frame is not None:
                        await self._error(ErrorCode.HELLO_REQUIRED, "send hello first", getattr(frame, "id", None))
        except TimeoutError:
            self.fail(CloseCode.HELLO_EXPECTED, "no hello")
        return None

    async def _open_streams(self, hello: Hello) -> None:
        for grant in self.grants.values():
            self.subscriptions[grant.stream] = await self.hub.subscribe(grant.stream, grant.staff, self)
        welcome = Welcome(
            server_time=utcnow(),
            streams=list(self.grants),
            heartbeat_s=HEARTBEAT_S,
            participant_id=self.identity.participant_id,
            role=self.identity.role,
        )
        await self.send(control_text(welcome))
        self._welcomed = True
        if self._welcome_waiter is not None:
            self._welcome_waiter.set()
        if self._on_welcome is not None:
            self._on_welcome(self)
        refused = sorted(set(hello.cursors) - set(self.grants))
        if refused:
            await self._error(ErrorCode.STREAM_FORBIDDEN, "not yours: " + ", ".join(refused[:5]))
        for stream, subscription in list(self.subscriptions.items()):
            cursor = hello.cursors.get(stream)
            await resume_stream(self.hub, subscription, cursor, hello.epochs.get(stream, 1), self.send)

    async def _receive_frame(self) -> Any:
        """The next valid frame, or None after answering a bad one with an error frame. No timer
        per socket: the hub closes one that stays silent (``Hub.close_silent``)."""
        message = await self._receive()
        self.heard_at = time.monotonic()
        if message["type"] == "websocket.disconnect":
            self._client_gone = True
            self.fail(CloseCode.NORMAL, "client left")
            return None
        text: str | None = message.get("text")
        size = len(text.encode()) if text is not None else len(message.get("bytes") or b"")
        if size > MESSAGE_MAX_BYTES:
            self.fail(CloseCode.TOO_BIG, f"frames are capped at {MESSAGE_MAX_BYTES} bytes")
            return None
        if not self._bucket.take():
            if self._bucket.flooding:
                self.fail(CloseCode.POLICY, "flood")
            else:
                await self._error(ErrorCode.RATE_LIMITED, "slow down", ref_of(text))
            return None
        if text is None:
            await self._error(ErrorCode.BINARY_FRAME, "frames are JSON text; binary frames are not read")
            return None
        frame = read_client_frame(text)
        if isinstance(frame, ErrorFrame):
            await self.send(control_text(frame))
            return None
        return frame

    async def _error(self, code: ErrorCode, message: str, ref: str | None = None) -> None:
        await self.send(control_text(ErrorFrame(code=code, message=message, ref=ref)))
