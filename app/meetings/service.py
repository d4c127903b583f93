"""Meetings: preparation (details, agenda) and driving them (phase, current agenda item)."""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.access import Actor, meeting_access
from app.database import utcnow
from app.errors import Conflict, Forbidden, InvalidInput, NotAuthenticated, NotFound
from app.facilitation.service import stop_timers_of_phase
from app.hands.service import lower_hands
from app.meetings import repository
from app.meetings.models import AgendaItem, Meeting
from app.meetings.phases import check_transition
from app.meetings.schemas import (
    MAX_BREAKOUTS_COUNTDOWN_S,
    MAX_BREAKOUTS_DURATION_S,
    AgendaItemCreate,
    AgendaItemRead,
    AgendaItemUpdate,
    CountdownExtension,
    CurrentItemChange,
    MeetingCreate,
    MeetingRead,
    MeetingUpdate,
    PhaseChange,
)
from app.questions.allocations import close_live_questions
from app.realtime.eventlog import meeting_stream
from app.realtime.outbox import UnitOfWork
from app.realtime.protocol import BreakoutsClosing, MeetingChanged, PhaseChanged
from app.rooms.finishing import reopen_finished_rooms
from app.vocabulary import AgendaKind, Anonymity, AssignmentMode, Phase

# No 0/O, 1/I/L: the code is read aloud and typed on phones.
JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 6


async def new_join_code(session: AsyncSession) -> str:
    while True:
        code = "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))
        if not await repository.join_code_taken(session, code):
            return code


def meeting_read(meeting: Meeting, agenda: list[AgendaItem]) -> MeetingRead:
    return MeetingRead(
        id=meeting.id,
        title=meeting.title,
        description=meeting.description,
        languages=list(meeting.languages),
        default_anonymity=Anonymity(meeting.default_anonymity),
        phase=Phase(meeting.phase),
        assignment_mode=AssignmentMode(meeting.assignment_mode),
        join_code=meeting.join_code,
        current_item_id=meeting.current_item_id,
        breakouts_close_at=meeting.breakouts_close_at,
        breakouts_end_at=meeting.breakouts_end_at,
        breakouts_countdown_s=meeting.breakouts_countdown_s,
        phase_changed_at=meeting.phase_changed_at,
        agenda=[AgendaItemRead.model_validate(item) for item in agenda],
        created_at=meeting.created_at,
    )


async def _read(session: AsyncSession, meeting: Meeting) -> MeetingRead:
    return meeting_read(meeting, await repository.agenda_of(session, meeting.id))


async def _emit_meeting(uow: UnitOfWork, meeting: Meeting, type: str) -> MeetingRead:
    """Tell everyone in the meeting what changed; the payload is the meeting as now read."""
    read = await _read(uow.session, meeting)
    await uow.emit(meeting_stream(meeting.id), meeting.id, type, MeetingChanged(meeting=read))
    return read


async def create_meeting(uow: UnitOfWork, actor: Actor | None, request: MeetingCreate) -> MeetingRead:
    if actor is None:
        raise NotAuthenticated("sign in first")
    if actor.account_id is None:
        raise Forbidden("only organisers with an account create meetings")
    meeting = Meeting(
        owner_id=actor.account_id,
        title=request.title,
        description=request.description,
        languages=request.languages,
        default_anonymity=request.default_anonymity,
        join_code=await new_join_code(uow.session),
    )
    uow.session.add(meeting)
    await uow.session.flush()
    return await _emit_meeting(uow, meeting, "meeting.created")


async def list_meetings(session: AsyncSession, actor: Actor | None) -> list[MeetingRead]:
    if actor is None:
        raise NotAuthenticated("sign in first")
    if actor.account_id is None:
        raise Forbidden("only organisers with an account list their meetings")
    return [await _read(session, meeting) for meeting in await repository.meetings_owned_by(session, actor.account_id)]


async def get_meeting(session: AsyncSession, actor: Actor | None, meeting_id: uuid.UUID) -> MeetingRead:
    access = await meeting_access(session, actor, meeting_id)
    return await _read(session, access.meeting)


