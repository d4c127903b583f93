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

- Two bare connections of its own (``redis_link.py``: hiredis parses what the loop reads, no
  redis-py layers per message), one publishing and one subscribed.
- ``publish`` never waits for Redis. It delivers to this process's own subscribers at once (so
  sockets on the writing process keep receiving while Redis is away) and queues one ``PUBLISH``
  per stream; what queued leaves in one write once Redis has answered the previous one. A queue
  over ``OUTBOUND_LIMIT`` drops its oldest messages: the log has them. Publishes Redis does not
  answer within ``DEAD_AFTER_S`` end the connection (counted in ``failed_publishes``); it is made
  again with backoff and sends what queued meanwhile.
- The subscriber pings Redis when the channel is quiet and treats a connection that answers
  nothing within ``DEAD_AFTER_S`` as lost (a paused Redis keeps the TCP connection open and says
  nothing). A lost connection is replaced with backoff, every channel is subscribed again, and
  the reconnect handlers run (the hub checks every stream).
- ``caught_up`` is the hub's test for a gap: a ``PING`` on the subscribed connection, answered
  after everything Redis had published to this process before it, so once the pong is in, a
  missing event was not merely on its way through Redis.
- A process hears its own messages back from Redis and drops them by their origin, which leads
  the message after its format, before decoding them.
- Every message starts with its format (``MESSAGE_FORMAT``). During a rolling upgrade processes of
  two versions share Redis: a process drops a message of a format it does not read, undecoded,
  and counts it (``foreign_messages``); the events in it reach its sockets from the log, on the
  gap the next message opens or on the periodic check, as for a message Redis lost. A format
  changes only with a new number, never in place.
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

import hiredis
from pydantic_core import from_json, to_json
from redis.asyncio import Redis

from app.realtime.bus import EventHandler, ReconnectHandler, RevocationHandler
from app.realtime.eventlog import CommittedEvent
from app.realtime.redis_link import RedisLink, RedisLinkError, command, open_link
from app.redis_client import endpoint_of

log = logging.getLogger("breakouts.bus")

CHANNEL_PREFIX = "breakouts:"
STREAM_CHANNEL_PREFIX = f"{CHANNEL_PREFIX}stream:"
REVOKED_CHANNEL = f"{CHANNEL_PREFIX}revoked"
_STREAM_CHANNEL_PREFIX = STREAM_CHANNEL_PREFIX.encode()
_REVOKED_CHANNEL = REVOKED_CHANNEL.encode()

# Messages waiting for the publisher. A second of S2's heaviest load is a few thousand; past
# this Redis has been away long enough that the hub's tick has read the events from the log.
OUTBOUND_LIMIT = 10_000
# Each connection pings when nothing arrived for this long, and is given up when nothing at all
# (not even the pong) arrived for DEAD_AFTER_S: a paused or unreachable Redis is noticed within a
# few seconds, while a busy one is never pinged.
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

_PING = command("PING")
_MESSAGE = b"message"
_PONG = b"pong"
_SUBSCRIBE = b"subscribe"
_LINK_ERRORS = (OSError, TimeoutError, RedisLinkError)
# The format of the bus's messages: ``<format> <origin> <body>``. The first one (before formats
# were numbered) had no such field: ``<origin> <body>``, its origin a 32-digit hex id, read here as
# an unknown format like any other.
MESSAGE_FORMAT = b"2"
_FORMAT_PREFIX = MESSAGE_FORMAT + b" "


def stream_channel(stream: str) -> str:
    return STREAM_CHANNEL_PREFIX + stream


def encode_events(origin: str, events: Sequence[CommittedEvent]) -> bytes:
    """One message for the events of one stream (in commit order): the format, the origin and the
    events as JSON, separated by spaces (so a process tells its own messages, and those of a
    format it does not read, without decoding them)."""
    rows = [[event.seq, event.type, event.payload, event.staff_payload, event.at] for event in events]
    return _FORMAT_PREFIX + origin.encode() + b" " + to_json(rows)


