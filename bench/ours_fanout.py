"""Breakouts with the answer path cut out, for S1 and S3 ("fan-out only"): the real app, socket,
protocol validation, hub, per-audience encoding, send queues and writers, but ``answer.submit``
is not validated against the room, stored or committed. Its two events (``answer.submitted`` on
the room's stream, ``room.progress`` on the staff stream) are numbered in memory and published on
the bus exactly as the outbox publishes committed events; the ack carries the answer as REST
would return it. Every other command takes the real path.

    BREAKOUTS_…=… python -m uvicorn --factory bench.ours_fanout:create_app …

A stream numbered here runs ahead of the event log, so resuming such a stream is not meaningful
(S5 and S2 use the real app).
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel

from app.auth.access import Actor
from app.database import utcnow
from app.live.commands import CommandDispatcher
from app.main import create_app as create_breakouts
from app.realtime.eventlog import CommittedEvent, room_stream, staff_stream
from app.realtime.hub import Hub
from app.realtime.protocol import Ack, AnswerSubmit, ClientCommand, ErrorFrame
from app.rooms.models import Room
from app.settings import Settings


class FanOutOnly:
    """Stands in for ``CommandDispatcher``: ``answer.submit`` skips the database."""

    def __init__(self, real: CommandDispatcher, hub: Hub) -> None:
        self.real = real
        self.hub = hub
        self.meetings: dict[uuid.UUID, uuid.UUID] = {}
        self.counts: dict[uuid.UUID, int] = {}

    def _next_seq(self, stream: str) -> int:
        channel = self.hub._channels.get(stream)  # the hub accepts exactly delivered + 1
        return 1 if channel is None else channel.delivered + 1

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
        events = [
            CommittedEvent(
                room_events,
                self._next_seq(room_events),
                "answer.submitted",
                {**data, "answer": view, "count": count},
                {**data, "answer": staff_view, "count": count},
                now,
            ),
            CommittedEvent(
                progress_stream, self._next_seq(progress_stream), "room.progress", {"progress": progress}, None, now
            ),
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
            live.commands = FanOutOnly(live.commands, live.hub)
            yield

    app.router.lifespan_context = lifespan
    return app


__all__ = ["BaseModel", "create_app"]