async def update_meeting(
    uow: UnitOfWork, actor: Actor | None, meeting_id: uuid.UUID, request: MeetingUpdate
) -> MeetingRead:
    access = await meeting_access(uow.session, actor, meeting_id)
    access.require_organiser()
    meeting = access.meeting
    for name, value in request.model_dump(exclude_unset=True, exclude_none=True).items():
        setattr(meeting, name, value)
    return await _emit_meeting(uow, meeting, "meeting.updated")


async def _locked(uow: UnitOfWork, actor: Actor | None, meeting_id: uuid.UUID) -> Meeting:
    """The organiser's meeting, its row locked on PostgreSQL for this transaction: a phase change,
    a countdown's cancel or extension and the server's sweep of due countdowns never interleave
    (SQLite has one writer at a time)."""
    access = await meeting_access(uow.session, actor, meeting_id)
    access.require_organiser()
    await uow.session.refresh(access.meeting, with_for_update=True)
    return access.meeting


async def change_phase(
    uow: UnitOfWork, actor: Actor | None, meeting_id: uuid.UUID, request: PhaseChange
) -> MeetingRead:
    meeting = await _locked(uow, actor, meeting_id)
    current = Phase(meeting.phase)
    check_transition(current, request.phase)
    if request.duration_s is not None and request.phase is not Phase.BREAKOUTS:
        raise InvalidInput("duration_s: a planned duration is given only when opening the breakouts")
    if current is Phase.BREAKOUTS and request.countdown_s > 0:
        # The rooms stay open while everyone sees the countdown; the sweep below closes them.
        return await _start_countdown(uow, meeting, request.phase, request.countdown_s)
    if request.phase is Phase.BREAKOUTS:
        meeting.breakouts_countdown_s = request.countdown_s
        end_at = None if request.duration_s is None else utcnow() + timedelta(seconds=request.duration_s)
        return await _enter_phase(uow, meeting, Phase.BREAKOUTS, request.item_id, end_at=end_at)
    return await _enter_phase(uow, meeting, request.phase, request.item_id)


async def _start_countdown(uow: UnitOfWork, meeting: Meeting, next_phase: Phase, countdown_s: int) -> MeetingRead:
    meeting.breakouts_close_at = utcnow() + timedelta(seconds=countdown_s)
    meeting.breakouts_next_phase = next_phase
    meeting.breakouts_end_at = None  # the countdown replaces the plan
    read = await _read(uow.session, meeting)
    await uow.emit(
        meeting_stream(meeting.id),
        meeting.id,
        "meeting.breakouts_closing",
        BreakoutsClosing(close_at=meeting.breakouts_close_at, next_phase=next_phase),
    )
    return read


async def cancel_countdown(uow: UnitOfWork, actor: Actor | None, meeting_id: uuid.UUID) -> MeetingRead:
    """Stop the automatic close of the rooms: the running countdown, or the planned end that
    would start one. The rooms stay open until the organiser closes them."""
    meeting = await _locked(uow, actor, meeting_id)
    if meeting.breakouts_close_at is None and meeting.breakouts_end_at is None:
        raise _no_countdown(meeting)
    meeting.breakouts_close_at = None
    meeting.breakouts_next_phase = None
    meeting.breakouts_end_at = None
    return await _emit_meeting(uow, meeting, "meeting.breakouts_timing_changed")


async def extend_countdown(
    uow: UnitOfWork, actor: Actor | None, meeting_id: uuid.UUID, request: CountdownExtension
) -> MeetingRead:
    """Give the rooms more time: the running countdown ends later, or else the planned end moves."""
    meeting = await _locked(uow, actor, meeting_id)
    added = timedelta(seconds=request.seconds)
    if meeting.breakouts_close_at is not None:
        meeting.breakouts_close_at = max(meeting.breakouts_close_at, utcnow()) + added
        if meeting.breakouts_close_at > utcnow() + timedelta(seconds=MAX_BREAKOUTS_COUNTDOWN_S):
            raise InvalidInput(
                f"seconds: a countdown may end at most {MAX_BREAKOUTS_COUNTDOWN_S} seconds from now",
                details={"max_s": MAX_BREAKOUTS_COUNTDOWN_S},
            )
    elif meeting.breakouts_end_at is not None:
        meeting.breakouts_end_at = max(meeting.breakouts_end_at, utcnow()) + added
        if meeting.breakouts_end_at > utcnow() + timedelta(seconds=MAX_BREAKOUTS_DURATION_S):
            raise InvalidInput(
                f"seconds: the rooms may be planned to close at most {MAX_BREAKOUTS_DURATION_S} seconds from now",
                details={"max_s": MAX_BREAKOUTS_DURATION_S},
            )
    else:
        raise _no_countdown(meeting)
    return await _emit_meeting(uow, meeting, "meeting.breakouts_timing_changed")


