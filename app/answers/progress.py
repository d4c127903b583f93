"""A room's live progress for staff ("14/20 answered"): who answered the live question.

Progress is a level, not a delta: each ``room.progress`` carries the room's whole count, so a
batch of answers committed together may report it once, with the counts after the last of them.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from app.answers import repository
from app.answers.repository import RoomQuestion
from app.questions import repository as questions_repository
from app.realtime.eventlog import staff_stream
from app.realtime.outbox import UnitOfWork
from app.realtime.protocol import ProgressChanged, RoomProgress


@dataclass(frozen=True, slots=True)
class LiveRoom:
    meeting_id: uuid.UUID
    question_id: uuid.UUID


async def emit_progress(uow: UnitOfWork, meeting_id: uuid.UUID, room_id: uuid.UUID) -> RoomProgress:
    """``answered`` counts distinct participants (role participant) who answered the room's live
    question, ``assigned`` the participants assigned to the room: moderators count in neither."""
    live = await questions_repository.live_allocation(uow.session, room_id)
    answered = 0 if live is None else await repository.answered_count(uow.session, room_id, live.question_id)
    progress = RoomProgress(
        room_id=room_id,
        question_id=live.question_id if live is not None else None,
        answered=answered,
        assigned=await repository.assigned_count(uow.session, room_id),
    )
    await publish_progress(uow, meeting_id, progress)
    return progress


async def emit_live_progress(
    uow: UnitOfWork,
    live: dict[uuid.UUID, LiveRoom],
    answered: dict[RoomQuestion, int] | None = None,
    assigned: dict[uuid.UUID, int] | None = None,
) -> None:
    """``emit_progress`` for rooms whose live question the caller knows (e.g. the one just
    answered there), in room order as given: two queries for all of them, fewer when the caller
    knows ``answered`` (``repository.answered_counts`` of those pairs) or ``assigned``
    (``repository.assigned_counts`` of those rooms) already."""
    pairs = [(room_id, room.question_id) for room_id, room in live.items()]
    if answered is None:
        answered = await repository.answered_counts(uow.session, pairs)
    if assigned is None:
        assigned = await repository.assigned_counts(uow.session, list(live))
    for room_id, question_id in pairs:
        progress = RoomProgress(
            room_id=room_id,
            question_id=question_id,
            answered=answered.get((room_id, question_id), 0),
            assigned=assigned.get(room_id, 0),
        )
        await publish_progress(uow, live[room_id].meeting_id, progress)


async def publish_progress(uow: UnitOfWork, meeting_id: uuid.UUID, progress: RoomProgress) -> None:
    await uow.emit(staff_stream(meeting_id), meeting_id, "room.progress", ProgressChanged(progress=progress))
