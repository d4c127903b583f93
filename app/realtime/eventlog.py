"""The event log: every durable event, numbered per stream, written in the command's transaction.

A stream's head row is bumped with one ``INSERT … ON CONFLICT DO UPDATE … RETURNING`` statement.
On PostgreSQL that takes the row lock until commit, so concurrent writers of one stream queue and
the numbers are gap-free (a rolled-back writer gives its number back). On SQLite the write
transaction already holds the database lock. Events of different streams never wait for each other
on PostgreSQL. The unit of work reserves numbers only just before it commits, and always in the
order of the stream names, so two commands touching the same streams cannot deadlock and the
head rows stay locked for as short a time as possible.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    Executable,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    Uuid,
    bindparam,
    delete,
    func,
    select,
    text,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from app.database import Base, execute_direct, utcnow


class StreamKind(StrEnum):
    MEETING = "meeting"
    ROOM = "room"
    STAFF = "staff"


def meeting_stream(meeting_id: uuid.UUID) -> str:
    return f"{StreamKind.MEETING}:{meeting_id}"


def room_stream(room_id: uuid.UUID) -> str:
    return f"{StreamKind.ROOM}:{room_id}"


def staff_stream(meeting_id: uuid.UUID) -> str:
    return f"{StreamKind.STAFF}:{meeting_id}"


class StreamHead(Base):
    """The last sequence number handed out on a stream, and the oldest one still kept."""

    __tablename__ = "stream_heads"

    stream: Mapped[str] = mapped_column(String(80), primary_key=True)
    meeting_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    head_seq: Mapped[int] = mapped_column(default=0)
    # Events at or below floor_seq have been pruned; a cursor below it must resync.
    floor_seq: Mapped[int] = mapped_column(default=0)
    # Changes when a stream is reset (its events deleted and numbering restarted).
    epoch: Mapped[int] = mapped_column(default=1)


class EventRecord(Base):
    """One durable event. ``payload`` is what every subscriber may see; ``staff_payload``, when set,
    replaces it for moderators and organisers (it may name an author the anonymity hides from peers).
    """

    __tablename__ = "events"
    __table_args__ = (
        UniqueConstraint("stream", "seq"),
        Index("ix_events_meeting_id_id", "meeting_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    stream: Mapped[str] = mapped_column(String(80))
    seq: Mapped[int]
    meeting_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    type: Mapped[str] = mapped_column(String(60))
    payload: Mapped[dict[str, Any]]
    staff_payload: Mapped[dict[str, Any] | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


@dataclass(frozen=True, slots=True)
class CommittedEvent:
    """An event as the bus carries it after commit."""

    stream: str
    seq: int
    type: str
    payload: dict[str, Any]
    staff_payload: dict[str, Any] | None
    at: datetime

    @classmethod
    def of(cls, record: EventRecord) -> CommittedEvent:
        return cls(
            stream=record.stream,
            seq=record.seq,
            type=record.type,
            payload=record.payload,
            staff_payload=record.staff_payload,
            at=record.created_at,
        )


# A stream, its meeting, and how many numbers it needs.
Reservation = tuple[str, uuid.UUID, int]


async def reserve_many_seqs(session: AsyncSession, reservations: Sequence[Reservation]) -> dict[str, int]:
    """Reserve consecutive numbers on each stream (each named once, with how many it needs) in
    the caller's transaction, in one statement; returns the first number reserved on each. The
    heads are bumped in the order given (callers give the streams in name order, so two writers
    never wait on each other's heads in a cycle on PostgreSQL)."""
    if not reservations:
        return {}
    rows = [
        {"stream": stream, "meeting_id": meeting_id, "head_seq": count} for stream, meeting_id, count in reservations
    ]
    heads = await execute_direct(session, _reserving(len(rows)), [_numbered(rows)], many=False)
    assert heads is not None
    counts = {stream: count for stream, _, count in reservations}
    return {stream: int(last) - counts[stream] + 1 for stream, last in heads}


def _numbered(rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {f"{key}_{index}": value for index, row in enumerate(rows) for key, value in row.items()}


@functools.lru_cache(maxsize=256)
def _reserving(size: int) -> Executable:
    """The statement that bumps ``size`` streams' heads, built once per size (every batch runs it;
    building it each time cost more than running it). A new stream's head starts at its count
    (floor 0, epoch 1: the columns' defaults); an existing one's grows by it (``excluded``).
    Written as SQL because SQLAlchemy does not cache a multi-row ``VALUES``; SQLite and
    PostgreSQL both read it."""
    rows = ", ".join(f"(:stream_{i}, :meeting_id_{i}, :head_seq_{i}, 0, 1)" for i in range(size))
    parameters = [
        parameter
        for i in range(size)
        for parameter in (
            bindparam(f"stream_{i}", type_=String),
            bindparam(f"meeting_id_{i}", type_=Uuid),
            bindparam(f"head_seq_{i}", type_=Integer),
        )
    ]
    return (
        text(
            f"INSERT INTO stream_heads (stream, meeting_id, head_seq, floor_seq, epoch) VALUES {rows} "
            "ON CONFLICT (stream) DO UPDATE SET head_seq = stream_heads.head_seq + excluded.head_seq "
            "RETURNING stream, head_seq"
        )
        .bindparams(*parameters)
        .columns(stream=String, head_seq=Integer)
    )


async def stream_head(session: AsyncSession, stream: str) -> StreamHead | None:
    return await session.get(StreamHead, stream)


async def events_after(session: AsyncSession, stream: str, after_seq: int, limit: int) -> list[EventRecord]:
    rows = await session.scalars(
        select(EventRecord)
        .where(EventRecord.stream == stream, EventRecord.seq > after_seq)
        .order_by(EventRecord.seq)
        .limit(limit)
    )
    return list(rows)


@dataclass(frozen=True, slots=True)
class StreamPosition:
    """Where a stream stands: its last seq, the highest pruned seq, and its numbering epoch.
    A stream nobody wrote to yet stands at ``EMPTY_POSITION``."""

    head: int
    floor: int
    epoch: int


EMPTY_POSITION = StreamPosition(head=0, floor=0, epoch=1)


async def stream_positions(session: AsyncSession, streams: Sequence[str]) -> dict[str, StreamPosition]:
    """The position of every stream asked for (streams never written to stand at zero)."""
    found = {stream: EMPTY_POSITION for stream in streams}
    for start in range(0, len(streams), 500):
        rows = await session.execute(
            select(StreamHead.stream, StreamHead.head_seq, StreamHead.floor_seq, StreamHead.epoch).where(
                StreamHead.stream.in_(streams[start : start + 500])
            )
        )
        for stream, head, floor, epoch in rows:
            found[stream] = StreamPosition(head=head, floor=floor, epoch=epoch)
    return found


async def prune_events(session: AsyncSession, older_than: datetime) -> int:
    """Delete events created before ``older_than`` and raise each stream's floor to match, so a
    cursor below the floor is told to resync instead of getting a replay with a hole."""
    floors = await session.execute(
        select(EventRecord.stream, func.max(EventRecord.seq))
        .where(EventRecord.created_at < older_than)
        .group_by(EventRecord.stream)
    )
    deleted = 0
    for stream, floor in floors.all():
        result = await session.execute(
            delete(EventRecord).where(EventRecord.stream == stream, EventRecord.seq <= floor)
        )
        deleted += getattr(result, "rowcount", 0) or 0
        await session.execute(
            update(StreamHead).where(StreamHead.stream == stream, StreamHead.floor_seq < floor).values(floor_seq=floor)
        )
    return deleted


async def reset_stream(session: AsyncSession, stream: str) -> None:
    """Forget a stream's events and restart its numbering in a new epoch (e.g. a meeting
    rehearsed and then run for real). Every cursor of the old epoch must resync."""
    await session.execute(delete(EventRecord).where(EventRecord.stream == stream))
    await session.execute(
        update(StreamHead)
        .where(StreamHead.stream == stream)
        .values(head_seq=0, floor_seq=0, epoch=StreamHead.epoch + 1)
    )
