"""Each stream's most recent events in memory, so that a resume within them reads no database.

The hub appends every event it delivers, in seq order; a ring holds a contiguous run of a
stream's events ending at the last one delivered, in one numbering epoch. A resume asks for the
events after the client's cursor: the ring answers when it holds all of them, and says it cannot
(None) otherwise — the cursor is older than the ring, or the ring was started afresh (the stream
was reset or restarted after a gap, or its channel was re-opened after events it did not see) —
and the caller reads the event log instead.
"""

from __future__ import annotations

from collections import OrderedDict, deque

from app.realtime.frames import EncodedEvent
from app.realtime.limits import RING_EVENTS, RING_STREAMS


class EventRing:
    __slots__ = ("epoch", "events")

    def __init__(self, epoch: int) -> None:
        self.epoch = epoch
        self.events: deque[EncodedEvent] = deque(maxlen=RING_EVENTS)

    @property
    def last(self) -> int | None:
        return self.events[-1].seq if self.events else None

    def append(self, encoded: EncodedEvent) -> None:
        last = self.last
        if last is not None and encoded.seq != last + 1:
            self.events.clear()  # a run must be contiguous: start again from this event
        self.events.append(encoded)

    def after(self, cursor: int, head: int) -> list[EncodedEvent] | None:
        """The events ``cursor + 1 … head``, or None when the ring does not hold all of them."""
        if cursor == head:
            return []
        if cursor > head or self.last != head or self.events[0].seq > cursor + 1:
            return None
        start = cursor + 1 - self.events[0].seq
        return [self.events[index] for index in range(start, len(self.events))]


class EventRings:
    """The rings of the streams written to most recently (at most ``RING_STREAMS``)."""

    def __init__(self, streams: int = RING_STREAMS) -> None:
        self._rings: OrderedDict[str, EventRing] = OrderedDict()
        self._streams = streams

    def append(self, stream: str, epoch: int, encoded: EncodedEvent) -> None:
        ring = self._rings.get(stream)
        if ring is None or ring.epoch != epoch:
            ring = self._rings[stream] = EventRing(epoch)
            if len(self._rings) > self._streams:
                self._rings.popitem(last=False)
        else:
            self._rings.move_to_end(stream)
        ring.append(encoded)

    def restart(self, stream: str, epoch: int, head: int) -> None:
        """The stream continues at ``head`` (epoch ``epoch``) without the events before: a ring
        that does not end there is dropped."""
        ring = self._rings.get(stream)
        if ring is not None and (ring.epoch != epoch or ring.last != head):
            del self._rings[stream]

    def after(self, stream: str, epoch: int, cursor: int, head: int) -> list[EncodedEvent] | None:
        ring = self._rings.get(stream)
        if ring is None or ring.epoch != epoch:
            return [] if cursor == head else None
        return ring.after(cursor, head)
