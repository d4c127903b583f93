"""Resuming one stream for one socket: replay from the log, then live, with no gap and no duplicate.

The subscription is made first and buffers what the hub delivers meanwhile; the replay then reads
the log up to the head it saw; ``go_live`` forwards the buffer, skipping every seq the replay
already sent. A cursor within the stream's ring of recent events (``Hub.recent``) is served from
memory, and so is a subscription from now; the log is read only for older cursors (and for a
cursor ahead of what this process delivered, which the log tells apart from a bad one). Replay and
live delivery share ``Subscription.staff`` and ``EncodedEvent``, so a
replayed event is authorised and serialised exactly as it was live.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from app.realtime.eventlog import CommittedEvent, StreamPosition, events_after, stream_positions
from app.realtime.frames import EncodedEvent
from app.realtime.hub import Hub, ResyncReason, Subscription
from app.realtime.limits import MAX_REPLAY_EVENTS, REPLAY_BATCH
from app.realtime.protocol import Resumed, ResyncRequired

# Queues a frame for the socket, waiting while its queue is full (a replay may be long).
SendFrame = Callable[[str], Awaitable[None]]


def resume_outcome(position: StreamPosition, cursor: int | None, epoch: int) -> ResyncReason | None:
    """Whether a cursor can be replayed from the log, and if not, why (see docs/realtime.md)."""
    if cursor is None:
        return None
    if epoch != position.epoch:
        return "reset"
    if cursor > position.head:
        return "ahead"
    if cursor < position.floor or position.head - cursor > MAX_REPLAY_EVENTS:
        return "too_old"
    return None


async def resume_stream(hub: Hub, subscription: Subscription, cursor: int | None, epoch: int, send: SendFrame) -> None:
    """Bring ``subscription`` from ``cursor`` (None: from now) to live, sending every frame."""
    stream = subscription.stream
    recent = hub.recent(subscription, cursor)
    if recent is not None and (cursor is None or epoch == recent[0].epoch):
        position, missed = recent
        subscription.epoch = position.epoch
        subscription.last_sent = position.head if cursor is None else cursor
        for encoded in missed:
            await send(encoded.text_for(subscription.staff))
            subscription.last_sent = encoded.seq
        await send(Resumed(stream=stream, head=position.head, epoch=position.epoch).model_dump_json())
        subscription.go_live()
        return
    database = hub.database
    async with database.reading() as session:
        position = (await stream_positions(session, [stream]))[stream]
    subscription.epoch = position.epoch
    reason = resume_outcome(position, cursor, epoch)
    if cursor is None or reason is not None:
        subscription.last_sent = position.head
        if reason is None:
            await send(Resumed(stream=stream, head=position.head, epoch=position.epoch).model_dump_json())
        else:
            frame = ResyncRequired(stream=stream, reason=reason, head=position.head, epoch=position.epoch)
            await send(frame.model_dump_json())
        subscription.go_live()
        return

    subscription.last_sent = cursor
    while subscription.last_sent < position.head:
        async with database.reading() as session:
            limit = min(REPLAY_BATCH, position.head - subscription.last_sent)
            rows = await events_after(session, stream, subscription.last_sent, limit)
            events = [CommittedEvent.of(row) for row in rows]
        if not events or events[0].seq != subscription.last_sent + 1:
            # Pruned under our feet: the client must load a snapshot after all.
            subscription.last_sent = position.head
            frame = ResyncRequired(stream=stream, reason="gap", head=position.head, epoch=position.epoch)
            await send(frame.model_dump_json())
            subscription.go_live()
            return
        for event in events:
            await send(EncodedEvent(event).text_for(subscription.staff))
            subscription.last_sent = event.seq
    await send(Resumed(stream=stream, head=subscription.last_sent, epoch=position.epoch).model_dump_json())
    subscription.go_live()
