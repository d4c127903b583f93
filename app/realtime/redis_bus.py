"""The bus of several processes: Redis pub/sub, one channel per stream.

Why a channel per stream and not per meeting: a process subscribes to exactly the streams its
sockets follow (the hub already keeps one subscription per stream), so Redis sends it nothing it
would decode and throw away. With a channel per meeting, every process serving one room of a
100-room meeting would receive and decode the answers of all 100 rooms: on a national
consultation that is most of the fan-out traffic, paid in every process's CPU. The cost of the
finer channels is a SUBSCRIBE when the first local socket of a stream arrives (a few per socket
at most, none for the others in its room) and more channels in Redis, which costs it a hash
entry each. Revocation notices have their own channel, which every process subscribes to.

What it promises: nothing more than the in-process bus. Pub/sub is at-most-once: a message is
lost when Redis is down, paused or restarted, or when this process's subscription is being
re-established. The hub numbers every stream and reads what it did not hear of from the event log
(on a gap, when this bus reconnects, and on its periodic tick), so a lost message delays an
event by at most a tick and never loses it.

How it behaves:

- ``publish`` never waits for Redis. It delivers to this process's own subscribers at once (so
  sockets on the writing process keep receiving while Redis is away) and queues one message per
  stream for the publisher task, which sends whatever queued meanwhile in one pipeline. A queue
  over ``OUTBOUND_LIMIT`` drops its oldest messages: the log has them.
- One subscriber task holds one pub/sub connection. It pings Redis when the channel is quiet and
  treats a connection that answers nothing within ``DEAD_AFTER_S`` as lost (a paused Redis keeps
  the TCP connection open and says nothing). A lost connection is replaced with backoff, every
  channel is subscribed again, and the reconnect handlers run (the hub checks every stream).
- A process hears its own messages back from Redis and drops them by their origin.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections import deque
from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from pydantic_core import from_json, to_json
from redis.asyncio import Redis
from redis.asyncio.client import PubSub
from redis.exceptions import RedisError

from app.realtime.bus import EventHandler, ReconnectHandler, RevocationHandler
from app.realtime.eventlog import CommittedEvent

log = logging.getLogger("breakouts.bus")

CHANNEL_PREFIX = "breakouts:"
STREAM_CHANNEL_PREFIX = f"{CHANNEL_PREFIX}stream:"
REVOKED_CHANNEL = f"{CHANNEL_PREFIX}revoked"

# Messages waiting for the publisher. A second of S2's heaviest load is a few thousand; past
# this Redis has been away long enough that the hub's tick has read the events from the log.
OUTBOUND_LIMIT = 10_000
# The subscriber pings when nothing arrived for this long, and gives the connection up when
# nothing at all (not even the pong) arrived for DEAD_AFTER_S: a paused or unreachable Redis is
# noticed within a few seconds, while a busy one is never pinged.
QUIET_PING_S = 1.0
DEAD_AFTER_S = 3.0
# How long (re)connecting and subscribing may take before the attempt counts as failed.
CONNECT_TIMEOUT_S = 3.0
# How long ``subscribe`` waits for Redis to confirm a new channel. Until the confirmation,
# events of the stream may pass unheard; the hub reads them from the log on the next event or
# tick, so this only bounds the latency of the first events, never their delivery.
SUBSCRIBE_WAIT_S = 0.5
# Reconnect backoff: doubling from the first delay up to the cap.
BACKOFF_FIRST_S = 0.1
BACKOFF_MAX_S = 5.0


def stream_channel(stream: str) -> str:
    return STREAM_CHANNEL_PREFIX + stream


def encode_events(origin: str, events: Sequence[CommittedEvent]) -> bytes:
    """One message for the events of one stream (in commit order)."""
    return to_json(
        {
            "o": origin,
            "e": [[event.seq, event.type, event.payload, event.staff_payload, event.at] for event in events],
        }
    )


def decode_events(stream: str, data: bytes) -> tuple[str, list[CommittedEvent]]:
    """The origin and the events of a message; raises ``ValueError`` on anything malformed."""
    message = from_json(data)
    events = []
    for seq, event_type, payload, staff_payload, at in message["e"]:
        if not isinstance(seq, int) or not isinstance(event_type, str) or not isinstance(payload, dict):
            raise ValueError("malformed event")
        events.append(
            CommittedEvent(
                stream=stream,
                seq=seq,
                type=event_type,
                payload=payload,
                staff_payload=staff_payload if isinstance(staff_payload, dict) else None,
                at=datetime.fromisoformat(at),
            )
        )
    origin = message["o"]
    if not isinstance(origin, str):
        raise ValueError("malformed origin")
    return origin, events


class RedisBus:
    """The ``Bus`` over Redis pub/sub (see the module docstring). ``client`` is the process's
    shared Redis client; the bus takes one connection of its pool for its subscription."""

    def __init__(self, client: Redis, *, origin: str | None = None) -> None:
        self.client = client
        self.origin = origin or uuid.uuid4().hex
        self._handlers: dict[str, EventHandler] = {}
        self._revocation_handlers: list[RevocationHandler] = []
        self._reconnect_handlers: list[ReconnectHandler] = []
        self._outbound: deque[tuple[str, bytes]] = deque()
        self._outbound_ready = asyncio.Event()
        self._pubsub: PubSub | None = None
        self._confirmations: dict[str, asyncio.Future[None]] = {}
        self._tasks: list[asyncio.Task[None]] = []
        self.connected = asyncio.Event()
        # Counters an operator (and the tests) can read.
        self.reconnects = 0
        self.dropped_outbound = 0
        self.failed_publishes = 0

    # --- lifecycle ------------------------------------------------------------------------

    async def start(self) -> None:
        self._tasks = [
            asyncio.create_task(self._subscribe_forever(), name="redis-bus-subscriber"),
            asyncio.create_task(self._publish_forever(), name="redis-bus-publisher"),
        ]

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []
        await self._drop_pubsub()
        self._handlers.clear()
        self._revocation_handlers.clear()
        self._reconnect_handlers.clear()

    # --- publishing -----------------------------------------------------------------------

    async def publish(self, events: Sequence[CommittedEvent]) -> None:
        by_stream: dict[str, list[CommittedEvent]] = {}
        for committed in events:
            handler = self._handlers.get(committed.stream)
            if handler is not None:
                handler(committed)
            by_stream.setdefault(committed.stream, []).append(committed)
        for stream, stream_events in by_stream.items():
            self._queue(stream_channel(stream), encode_events(self.origin, stream_events))

    async def publish_revoked_sessions(self, session_ids: Collection[uuid.UUID]) -> None:
        revoked = frozenset(session_ids)
        for handler in list(self._revocation_handlers):
            handler(revoked)
        self._queue(REVOKED_CHANNEL, to_json({"o": self.origin, "s": sorted(str(one) for one in revoked)}))

    def _queue(self, channel: str, data: bytes) -> None:
        if len(self._outbound) >= OUTBOUND_LIMIT:
            self._outbound.popleft()
            self.dropped_outbound += 1
        self._outbound.append((channel, data))
        self._outbound_ready.set()

    async def _publish_forever(self) -> None:
        backoff = BACKOFF_FIRST_S
        while True:
            await self._outbound_ready.wait()
            self._outbound_ready.clear()
            batch = list(self._outbound)
            self._outbound.clear()
            if not batch:
                continue
            try:
                async with asyncio.timeout(DEAD_AFTER_S):
                    pipeline = self.client.pipeline(transaction=False)
                    for channel, data in batch:
                        pipeline.publish(channel, data)
                    await pipeline.execute()
                backoff = BACKOFF_FIRST_S
            except (RedisError, OSError, TimeoutError) as error:
                # Dropped: the other processes read these events from the log on their next tick.
                self.failed_publishes += len(batch)
                log.warning(
                    "publishing %d messages to Redis failed (%s); retrying new ones in %.1f s",
                    len(batch),
                    type(error).__name__,
                    backoff,
                )
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, BACKOFF_MAX_S)

    # --- subscribing ----------------------------------------------------------------------

    async def subscribe(self, stream: str, handler: EventHandler) -> None:
        channel = stream_channel(stream)
        new = stream not in self._handlers
        self._handlers[stream] = handler
        if new:
            await self._send_subscription("subscribe", channel)

    async def unsubscribe(self, stream: str) -> None:
        if self._handlers.pop(stream, None) is not None:
            await self._send_subscription("unsubscribe", stream_channel(stream))

    async def on_revoked_sessions(self, handler: RevocationHandler) -> None:
        self._revocation_handlers.append(handler)

    async def on_reconnected(self, handler: ReconnectHandler) -> None:
        self._reconnect_handlers.append(handler)

    async def _send_subscription(self, command: str, channel: str) -> None:
        """Change the live connection's channels now (a connection made later subscribes to every
        channel then). A failure here is the subscriber's to notice and repair."""
        pubsub = self._pubsub
        # Only on the live connection: a dropped one would quietly open a connection of its own.
        if pubsub is None or pubsub.connection is None or not self.connected.is_set():
            return
        confirmed: asyncio.Future[None] | None = None
        if command == "subscribe":
            confirmed = self._confirmations.setdefault(channel, asyncio.get_running_loop().create_future())
        try:
            async with asyncio.timeout(SUBSCRIBE_WAIT_S):
                if command == "subscribe":
                    await pubsub.subscribe(channel)
                else:
                    await pubsub.unsubscribe(channel)
                if confirmed is not None:
                    await asyncio.shield(confirmed)
        except (RedisError, OSError, TimeoutError) as error:
            log.info("Redis did not confirm %s %s in time (%s)", command, channel, type(error).__name__)
        finally:
            if confirmed is not None and self._confirmations.get(channel) is confirmed and confirmed.done():
                del self._confirmations[channel]

    async def _subscribe_forever(self) -> None:
        backoff = BACKOFF_FIRST_S
        first = True
        while True:
            try:
                await self._connect()
            except (RedisError, OSError, TimeoutError) as error:
                await self._drop_pubsub()
                log.warning(
                    "connecting the bus to Redis failed (%s); retrying in %.1f s", type(error).__name__, backoff
                )
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, BACKOFF_MAX_S)
                continue
            backoff = BACKOFF_FIRST_S
            if first:
                log.info("bus subscribed to Redis (%d streams)", len(self._handlers))
            else:
                self.reconnects += 1
                log.warning("bus reconnected to Redis (%d streams); checking them against the log", len(self._handlers))
                for handler in list(self._reconnect_handlers):
                    try:
                        handler()
                    except Exception:
                        log.exception("bus reconnect handler failed")
            first = False
            try:
                await self._read_until_lost()
            except (RedisError, OSError, TimeoutError) as error:
                log.warning("bus lost its Redis connection (%s); reconnecting", type(error).__name__)
            self.connected.clear()
            await self._drop_pubsub()

    async def _connect(self) -> None:
        pubsub = self.client.pubsub()
        self._pubsub = pubsub
        requested: set[str] = set()
        confirmed: set[str] = set()
        async with asyncio.timeout(CONNECT_TIMEOUT_S):
            while True:  # until every channel wanted (also those added meanwhile) is confirmed
                wanted = {REVOKED_CHANNEL, *(stream_channel(stream) for stream in self._handlers)}
                missing = wanted - requested
                if missing:
                    await pubsub.subscribe(*sorted(missing))
                    requested |= missing
                if wanted <= confirmed:
                    break
                message = await pubsub.get_message(timeout=CONNECT_TIMEOUT_S)
                if message is None:
                    continue
                if message["type"] == "subscribe":
                    confirmed.add(_text(message["channel"]))
                else:
                    self._dispatch(message)
        self.connected.set()

    async def _read_until_lost(self) -> None:
        pubsub = self._pubsub
        assert pubsub is not None
        heard = time.monotonic()
        pinged = 0.0
        while True:
            message = await pubsub.get_message(timeout=QUIET_PING_S)
            now = time.monotonic()
            if message is not None:
                heard = now
                self._dispatch(message)
                continue
            if now - heard >= DEAD_AFTER_S:
                raise TimeoutError(f"nothing from Redis for {now - heard:.1f} s")
            if now - pinged >= QUIET_PING_S:
                pinged = now
                await pubsub.ping()

    def _dispatch(self, message: dict[str, Any]) -> None:
        kind = message["type"]
        if kind == "subscribe":
            confirmed = self._confirmations.pop(_text(message["channel"]), None)
            if confirmed is not None and not confirmed.done():
                confirmed.set_result(None)
            return
        if kind != "message":
            return  # pongs and unsubscribe confirmations only prove the connection alive
        channel = _text(message["channel"])
        try:
            if channel == REVOKED_CHANNEL:
                self._on_revocation(message["data"])
            elif channel.startswith(STREAM_CHANNEL_PREFIX):
                self._on_events(channel.removeprefix(STREAM_CHANNEL_PREFIX), message["data"])
        except (ValueError, KeyError, TypeError):
            log.warning("dropped a malformed message on %s", channel[:120])

    def _on_events(self, stream: str, data: bytes) -> None:
        handler = self._handlers.get(stream)
        if handler is None:
            return
        origin, events = decode_events(stream, data)
        if origin == self.origin:
            return
        for event in events:
            handler(event)

    def _on_revocation(self, data: bytes) -> None:
        message = from_json(data)
        if message["o"] == self.origin:
            return
        revoked = frozenset(uuid.UUID(one) for one in message["s"])
        for handler in list(self._revocation_handlers):
            handler(revoked)

    async def _drop_pubsub(self) -> None:
        pubsub, self._pubsub = self._pubsub, None
        self.connected.clear()
        for confirmed in self._confirmations.values():
            if not confirmed.done():
                confirmed.cancel()
        self._confirmations.clear()
        if pubsub is not None:
            # A paused Redis never answers the goodbye: close without waiting on it.
            with contextlib.suppress(RedisError, OSError, TimeoutError):
                async with asyncio.timeout(0.5):
                    await pubsub.aclose()  # type: ignore[no-untyped-call]  # unannotated in redis-py
            connection = pubsub.connection
            if connection is not None:
                with contextlib.suppress(RedisError, OSError):
                    await connection.disconnect(nowait=True)


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value
