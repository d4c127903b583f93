"""A room finished early: its moderator (or an organiser) says the room is done before the rooms
close for everyone.

What it means in the phase model: the meeting stays in ``breakouts`` (other rooms go on); the
finished room's live question closes, nothing more is pushed there, and its people see that they
are done and wait for the plenary. Their answers, findings and hands stay as they are (a
moderator can still confirm findings; that is the work of the last minutes). The moderator may
open the room again while the rooms are open; a new round of breakouts opens every room again.
"""

from __future__ import annotations

import uuid

from app.auth.access import Actor, room_access
from app.database import utcnow
from app.errors import Conflict
from app.questions import repository as questions_repository
from app.questions.allocations import close_allocation
from app.questions.models import Question
from app.realtime.outbox import UnitOfWork
from app.rooms import repository
from app.rooms.models import Room
from app.rooms.schemas import RoomFinishing, RoomRead
from app.rooms.service import emit_room, room_read
from app.vocabulary import Phase


async def finish_room(uow: UnitOfWork, actor: Actor | None, room_id: uuid.UUID, request: RoomFinishing) -> RoomRead:
    """Finish the room early, or open it again (its moderators and the organisers; during
    ``breakouts`` only, 409 ``wrong_phase`` otherwise). Asking for what is already so changes
    nothing and emits nothing."""
    access, room = await room_access(uow.session, actor, room_id)
    access.require_room_moderation(room_id)
    # Locked as a push locks it (PostgreSQL): a push racing this one is seen whole or not at all.
    room = await uow.session.get_one(Room, room_id, with_for_update=True, populate_existing=True)
    if access.meeting.phase != Phase.BREAKOUTS:
        raise Conflict(
            f"a room is finished early only while the rooms are open; the meeting is in {access.meeting.phase}",
            code="wrong_phase",
            details={"phase": access.meeting.phase, "allowed": [Phase.BREAKOUTS.value]},
        )
    if (room.finished_at is not None) == request.finished:
        return await room_read(uow.session, room)
    if request.finished:
        live = await questions_repository.live_allocation(uow.session, room_id)
        question = await uow.session.get(Question, live.question_id) if live is not None else None
        if live is not None and question is not None:
            await close_allocation(uow, room.meeting_id, live, question)
        room.finished_at = utcnow()
    else:
        room.finished_at = None
    await uow.session.flush()
    return await emit_room(uow, room)


async def reopen_finished_rooms(uow: UnitOfWork, meeting_id: uuid.UUID) -> None:
    """A new round of breakouts: every room the last round finished early opens again."""
    rooms: list[Room] = await repository.rooms_of(uow.session, meeting_id)
    for room in rooms:
        if room.finished_at is not None:
            room.finished_at = None
            await emit_room(uow, room)
