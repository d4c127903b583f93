"""Breakouts with the answer path cut out, for S1 and S3 ("fan-out only"): the real app, socket,
protocol validation, hub, per-audience encoding, send queues and writers, but ``answer.submit``
is not validated against the room, stored or committed. Its two events (``answer.submitted`` on
the room's stream, ``room.progress`` on the staff stream) are numbered in memory and published on
the bus exactly as the outbox publishes committed events; the ack carries the answer as REST
would return it. Every other command takes the real path.

    BREAKOUTS_…=… python -m uvicorn --factory bench.ours_fanout:create_app …

A stream numbered here runs ahead of the event log, so resuming such a stream is not meaningful
(S5 and S2 use the real app). Answers are numbered and published in batches, as the write pipeline
commits and publishes them. With Redis set (S11, several processes), the numbers come from one
counter per stream in Redis, starting at the log's head, so the processes number one sequence
between them as the event log's head row does for the real app (one ``INCRBY`` per stream and
batch, as the real batch updates each head row once).
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel
from redis.asyncio import Redis

from app.auth.access import Actor
from app.database import utcnow
from app.live.commands import CommandDispatcher
from app.main import create_app as create_breakouts
from app.realtime.eventlog import CommittedEvent, room_stream, staff_stream, stream_positions
from app.realtime.hub import Hub
from app.realtime.protocol import Ack, AnswerSubmit, ClientCommand, ErrorFrame
from app.rooms.models import Room
from app.settings import Settings


@dataclass(slots=True)
class _Answer:
    """One ``answer.submit`` waiting for its batch: its two events, numbered when the batch is."""

    room_stream: str
    progress_stream: str
    room_event: tuple[str, dict[str, Any], dict[str, Any]]
    progress_event: tuple[str, dict[str, Any]]
    done: asyncio.Future[None]


class FanOutOnly:
    """Stands in for ``CommandDispatcher``: ``answer.submit`` skips the database.

    Answers are batched as the write pipeline batches them: those that arrive in one loop tick
    (and while the previous batch is being numbered) are numbered together and published in one
    ``bus.publish``, as the pipeline publishes a committed batch; each is acknowledged after. With
    Redis, numbering a batch is one pipeline of ``INCRBY`` (one per stream it touches), the
    stand-in for the event log's head row that the real batch updates once per stream."""

    def __init__(self, real: CommandDispatcher, hub: Hub, redis: Redis | None = None) -> None:
        self.real = real
        self.hub = hub
        self.redis = redis
        self.meetings: dict[uuid.UUID, asyncio.Future[uuid.UUID | None]] = {}
        self.counts: dict[uuid.UUID, int] = {}
        self._counters: dict[str, asyncio.Future[None]] = {}
        self._queued: list[_Answer] = []
        self._numbering: asyncio.Task[None] | None = None

    async def _meeting_of(self, room_id: uuid.UUID) -> uuid.UUID | None:
        """The room's meeting, read once per room however many answers ask at once."""
        known = self.meetings.get(room_id)
        if known is None:
            known = self.meetings[room_id] = asyncio.get_running_loop().create_future()
            try:
                async with self.real.database.reading() as session:
                    room = await session.get(Room, room_id)
            except BaseException as error:
                del self.meetings[room_id]
                known.set_exception(error)
                raise
            known.set_result(None if room is None else room.meeting_id)
        return await asyncio.shield(known)

    async def _start_counters(self, streams: list[str]) -> None:
        """Every process starts a Redis counter at the log's head (the first one sets it), once."""
        assert self.redis is not None
        fresh = [stream for stream in streams if stream not in self._counters]
        if fresh:
            started = asyncio.get_running_loop().create_future()
            for stream in fresh:
                self._counters[stream] = started
            try:
                async with self.real.database.reading() as session:
                    heads = await stream_positions(session, fresh)
                pipeline = self.redis.pipeline(transaction=False)
                for stream in fresh:
                    pipeline.set(f"bench:seq:{stream}", heads[stream].head, nx=True)
                await pipeline.execute()
            except BaseException as error:
                for stream in fresh:
                    del self._counters[stream]
                started.set_exception(error)
                raise
            started.set_result(None)
        await asyncio.gather(*(asyncio.shield(self._counters[stream]) for stream in streams))

    async def _number(self, streams: list[str], counts: list[int]) -> list[int]:
        """The last seq of each stream's share of the batch."""
        if self.redis is None:
            return [self._head(stream) + count for stream, count in zip(streams, counts, strict=True)]
        await self._start_counters(streams)
        pipeline = self.redis.pipeline(transaction=False)
        for stream, count in zip(streams, counts, strict=True):
            pipeline.incrby(f"bench:seq:{stream}", count)
        return [int(last) for last in await pipeline.execute()]

    def _head(self, stream: str) -> int:
        channel = self.hub._channels.get(stream)  # the hub accepts exactly delivered + 1
        return 0 if channel is None else channel.delivered

    async def _number_queued(self) -> None:
        try:
            await asyncio.sleep(0)  # the answers of this loop tick join the first batch
            while self._queued:
                batch, self._queued = self._queued, []
                try:
                    await self._publish(batch)
                except Exception as error:
                    for answer in batch:
                        answer.done.set_exception(error)
                else:
                    for answer in batch:
                        answer.done.set_result(None)
        finally:
            self._numbering = None

    async def _publish(self, batch: list[_Answer]) -> None:
        counts: dict[str, int] = {}
        for answer in batch:
            counts[answer.room_stream] = counts.get(answer.room_stream, 0) + 1
            counts[answer.progress_stream] = counts.get(answer.progress_stream, 0) + 1
        streams = list(counts)
        lasts = await self._number(streams, [counts[stream] for stream in streams])
        following = {stream: last - counts[stream] + 1 for stream, last in zip(streams, lasts, strict=True)}
        now = utcnow()
        events = []
        for answer in batch:
            room_seq, following[answer.room_stream] = following[answer.room_stream], following[answer.room_stream] + 1
            seq, following[answer.progress_stream] = (
                following[answer.progress_stream],
                following[answer.progress_stream] + 1,
            )
            event_type, payload, staff_payload = answer.room_event
            events.append(CommittedEvent(answer.room_stream, room_seq, event_type, payload, staff_payload, now))
            progress_type, progress = answer.progress_event
            events.append(CommittedEvent(answer.progress_stream, seq, progress_type, progress, None, now))
        await self.real.bus.publish(events)

    async def run(self, actor: Actor, command: ClientCommand) -> Ack | ErrorFrame:
        if not isinstance(command, AnswerSubmit):
            return await self.real.run(actor, command)
        meeting_id = await self._meeting_of(command.room_id)
        if meeting_id is None:
            return ErrorFrame(code="not_found", message="room not found", ref=command.id)
        count = self.counts[command.room_id] = self.counts.get(command.room_id, 0) + 1
        now = utcnow()
        view: dict[str, Any] = {
            "id": str(uuid.uuid4()),
            "room_id": str(command.room_id),
            "question_id": str(command.question_id),
            "text": command.text,
            "choice_ids": None,
            "scale_value": None,
            "author": None,
            "author_id": None,
            "hidden": False,
            "pinned": False,
            "merged_into_id": None,
            "source_ids": [],
            "votes": 0,
            "created_at": now.isoformat(),
            "updated_at": now.isoformat(),
            "mine": False,
            "voted": False,
        }
        staff_view = {**view, "author": "Person", "author_id": str(actor.participant_id)}
        data = {"room_id": view["room_id"], "question_id": view["question_id"], "answer_id": view["id"]}
        progress = {"room_id": view["room_id"], "question_id": view["question_id"], "answered": count, "assigned": 50}
        answer = _Answer(
            room_stream(command.room_id),
            staff_stream(meeting_id),
            (
                "answer.submitted",
                {**data, "answer": view, "count": count},
                {**data, "answer": staff_view, "count": count},
            ),
            ("room.progress", {"progress": progress}),
            asyncio.get_running_loop().create_future(),
        )
        self._queued.append(answer)
        if self._numbering is None:
            self._numbering = asyncio.create_task(self._number_queued())
        await answer.done
        return Ack(ref=command.id, result={**view, "mine": True})


def create_app() -> FastAPI:
    app = create_breakouts(Settings())
    breakouts_lifespan = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with breakouts_lifespan(app):
            live = app.state.breakouts.live
            live.commands = FanOutOnly(live.commands, live.hub, app.state.breakouts.redis)
            yield

    app.router.lifespan_context = lifespan
    return app


__all__ = ["BaseModel", "create_app"]
