"""Host channels: synced timers (server deadlines that clients count down to), broadcasts from the
organiser to every room, and a room's call for help.

Who may do what:
- the meeting-wide timer and broadcasts: the organisers; a room's timer: its moderators too;
- a help request: anyone taking part in the room (its moderators and its participants, so that a
  room whose moderator dropped out can still call for help), never observers; only organisers
  resolve them; organisers see every request, moderators those of their rooms. Help travels on
  the staff stream only: a room's participants never see another room's trouble.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.access import Actor, MeetingAccess, meeting_access, room_access
from app.database import utcnow
from app.errors import Conflict, Forbidden, InvalidInput, NotAuthenticated, NotFound
from app.facilitation import repository
from app.facilitation.models import Broadcast, HelpRequest, Timer
from app.facilitation.schemas import (
    TIMER_MAX_S,
    BroadcastCreate,
    BroadcastRead,
    HelpCreate,
    HelpRead,
    TimerCreate,
    TimerExtension,
    TimerRead,
)
from app.participants.models import Participant
from app.realtime.eventlog import meeting_stream, room_stream, staff_stream
from app.realtime.outbox import UnitOfWork
from app.realtime.protocol import BroadcastSent, HelpChanged, TimerChanged
from app.rooms.models import Room

# --- timers -----------------------------------------------------------------------------------


def _require_timer_control(access: MeetingAccess, room_id: uuid.UUID | None) -> None:
    if room_id is None:
        access.require_organiser()
    else:
        access.require_room_moderation(room_id)


async def _emit_timer(uow: UnitOfWork, timer: Timer, event_type: str) -> TimerRead:
    """A room's timer goes to that room; the meeting-wide one to everyone."""
    read = TimerRead.model_validate(timer)
    stream = room_stream(timer.room_id) if timer.room_id is not None else meeting_stream(timer.meeting_id)
    await uow.emit(stream, timer.meeting_id, event_type, TimerChanged(timer=read))
    return read


async def start_timer(uow: UnitOfWork, actor: Actor | None, meeting_id: uuid.UUID, request: TimerCreate) -> TimerRead:
    access = await meeting_access(uow.session, actor, meeting_id)
    if request.room_id is not None:
        if not access.is_staff:
            raise Forbidden("only the room's moderators and the organisers run its timer")
        room = await uow.session.get(Room, request.room_id)
        if room is None or room.meeting_id != meeting_id:
            raise InvalidInput("room_id: no such room in this meeting")
    _require_timer_control(access, request.room_id)
    timer = Timer(
        meeting_id=meeting_id,
        room_id=request.room_id,
        label=request.label,
        ends_at=utcnow() + timedelta(seconds=request.seconds),
    )
    uow.session.add(timer)
    await uow.session.flush()
    return await _emit_timer(uow, timer, "timer.started")


async def _running_timer(uow: UnitOfWork, actor: Actor | None, timer_id: uuid.UUID) -> Timer:
    if actor is None:
        raise NotAuthenticated("sign in or open your invite link first")
    timer = await repository.timer_for_update(uow.session, timer_id)
    if timer is None:
        raise NotFound("timer not found")
    try:
        access = await meeting_access(uow.session, actor, timer.meeting_id)
    except NotFound:
        raise NotFound("timer not found") from None
    _require_timer_control(access, timer.room_id)
    if timer.stopped_at is not None:
        raise Conflict("this timer was stopped; start a new one", code="timer_stopped")
    return timer


async def extend_timer(uow: UnitOfWork, actor: Actor | None, timer_id: uuid.UUID, request: TimerExtension) -> TimerRead:
    """Adds to the deadline, or to now when the timer has already run out."""
    timer = await _running_timer(uow, actor, timer_id)
    now = utcnow()
    ends_at = max(timer.ends_at, now) + timedelta(seconds=request.seconds)
    if ends_at - now > timedelta(seconds=TIMER_MAX_S):
        raise InvalidInput(f"seconds: a timer may end at most {TIMER_MAX_S} seconds from now")
    timer.ends_at = ends_at
    return await _emit_timer(uow, timer, "timer.extended")


async def stop_timer(uow: UnitOfWork, actor: Actor | None, timer_id: uuid.UUID) -> TimerRead:
    timer = await _running_timer(uow, actor, timer_id)
    timer.stopped_at = utcnow()
    return await _emit_timer(uow, timer, "timer.stopped")


