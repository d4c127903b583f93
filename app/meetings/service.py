"""Meetings: preparation (details, agenda) and driving them (phase, current agenda item)."""

from __future__ import annotations

import secrets
import uuid
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.access import Actor, meeting_access
from app.database import utcnow
from app.errors import Conflict, Forbidden, InvalidInput, NotAuthenticated, NotFound
from app.meetings import repository
from app.meetings.models import AgendaItem, Meeting
from app.meetings.phases import check_transition
from app.meetings.schemas import (
    AgendaItemCreate,
    AgendaItemRead,
    AgendaItemUpdate,
    CurrentItemChange,
    MeetingCreate,
    MeetingRead,
    MeetingUpdate,
    PhaseChange,
)
from app.realtime.eventlog import meeting_stream
from app.realtime.outbox import UnitOfWork
from app.realtime.protocol import BreakoutsClosing, MeetingChanged, PhaseChanged
from app.vocabulary import Anonymity, AssignmentMode, Phase

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


async def change_phase(
    uow: UnitOfWork, actor: Actor | None, meeting_id: uuid.UUID, request: PhaseChange
) -> MeetingRead:
    access = await meeting_access(uow.session, actor, meeting_id)
    access.require_organiser()
    meeting = access.meeting
    current = Phase(meeting.phase)
    check_transition(current, request.phase)
    if current is Phase.BREAKOUTS and request.countdown_s > 0:
        # The rooms stay open while everyone sees the countdown; the sweep below closes them.
        meeting.breakouts_close_at = utcnow() + timedelta(seconds=request.countdown_s)
        meeting.breakouts_next_phase = request.phase
        read = await _read(uow.session, meeting)
        await uow.emit(
            meeting_stream(meeting.id),
            meeting.id,
            "meeting.breakouts_closing",
            BreakoutsClosing(close_at=meeting.breakouts_close_at, next_phase=request.phase),
        )
        return read
    return await _enter_phase(uow, meeting, request.phase)


async def _enter_phase(uow: UnitOfWork, meeting: Meeting, phase: Phase) -> MeetingRead:
    previous = Phase(meeting.phase)
    meeting.phase = phase
    meeting.breakouts_close_at = None
    meeting.breakouts_next_phase = None
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
    """Close the rooms of every meeting whose countdown has run out; returns how many.

    Safe to run in every process at once: each due meeting is locked (PostgreSQL skips rows
    another process holds; SQLite writers queue) and checked again before it moves on.
    """
    closed = 0
    for meeting in await repository.breakouts_due(uow.session, utcnow()):
        if meeting.phase == Phase.BREAKOUTS and meeting.breakouts_next_phase:
            await _enter_phase(uow, meeting, Phase(meeting.breakouts_next_phase))
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