def decode_events(stream: str, data: bytes) -> tuple[str, list[CommittedEvent]]:
    """The origin and the events of a message of ``MESSAGE_FORMAT``; raises ``ValueError`` on
    anything malformed or of another format."""
    if not data.startswith(_FORMAT_PREFIX):
        raise ValueError("message of another format")
    origin, separator, rows = data[len(_FORMAT_PREFIX) :].partition(b" ")
    if not separator:
        raise ValueError("malformed message")
    events = []
    for seq, event_type, payload, staff_payload, at in from_json(rows):
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
    return origin.decode(), events


class RedisBus:
    """The ``Bus`` over Redis pub/sub (see the module docstring). ``client`` is the process's
    shared Redis client: the bus connects where it does, with two connections of its own."""

    def __init__(self, client: Redis, *, origin: str | None = None) -> None:
        self.client = client
        self.endpoint = endpoint_of(client)
        self.origin = origin or uuid.uuid4().hex
        self._own = _FORMAT_PREFIX + self.origin.encode() + b" "
        self._handlers: dict[str, EventHandler] = {}
        self._revocation_handlers: list[RevocationHandler] = []
        self._reconnect_handlers: list[ReconnectHandler] = []
        # Publishing: packed commands waiting for the next write, and what Redis has not answered.
        self._outbound: deque[bytes] = deque()
        self._flush_due = False
        self._publisher: RedisLink | None = None
        self._unanswered = 0
        self._unanswered_since = 0.0
        # Subscribing: the subscribed connection, channels awaiting Redis's confirmation, and the
        # pings awaiting their pong (None: a keep-alive ping; a future: a ``caught_up`` waiting).
        self._subscriber: RedisLink | None = None
        self._confirmations: dict[bytes, asyncio.Future[None]] = {}
        self._pongs: deque[asyncio.Future[bool] | None] = deque()
        self._tasks: list[asyncio.Task[None]] = []
        self.connected = asyncio.Event()
        # Counters an operator (and the tests) can read.
        self.reconnects = 0
        self.dropped_outbound = 0
        self.failed_publishes = 0
        self.foreign_messages = 0  # of a format this process does not read (a rolling upgrade)

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
        self._drop_subscriber()
        self._drop_publisher()
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
        self._queue(REVOKED_CHANNEL, self._own + to_json(sorted(str(one) for one in revoked)))

    def _queue(self, channel: str, data: bytes) -> None:
        if len(self._outbound) >= OUTBOUND_LIMIT:
            self._outbound.popleft()
            self.dropped_outbound += 1
        self._outbound.append(command("PUBLISH", channel, data))
        if not self._flush_due:
            self._flush_due = True
            asyncio.get_running_loop().call_soon(self._flush)

    def _flush(self) -> None:
        """Write what queued since the last write, once Redis has answered that one: one write
        per loop tick at most, fewer under load (each write wakes Redis, on a busy host a
        context switch or two; the replies come back within a round trip)."""
        self._flush_due = False
        link = self._publisher
        if link is None or not link.open or not self._outbound or self._unanswered:
            return  # kept for the connection the publisher task makes, or for the replies
        if self._unanswered == 0:
            self._unanswered_since = time.monotonic()
        self._unanswered += len(self._outbound)
        data = b"".join(self._outbound)
        self._outbound.clear()
        link.write(data)

    def _on_publish_reply(self, reply: Any) -> None:
        if self._unanswered > 0:
            self._unanswered -= 1
            self._unanswered_since = time.monotonic()
            if self._unanswered == 0 and self._outbound:
                self._flush()
        if isinstance(reply, hiredis.ReplyError):
            self.failed_publishes += 1
            log.warning("Redis refused a publish: %s", reply)

    async def _publish_forever(self) -> None:
        backoff = BACKOFF_FIRST_S
        while True:
            try:
                async with asyncio.timeout(CONNECT_TIMEOUT_S):
                    link = await open_link(self.endpoint)
            except _LINK_ERRORS as error:
                log.warning("connecting the publisher to Redis failed (%s); retrying in %.1f s", _name(error), backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, BACKOFF_MAX_S)
                continue
            backoff = BACKOFF_FIRST_S
            link.on_reply = self._on_publish_reply
            self._publisher = link
            self._flush()
            try:
                await self._watch(link, self._publisher_silent)
            except TimeoutError as error:
                log.warning("the publisher's Redis connection went silent (%s); reconnecting", error)
            self._drop_publisher()

    def _publisher_silent(self, link: RedisLink, now: float) -> float:
        """How long publishes have waited for an answer (the publisher never needs to ping: a
        connection with nothing unanswered has nothing to lose)."""
        return now - max(self._unanswered_since, link.heard_at) if self._unanswered else 0.0

    def _drop_publisher(self) -> None:
        link, self._publisher = self._publisher, None
        if link is not None:
            link.close()
        if self._unanswered:
            # Lost or not, nobody can tell: the other processes read these events from the log.
            self.failed_publishes += self._unanswered
            log.warning("%d messages to Redis went unanswered", self._unanswered)
            self._unanswered = 0

    # --- subscribing ----------------------------------------------------------------------

    async def subscribe(self, stream: str, handler: EventHandler) -> None:
        new = stream not in self._handlers
        self._handlers[stream] = handler
        if new:
            await self._change_channel("SUBSCRIBE", stream_channel(stream).encode())

    async def unsubscribe(self, stream: str) -> None:
        if self._handlers.pop(stream, None) is not None:
            await self._change_channel("UNSUBSCRIBE", stream_channel(stream).encode())

    async def on_revoked_sessions(self, handler: RevocationHandler) -> None:
        self._revocation_handlers.append(handler)

    async def on_reconnected(self, handler: ReconnectHandler) -> None:
        self._reconnect_handlers.append(handler)

    async def caught_up(self) -> bool:
        """Whether every message Redis had published to this process before now has been
        delivered: a ping on the subscribed connection, whose pong Redis sends after them. False
        when the connection is away or lost meanwhile (what it missed is anyone's guess)."""
        link = self._subscriber
        if link is None or not self.connected.is_set():
            return False
        pong: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._pongs.append(pong)
        link.write(_PING)
        done, _ = await asyncio.wait([pong], timeout=DEAD_AFTER_S)
        return bool(done) and not pong.cancelled() and pong.result()

    async def _change_channel(self, verb: str, channel: bytes) -> None:
        """Change the live connection's channels now (a connection made later subscribes to every
        channel then). A failure here is the subscriber's to notice and repair."""
        link = self._subscriber
        if link is None or not self.connected.is_set():
            return
        confirmed: asyncio.Future[None] | None = None
        if verb == "SUBSCRIBE":
            confirmed = self._confirmations.get(channel)
            if confirmed is None:
                confirmed = self._confirmations[channel] = asyncio.get_running_loop().create_future()
        link.write(command(verb, channel))
        if confirmed is not None:
            done, _ = await asyncio.wait([confirmed], timeout=SUBSCRIBE_WAIT_S)
            if not done:
                log.info("Redis did not confirm the subscription to %s in time", channel[:120].decode())

    async def _subscribe_forever(self) -> None:
        backoff = BACKOFF_FIRST_S
        first = True
        while True:
            try:
                link = await self._connect()
            except _LINK_ERRORS as error:
                self._drop_subscriber()
                log.warning("connecting the bus to Redis failed (%s); retrying in %.1f s", _name(error), backoff)
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
                await self._watch(link, self._subscriber_silent)
            except TimeoutError as error:
                log.warning("bus lost its Redis connection (%s); reconnecting", error)
            else:
                log.warning("bus lost its Redis connection; reconnecting")
            self._drop_subscriber()

    async def _connect(self) -> RedisLink:
        async with asyncio.timeout(CONNECT_TIMEOUT_S):
            link = await open_link(self.endpoint)
            link.on_reply = self._on_subscriber_reply
            self._subscriber = link
            requested: set[bytes] = set()
            while True:  # until every channel wanted (also those added meanwhile) is confirmed
                wanted = {_REVOKED_CHANNEL, *(stream_channel(stream).encode() for stream in self._handlers)}
                missing = wanted - requested
                if not missing:
                    break
                loop = asyncio.get_running_loop()
                waits = [self._confirmations.setdefault(channel, loop.create_future()) for channel in missing]
                link.write(command("SUBSCRIBE", *sorted(missing)))
                requested |= missing
                confirmed: asyncio.Future[Any] = asyncio.gather(*waits)
                either: list[asyncio.Future[Any]] = [link.closed, confirmed]
                done, _ = await asyncio.wait(either, return_when=asyncio.FIRST_COMPLETED)
                if confirmed not in done:
                    confirmed.cancel()
                    raise ConnectionError("Redis closed the connection while subscribing")
        self.connected.set()
        return link

    def _subscriber_silent(self, link: RedisLink, now: float) -> float:
        silent = now - link.heard_at
        if silent >= QUIET_PING_S and not self._pongs:
            self._pongs.append(None)
            link.write(_PING)
        return silent

    async def _watch(self, link: RedisLink, silent: Any) -> None:
        """Until ``link`` closes; raises ``TimeoutError`` when ``silent(link, now)`` (which may
        ping) says it has kept quiet for ``DEAD_AFTER_S``."""
        while not link.closed.done():
            await asyncio.wait([link.closed], timeout=QUIET_PING_S / 2)
            if link.closed.done():
                return
            quiet = silent(link, time.monotonic())
            if quiet >= DEAD_AFTER_S:
                raise TimeoutError(f"nothing from Redis for {quiet:.1f} s")

    def _on_subscriber_reply(self, reply: Any) -> None:
        if type(reply) is not list or len(reply) < 2:
            if isinstance(reply, hiredis.ReplyError):
                log.warning("Redis refused a subscriber command: %s", reply)
            return
        kind = reply[0]
        if kind == _MESSAGE and len(reply) == 3:
            channel, data = reply[1], reply[2]
            if data.startswith(self._own):
                return  # this process's own message, delivered when it was published
            if not data.startswith(_FORMAT_PREFIX):
                self._on_foreign(channel, data)
                return
            try:
                if channel.startswith(_STREAM_CHANNEL_PREFIX):
                    self._on_events(channel[len(_STREAM_CHANNEL_PREFIX) :].decode(), data)
                elif channel == _REVOKED_CHANNEL:
                    self._on_revocation(data)
            except (ValueError, KeyError, TypeError, UnicodeDecodeError):
                log.warning("dropped a malformed message on %s", channel[:120])
        elif kind == _PONG:
            pong = self._pongs.popleft() if self._pongs else None
            if pong is not None and not pong.done():
                pong.set_result(True)
        elif kind == _SUBSCRIBE:
            confirmed = self._confirmations.pop(reply[1], None)
            if confirmed is not None and not confirmed.done():
                confirmed.set_result(None)
        # unsubscribe confirmations only prove the connection alive

    def _on_events(self, stream: str, data: bytes) -> None:
        handler = self._handlers.get(stream)
        if handler is None:
            return
        _, events = decode_events(stream, data)
        for event in events:
            handler(event)

    def _on_foreign(self, channel: bytes, data: bytes) -> None:
        """A message of a process of another version: left to the log (see the module docstring)."""
        self.foreign_messages += 1
        if self.foreign_messages == 1 or self.foreign_messages % 10_000 == 0:
            given = data.partition(b" ")[0][:16]
            log.warning(
                "dropped %d bus messages of formats other than %s (the last on %s, format %r): "
                "processes of another version share this Redis; their events come from the log",
                self.foreign_messages,
                MESSAGE_FORMAT.decode(),
                channel[:120].decode(errors="replace"),
                given.decode(errors="replace"),
            )

    def _on_revocation(self, data: bytes) -> None:
        _, _, rows = data[len(_FORMAT_PREFIX) :].partition(b" ")
        revoked = frozenset(uuid.UUID(one) for one in from_json(rows))
        for handler in list(self._revocation_handlers):
            handler(revoked)

    def _drop_subscriber(self) -> None:
        link, self._subscriber = self._subscriber, None
        self.connected.clear()
        for confirmed in self._confirmations.values():
            if not confirmed.done():
                confirmed.cancel()
        self._confirmations.clear()
        for pong in self._pongs:
            if pong is not None and not pong.done():
                pong.set_result(False)
        self._pongs.clear()
        if link is not None:
            link.close()


def _name(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
