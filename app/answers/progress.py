"""A room's live progress for staff ("14/20 answered"): who answered the live question."""

from __future__ import annotations

import uuid

from app.answers import repository
from app.questions import repository as questions_repository
from app.realtime.eventlog import staff_stream
from app.realtime.outbox import UnitOfWork
from app.realtime.protocol import ProgressChanged, RoomProgress


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
    await uow.emit(staff_stream(meeting_id), meeting_id, "room.progress", ProgressChanged(progress=progress))
    return progress
