"""The hub of one process: one bus subscription per stream, fanned out to the local sockets.

Each stream has a ``Channel`` that delivers events strictly in seq order: an event that arrives
early waits in ``pending`` while the missing ones are read from the event log, a duplicate is
dropped, and a periodic tick compares every channel with the log because the bus may lose
messages (so does a bus that says it reconnected, at once). Every delivered event is also kept in
its stream's ring of recent events (``app/realtime/ring.py``), from which a resume within it is
served. Delivery never waits: it serialises the event once per audience and appends the same
string to each subscriber's bounded queue; a subscriber whose queue is full is closed, never
waited for. There is no task per recipient.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections.abc import Callable
from typing import Literal, Protocol

from app.database import Database
from app.realtime.bus import Bus
from app.realtime.eventlog import CommittedEvent, StreamPosition, events_after, stream_positions
from app.realtime.frames import EncodedEvent
from app.realtime.limits import (
    GAP_FILL_INTERVAL_S,
    GAP_GRACE_S,
    IDLE_SWEEP_S,
    IDLE_TIMEOUT_S,
    PENDING_EVENTS_LIMIT,
    REPLAY_BATCH,
    SEND_QUEUE_LIMIT,
    CloseCode,
)
from app.realtime.protocol import ResyncRequired
from app.realtime.ring import EventRings
from app.realtime.send_queue import TickWriter

log = logging.getLogger("breakouts.hub")
# The name of the task that checks every channel against the log (periodically, and when the bus
# comes back).
HUB_CHECK_TASK = "hub-gap-fill"

EventObserver = Callable[[CommittedEvent], None]
ResyncReason = Literal["too_old", "ahead", "reset", "gap"]


class Recipient(Protocol):
    """A socket as the hub sees it. ``push`` must not wait: on overflow it closes the socket.
    ``heard_at``: when it last received a frame (``time.monotonic``)."""

    heard_at: float

    def push(self, text: str) -> None: ...

    def fail(self, code: CloseCode, reason: str) -> None: ...


class Subscription:
    """One socket's place in one stream. Until ``go_live`` it buffers what the channel delivers
    (while the socket replays from the log), then it forwards every event above ``last_sent``."""

    __slots__ = ("buffer", "epoch", "last_sent", "live", "recipient", "staff", "stream")

    def __init__(self, stream: str, staff: bool, recipient: Recipient) -> None:
        self.stream = stream
        self.staff = staff
        self.recipient = recipient
        self.live = False
        self.buffer: list[EncodedEvent] = []
        self.last_sent = 0
        self.epoch = 1

    def offer(self, encoded: EncodedEvent) -> None:
        if self.live:
            if encoded.seq > self.last_sent:
                self.last_sent = encoded.seq
                self.recipient.push(encoded.text_for(self.staff))
        elif len(self.buffer) >= SEND_QUEUE_LIMIT:
            self.recipient.fail(CloseCode.TOO_SLOW, "too far behind while resuming")
        else:
            self.buffer.append(encoded)

    def go_live(self) -> None:
        """Forward what arrived during the replay, skipping what the replay already sent."""
        buffered, self.buffer, self.live = self.buffer, [], True
        for encoded in buffered:
            self.offer(encoded)

    def restart(self, position: StreamPosition, reason: ResyncReason) -> None:
        """The stream cannot continue from ``last_sent``: tell the client to load a snapshot."""
        self.buffer.clear()
        self.last_sent, self.epoch = position.head, position.epoch
        frame = ResyncRequired(stream=self.stream, reason=reason, head=position.head, epoch=position.epoch)
        self.recipient.push(frame.model_dump_json())


class Channel:
    __slots__ = (
        "behind",
        "delivered",
        "epoch",
        "filling",
        "heard",
        "pending",
        "ready",
        "stream",
        "subscriptions",
        "watchers",
    )

    def __init__(self, stream: str) -> None:
        self.stream = stream
        self.delivered = 0
        self.epoch = 1
        self.subscriptions: set[Subscription] = set()
        self.watchers = 0
        self.pending: dict[int, CommittedEvent] = {}
        self.ready = asyncio.Event()
        self.filling: asyncio.Task[None] | None = None
        # The log's head when the periodic check last found it ahead of ``delivered``.
        self.behind = 0
        # Events the bus brought (in order or not): a gap's stream still moving while it waits.
        self.heard = 0

    @property
    def idle(self) -> bool:
        return not self.subscriptions and self.watchers == 0


class Hub:
    def __init__(self, database: Database, bus: Bus, *, gap_fill_interval_s: float = GAP_FILL_INTERVAL_S) -> None:
        self.database = database
        self.bus = bus
        self.process_id = uuid.uuid4().hex
        self.observers: list[EventObserver] = []
        self.recipients: set[Recipient] = set()
        self._channels: dict[str, Channel] = {}
        self.rings = EventRings()
        self.writer = TickWriter()  # every socket's frames of one loop tick, written together
        self._gap_fill_interval_s = gap_fill_interval_s
        self._tick: asyncio.Task[None] | None = None

    # --- lifecycle ------------------------------------------------------------------------

    async def start(self) -> None:
        self._tick = asyncio.create_task(self._tick_forever(), name=HUB_CHECK_TASK)
        await self.bus.on_reconnected(self._check_soon)

    def _check_soon(self) -> None:
        """The bus was away and may have lost any event: compare every stream with the log now,
        rather than on the next tick."""
        task = asyncio.get_running_loop().create_task(self.check_streams(), name=HUB_CHECK_TASK)
        task.add_done_callback(_log_failure)

    async def stop(self) -> None:
        for recipient in list(self.recipients):
            recipient.fail(CloseCode.GOING_AWAY, "server shutting down")
        tasks = [self._tick] + [channel.filling for channel in self._channels.values()]
        for task in tasks:
            if task is not None:
                task.cancel()
        for task in tasks:
            if task is not None:
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        for stream in list(self._channels):
            await self.bus.unsubscribe(stream)
        self._channels.clear()

    # --- subscriptions --------------------------------------------------------------------

    async def subscribe(self, stream: str, staff: bool, recipient: Recipient) -> Subscription:
        """Start buffering ``stream`` for ``recipient``; the caller replays, then ``go_live``."""
        channel = await self._channel(stream)
        subscription = Subscription(stream, staff, recipient)
        subscription.epoch = channel.epoch
        channel.subscriptions.add(subscription)
        return subscription

    def recent(
        self, subscription: Subscription, cursor: int | None
    ) -> tuple[StreamPosition, list[EncodedEvent]] | None:
        """Where ``subscription``'s stream stands on this process and its events after ``cursor``
        (None: from now), from memory; None when memory cannot tell (the ring does not reach back
        to the cursor, or the cursor is ahead of what this process delivered). Call right before
        sending them: what is delivered from here on reaches the subscription's buffer."""
        channel = self._channels.get(subscription.stream)
        if channel is None or not channel.ready.is_set():
            return None
        head = channel.delivered
        position = StreamPosition(head=head, floor=0, epoch=channel.epoch)
        if cursor is None:
            return position, []
        events = self.rings.after(channel.stream, channel.epoch, cursor, head)
        return None if events is None else (position, events)

    def unsubscribe(self, subscription: Subscription) -> None:
        channel = self._channels.get(subscription.stream)
        if channel is not None:
            channel.subscriptions.discard(subscription)
            self._release(channel)

    async def watch(self, stream: str) -> None:
        """Keep ``stream`` flowing to the observers even with no socket subscribed to it."""
        (await self._channel(stream)).watchers += 1

    def unwatch(self, stream: str) -> None:
        channel = self._channels.get(stream)
        if channel is not None:
            channel.watchers -= 1
            self._release(channel)

    async def _channel(self, stream: str) -> Channel:
        channel = self._channels.get(stream)
        if channel is None:
            channel = self._channels[stream] = Channel(stream)
            # Subscribe before reading the head: what commits in between waits in ``pending``.
            await self.bus.subscribe(stream, self._on_bus_event)
            try:
                async with self.database.reading() as session:
                    position = (await stream_positions(session, [stream]))[stream]
            except BaseException:
                del self._channels[stream]
                channel.ready.set()  # the waiters find it gone and try again
                await self.bus.unsubscribe(stream)
                raise
            channel.delivered, channel.epoch = position.head, position.epoch
            self.rings.restart(stream, position.epoch, position.head)
            channel.ready.set()
            self._drain_pending(channel)
        else:
            await channel.ready.wait()
            if self._channels.get(stream) is not channel:
                return await self._channel(stream)
        return channel

    def _release(self, channel: Channel) -> None:
        if channel.idle and self._channels.get(channel.stream) is channel:
            del self._channels[channel.stream]
            if channel.filling is not None:
                channel.filling.cancel()
            task = asyncio.get_running_loop().create_task(self._unsubscribe_if_idle(channel.stream))
            task.add_done_callback(_log_failure)

    async def _unsubscribe_if_idle(self, stream: str) -> None:
        if stream not in self._channels:  # a socket may have subscribed again meanwhile
            await self.bus.unsubscribe(stream)

    # --- delivery -------------------------------------------------------------------------

    def _on_bus_event(self, event: CommittedEvent) -> None:
        channel = self._channels.get(event.stream)
        if channel is None:
            return
        channel.heard += 1
        if not channel.ready.is_set() or event.seq > channel.delivered + 1:
            if event.seq > channel.delivered and len(channel.pending) < PENDING_EVENTS_LIMIT:
                channel.pending[event.seq] = event
            if channel.ready.is_set():
                self._fill_soon(channel)
            return
        self._deliver(channel, event)
        self._drain_pending(channel)

    def _deliver(self, channel: Channel, event: CommittedEvent) -> None:
        if event.seq != channel.delivered + 1:
            return
        channel.delivered = event.seq
        encoded = EncodedEvent(event)
        self.rings.append(channel.stream, channel.epoch, encoded)
        for subscription in list(channel.subscriptions):
            subscription.offer(encoded)
        for observer in self.observers:
            try:
                observer(event)
            except Exception:
                log.exception("event observer failed on %s #%d", event.stream, event.seq)

    def _drain_pending(self, channel: Channel) -> None:
        for seq in sorted(channel.pending):
            if seq <= channel.delivered:
                del channel.pending[seq]
            elif seq == channel.delivered + 1:
                self._deliver(channel, channel.pending.pop(seq))
            else:
                self._fill_soon(channel)
                return

    def _fill_soon(self, channel: Channel, *, behind: int = 0) -> None:
        channel.behind = max(channel.behind, behind)
        if channel.filling is None or channel.filling.done():
            channel.filling = asyncio.get_running_loop().create_task(self._fill(channel))
            channel.filling.add_done_callback(_log_failure)

    async def _fill(self, channel: Channel) -> None:
        """Read from the log whatever the bus has not brought, in order, until caught up.

        A missing event (one overtaken by its successor, or below the log's head at the periodic
        check) is usually on its way: written on another process a moment earlier, it crosses
        Redis in a millisecond or two. So the log is read only for an event still missing after
        ``GAP_GRACE_S`` (the writer's time to publish) and after the bus has delivered everything
        Redis had sent this process by then (``Bus.caught_up``: a ping on the subscribed
        connection, answered behind every message before it), so a process too busy to read the
        bus never mistakes its own backlog for a loss; and not while the bus kept bringing events
        of the stream meanwhile (its writers are publishing; a loaded one may take longer than the
        grace), nor after a round the loop overran (this host is overloaded, the writers on it
        too), for at most the periodic check's interval per gap. Under a steady flow from
        several processes, where a new gap opens as the last closes, each gap the bus closes costs
        a timer and no query; a message the bus really lost costs one read.

        The bus keeps delivering while the log is read: rows it brought meanwhile are dropped by
        ``_deliver``, and a gap is judged only against the seq the read started from, with nothing
        delivered meanwhile (the read's snapshot may end below what the bus has delivered)."""
        clock = asyncio.get_running_loop().time
        waited = 0.0
        while channel.pending or channel.delivered < channel.behind:
            missing, heard, started = channel.delivered + 1, channel.heard, clock()
            await asyncio.sleep(GAP_GRACE_S)
            if channel.delivered < missing:
                await self.bus.caught_up()  # False (bus away): nothing more will come
            elapsed = clock() - started
            waited += elapsed
            if channel.delivered >= missing:
                waited = 0.0  # the bus brought it: look again at what is missing now
            else:
                still = channel.heard == heard and elapsed <= 2 * GAP_GRACE_S  # nothing came, none late
                if still or waited >= self._gap_fill_interval_s:
                    break
        else:
            return
        while True:
            after = channel.delivered
            async with self.database.polling() as session:
                rows = await events_after(session, channel.stream, after, REPLAY_BATCH)
                if rows and rows[0].seq != after + 1:
                    position = (await stream_positions(session, [channel.stream]))[channel.stream]
                    if channel.delivered != after:
                        continue  # the bus moved on meanwhile: read again from where it stands
                    # Pruned while this process lagged: the subscribers must start afresh.
                    self._restart(channel, position, "gap")
                    continue
            for row in rows:
                self._deliver(channel, CommittedEvent.of(row))
            self._drain_pending(channel)
            if len(rows) < REPLAY_BATCH:
                return

    def _restart(self, channel: Channel, position: StreamPosition, reason: ResyncReason) -> None:
        channel.delivered, channel.epoch, channel.behind = position.head, position.epoch, 0
        self.rings.restart(channel.stream, position.epoch, position.head)
        channel.pending.clear()
        for subscription in list(channel.subscriptions):
            subscription.restart(position, reason)

    # --- the periodic check against the log -----------------------------------------------

    async def check_streams(self) -> None:
        """Compare every channel with the log: fill what the bus lost, restart reset streams."""
        channels = [channel for channel in self._channels.values() if channel.ready.is_set()]
        if not channels:
            return
        async with self.database.polling() as session:
            positions = await stream_positions(session, [channel.stream for channel in channels])
        for channel in channels:
            position = positions[channel.stream]
            if self._channels.get(channel.stream) is not channel:
                continue
            if position.epoch != channel.epoch:
                self._restart(channel, position, "reset")
            elif position.head > channel.delivered:
                self._fill_soon(channel, behind=position.head)

    async def _tick_forever(self) -> None:
        swept = time.monotonic()
        while True:
            await asyncio.sleep(self._gap_fill_interval_s)
            now = time.monotonic()
            if now - swept >= IDLE_SWEEP_S:
                swept = now
                self.close_silent(now)
            try:
                await self.check_streams()
            except Exception:
                log.exception("checking streams against the event log failed")

    def close_silent(self, now: float) -> None:
        """Close every socket that received nothing (not even a ping) for ``IDLE_TIMEOUT_S``."""
        for recipient in list(self.recipients):
            if now - recipient.heard_at > IDLE_TIMEOUT_S:
                recipient.fail(CloseCode.TOO_SLOW, "no heartbeat")


def _log_failure(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("hub task failed", exc_info=task.exception())
