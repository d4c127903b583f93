"""Breakouts with the answer path cut out, for S1 and S3 ("fan-out only"): the real app, socket,
protocol validation, hub, per-audience encoding, send queues and writers, but ``answer.submit``
is not validated against the room, stored or committed. Its two events (``answer.submitted`` on
the room's stream, ``room.progress`` on the staff stream) are numbered in memory and published on
the bus exactly as the outbox publishes committed events; the ack carries the answer as REST
would return it. Every other command takes the real path.

    BREAKOUTS_…=… python -m uvicorn --factory bench.ours_fanout:create_app …

A stream numbered here runs ahead of the event log, so resuming such a stream is not meaningful
(S5 and S2 use the real app). With Redis set (S11, several processes), the numbers come from one
counter per stream in Redis, starting at the log's head, so the processes number one sequence
between them as the event log's head row does for the real app.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
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


class FanOutOnly:
    """Stands in for ``CommandDispatcher``: ``answer.submit`` skips the database."""

    def __init__(self, real: CommandDispatcher, hub: Hub, redis: Redis | None = None) -> None:
        self.real = real
        self.hub = hub
        self.redis = redis
        self.meetings: dict[uuid.UUID, uuid.UUID] = {}
        self.counts: dict[uuid.UUID, int] = {}
        self._counters_started: set[str] = set()

    def _next_seq(self, stream: str) -> int:
        channel = self.hub._channels.get(stream)  # the hub accepts exactly delivered + 1
        return 1 if channel is None else channel.delivered + 1

    async def _next_seqs(self, streams: list[str]) -> list[int]:
        if self.redis is None:
            return [self._next_seq(stream) for stream in streams]
        fresh = [stream for stream in streams if stream not in self._counters_started]
        if fresh:  # every process starts a counter at the log's head; the first one sets it
            async with self.real.database.reading() as session:
                heads = await stream_positions(session, fresh)
            for stream in fresh:
                await self.redis.set(f"bench:seq:{stream}", heads[stream].head, nx=True)
                self._counters_started.add(stream)
        pipeline = self.redis.pipeline(transaction=False)
        for stream in streams:
            pipeline.incr(f"bench:seq:{stream}")
        return [int(seq) for seq in await pipeline.execute()]

    async def run(self, actor: Actor, command: ClientCommand) -> Ack | ErrorFrame:
        if not isinstance(command, AnswerSubmit):
            return await self.real.run(actor, command)
        meeting_id = self.meetings.get(command.room_id)
        if meeting_id is None:
            async with self.real.database.reading() as session:
                room = await session.get(Room, command.room_id)
            if room is None:
                return ErrorFrame(code="not_found", message="room not found", ref=command.id)
            meeting_id = self.meetings[command.room_id] = room.meeting_id
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
        room_events = room_stream(command.room_id)
        progress_stream = staff_stream(meeting_id)
        progress = {"room_id": view["room_id"], "question_id": view["question_id"], "answered": count, "assigned": 50}
        room_seq, progress_seq = await self._next_seqs([room_events, progress_stream])
        events = [
            CommittedEvent(
                room_events,
                room_seq,
                "answer.submitted",
                {**data, "answer": view, "count": count},
                {**data, "answer": staff_view, "count": count},
                now,
            ),
            CommittedEvent(progress_stream, progress_seq, "room.progress", {"progress": progress}, None, now),
        ]
        await self.real.bus.publish(events)
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