def _no_countdown(meeting: Meeting) -> Conflict:
    return Conflict(
        "the rooms are not closing by themselves: there is no countdown and no planned end",
        code="no_countdown",
        details={"phase": meeting.phase},
    )


# The agenda item that belongs to each phase, by kind; the other phases keep the current item.
PHASE_AGENDA_KIND: dict[Phase, AgendaKind] = {
    Phase.PLENARY: AgendaKind.TALK,
    Phase.BREAKOUTS: AgendaKind.BREAKOUTS,
    Phase.REPORT_BACK: AgendaKind.REPORT_BACK,
}


async def _follow_agenda(session: AsyncSession, meeting: Meeting, phase: Phase, item_id: uuid.UUID | None) -> None:
    """The current agenda item follows the phase: the organiser's explicit choice, else the current
    item when it already is of the phase's kind, else the next item of that kind (the last one
    before when none follows), else it stays."""
    agenda = await repository.agenda_of(session, meeting.id)
    if item_id is not None:
        if not any(item.id == item_id for item in agenda):
            raise InvalidInput("item_id: no such agenda item in this meeting")
        meeting.current_item_id = item_id
        return
    kind = PHASE_AGENDA_KIND.get(phase)
    if kind is None:
        return
    current = next((item for item in agenda if item.id == meeting.current_item_id), None)
    if current is not None and current.kind == kind:
        return
    matching = [item for item in agenda if item.kind == kind]
    if not matching:
        return
    after = current.position if current is not None else -1
    following = [item for item in matching if item.position > after]
    meeting.current_item_id = (following[0] if following else matching[-1]).id


async def _enter_phase(
    uow: UnitOfWork,
    meeting: Meeting,
    phase: Phase,
    item_id: uuid.UUID | None = None,
    *,
    end_at: datetime | None = None,
) -> MeetingRead:
    """Move on, ending what belonged to the phase left, in the same transaction: when the rooms
    close (or the meeting does) their live questions close, their timers stop and the hands raised
    in them go down; when the meeting
    closes its own timers stop too. Broadcasts end with their phase (see ``live.snapshot``)."""
    previous = Phase(meeting.phase)
    await _follow_agenda(uow.session, meeting, phase, item_id)
    if previous is Phase.BREAKOUTS or phase is Phase.CLOSED:
        await close_live_questions(uow, meeting.id)
        await stop_timers_of_phase(uow, meeting.id, meeting_wide=phase is Phase.CLOSED)
        await lower_hands(uow, meeting_id=meeting.id)
    if phase is Phase.BREAKOUTS:
        await reopen_finished_rooms(uow, meeting.id)  # a new round: every room is open again
    meeting.phase = phase
    meeting.phase_changed_at = utcnow()
    meeting.breakouts_close_at = None
    meeting.breakouts_next_phase = None
    meeting.breakouts_end_at = end_at  # only a round of breakouts that is opening has a plan
    read = await _read(uow.session, meeting)
    await uow.emit(
        meeting_stream(meeting.id),
        meeting.id,
        "meeting.phase_changed",
        PhaseChanged(phase=phase, previous=previous, meeting=read),
    )
    return read


async def any_breakouts_due(session: AsyncSession) -> bool:
    return await repository.any_breakouts_due(session, utcnow())