async def stop_timers_of_phase(uow: UnitOfWork, meeting_id: uuid.UUID, *, meeting_wide: bool) -> int:
    """Stop the rooms' running timers (the rooms closed) and, with ``meeting_wide``, the meeting's
    too (the meeting closed), each with its ``timer.stopped`` event; returns how many."""
    now = utcnow()
    stopped = 0
    for timer in await repository.running_timers(uow.session, meeting_id, now):
        if timer.room_id is None and not meeting_wide:
            continue
        timer.stopped_at = now
        await _emit_timer(uow, timer, "timer.stopped")
        stopped += 1
    return stopped


async def list_timers(session: AsyncSession, actor: Actor | None, meeting_id: uuid.UUID) -> list[TimerRead]:
    """The timers still running that the caller may see: the meeting's and those of their rooms."""
    access = await meeting_access(session, actor, meeting_id)
    timers = await repository.running_timers(session, meeting_id, utcnow())
    return [
        TimerRead.model_validate(timer)
        for timer in timers
        if timer.room_id is None or access.can_read_room(timer.room_id)
    ]


# --- broadcasts -------------------------------------------------------------------------------


async def send_broadcast(
    uow: UnitOfWork, actor: Actor | None, meeting_id: uuid.UUID, request: BroadcastCreate
) -> BroadcastRead:
    access = await meeting_access(uow.session, actor, meeting_id)
    access.require_organiser()
    broadcast = Broadcast(meeting_id=meeting_id, message=request.message)
    uow.session.add(broadcast)
    await uow.session.flush()
    read = BroadcastRead.model_validate(broadcast)
    await uow.emit(meeting_stream(meeting_id), meeting_id, "broadcast.sent", BroadcastSent(broadcast=read))
    return read


async def list_broadcasts(session: AsyncSession, actor: Actor | None, meeting_id: uuid.UUID) -> list[BroadcastRead]:
    await meeting_access(session, actor, meeting_id)
    return [
        BroadcastRead.model_validate(broadcast) for broadcast in await repository.broadcasts_of(session, meeting_id)
    ]


# --- help -------------------------------------------------------------------------------------


def _help_read(request: HelpRequest, requester: Participant | None) -> HelpRead:
    name = None
    if requester is not None:
        name = requester.pseudonym if requester.erased_at is not None else requester.display_name
    return HelpRead(
        id=request.id,
        room_id=request.room_id,
        message=request.message,
        requested_by=name,
        created_at=request.created_at,
        resolved_at=request.resolved_at,
    )


async def request_help(uow: UnitOfWork, actor: Actor | None, room_id: uuid.UUID, request: HelpCreate) -> HelpRead:
    access, room = await room_access(uow.session, actor, room_id)
    requester = access.require_room_member(room.id)
    pending = await repository.open_help_of_room(uow.session, room.id)
    if pending is not None:
        # One open call per room: twenty participants pressing the button make one request.
        raise Conflict(
            "this room has already called for help; the organisers are on their way",
            code="help_already_requested",
            details={"help_id": str(pending.id)},
        )
    help_request = HelpRequest(
        meeting_id=room.meeting_id, room_id=room.id, requested_by=requester.id, message=request.message
    )
    uow.session.add(help_request)
    await uow.session.flush()
    read = _help_read(help_request, requester)
    await uow.emit(staff_stream(room.meeting_id), room.meeting_id, "help.requested", HelpChanged(help=read))
    return read


async def resolve_help(uow: UnitOfWork, actor: Actor | None, help_id: uuid.UUID) -> HelpRead:
    if actor is None:
        raise NotAuthenticated("sign in or open your invite link first")
    help_request = await repository.help_for_update(uow.session, help_id)
    if help_request is None:
        raise NotFound("help request not found")
    try:
        access = await meeting_access(uow.session, actor, help_request.meeting_id)
    except NotFound:
        raise NotFound("help request not found") from None
    access.require_organiser()
    if help_request.resolved_at is not None:
        raise Conflict("this help request is already resolved", code="help_resolved")
    help_request.resolved_at = utcnow()
    requester = await uow.session.get(Participant, help_request.requested_by) if help_request.requested_by else None
    read = _help_read(help_request, requester)
    meeting_id = help_request.meeting_id
    await uow.emit(staff_stream(meeting_id), meeting_id, "help.resolved", HelpChanged(help=read))
    return read


async def list_help(
    session: AsyncSession, actor: Actor | None, meeting_id: uuid.UUID, *, open: bool | None
) -> list[HelpRead]:
    access = await meeting_access(session, actor, meeting_id)
    if not access.is_staff:
        raise Forbidden("only organisers and moderators see help requests")
    room_ids = None if access.is_organiser else access.moderated_room_ids
    rows = await repository.help_requests(session, meeting_id, room_ids=room_ids, open=open)
    return [_help_read(request, requester) for request, requester in rows]