async def close_due_breakouts(uow: UnitOfWork) -> int:
    """Close the rooms of every meeting whose countdown has run out, and start the countdown of
    every meeting whose breakouts reached their planned end; returns how many meetings closed.

    Safe to run in every process at once: each due meeting is locked (PostgreSQL skips rows
    another process holds; SQLite writers queue) and checked again before it moves on.
    """
    closed = 0
    now = utcnow()
    for meeting in await repository.breakouts_due(uow.session, now):
        if meeting.phase != Phase.BREAKOUTS:
            continue
        if meeting.breakouts_close_at is not None:
            if meeting.breakouts_close_at <= now and meeting.breakouts_next_phase:
                await _enter_phase(uow, meeting, Phase(meeting.breakouts_next_phase))
                closed += 1
        elif meeting.breakouts_end_at is not None and meeting.breakouts_end_at <= now:
            if meeting.breakouts_countdown_s > 0:
                await _start_countdown(uow, meeting, Phase.REPORT_BACK, meeting.breakouts_countdown_s)
            else:
                await _enter_phase(uow, meeting, Phase.REPORT_BACK)
                closed += 1
    return closed


async def set_current_item(
    uow: UnitOfWork, actor: Actor | None, meeting_id: uuid.UUID, request: CurrentItemChange
) -> MeetingRead:
    access = await meeting_access(uow.session, actor, meeting_id)
    access.require_organiser()
    meeting = access.meeting
    if request.item_id is not None:
        item = await uow.session.get(AgendaItem, request.item_id)
        if item is None or item.meeting_id != meeting.id:
            raise InvalidInput("item_id: no such agenda item in this meeting")
    meeting.current_item_id = request.item_id
    return await _emit_meeting(uow, meeting, "agenda.current_changed")


async def add_agenda_item(
    uow: UnitOfWork, actor: Actor | None, meeting_id: uuid.UUID, request: AgendaItemCreate
) -> AgendaItemRead:
    access = await meeting_access(uow.session, actor, meeting_id)
    access.require_organiser()
    agenda = await repository.agenda_of(uow.session, meeting_id)
    position = len(agenda) if request.position is None else min(request.position, len(agenda))
    for item in agenda[position:]:
        item.position += 1
    item = AgendaItem(
        meeting_id=meeting_id,
        title=request.title,
        kind=request.kind,
        speaker=request.speaker,
        planned_minutes=request.planned_minutes,
        position=position,
    )
    uow.session.add(item)
    await uow.session.flush()
    await _emit_meeting(uow, access.meeting, "agenda.changed")
    return AgendaItemRead.model_validate(item)


async def _agenda_item(uow: UnitOfWork, meeting_id: uuid.UUID, item_id: uuid.UUID) -> AgendaItem:
    item = await uow.session.get(AgendaItem, item_id)
    if item is None or item.meeting_id != meeting_id:
        raise NotFound("agenda item not found")
    return item


async def update_agenda_item(
    uow: UnitOfWork, actor: Actor | None, meeting_id: uuid.UUID, item_id: uuid.UUID, request: AgendaItemUpdate
) -> AgendaItemRead:
    access = await meeting_access(uow.session, actor, meeting_id)
    access.require_organiser()
    item = await _agenda_item(uow, meeting_id, item_id)
    changes = request.model_dump(exclude_unset=True, exclude_none=True)
    new_position = changes.pop("position", None)
    for name, value in changes.items():
        setattr(item, name, value)
    if new_position is not None:
        others = [other for other in await repository.agenda_of(uow.session, meeting_id) if other.id != item.id]
        others.insert(min(new_position, len(others)), item)
        for position, other in enumerate(others):
            other.position = position
    await _emit_meeting(uow, access.meeting, "agenda.changed")
    return AgendaItemRead.model_validate(item)


async def delete_agenda_item(uow: UnitOfWork, actor: Actor | None, meeting_id: uuid.UUID, item_id: uuid.UUID) -> None:
    access = await meeting_access(uow.session, actor, meeting_id)
    access.require_organiser()
    item = await _agenda_item(uow, meeting_id, item_id)
    if access.meeting.current_item_id == item.id:
        if access.meeting.phase not in (Phase.DRAFT, Phase.LOBBY):
            raise Conflict("this item is on now; move to another item before deleting it")
        access.meeting.current_item_id = None
    await uow.session.delete(item)
    await uow.session.flush()
    for position, other in enumerate(await repository.agenda_of(uow.session, meeting_id)):
        other.position = position
    await _emit_meeting(uow, access.meeting, "agenda.changed")
