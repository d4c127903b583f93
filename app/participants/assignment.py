"""Room assignment: the meeting's mode, balanced random assignment, moves and self-selection."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections import Counter

from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.access import Actor, meeting_access, room_access
from app.errors import Conflict, Forbidden, InvalidInput, NotFound
from app.meetings import repository as meetings_repository
from app.meetings.models import Meeting
from app.meetings.service import meeting_read
from app.participants import repository
from app.participants.balancing import NotEnoughSeats, Person, Seats, balanced_rooms
from app.participants.models import Participant
from app.participants.roster import participant_access, participant_read
from app.participants.schemas import (
    AssignmentPreview,
    AssignmentPreviewRequest,
    AssignmentRead,
    AssignmentRequest,
    ParticipantMoveRequest,
    ParticipantRead,
    RoomProposal,
    RoomSeats,
)
from app.participants.seating import emit_seats, relocate, require_seat, room_of_meeting
from app.realtime.eventlog import meeting_stream
from app.realtime.outbox import UnitOfWork
from app.realtime.protocol import MeetingChanged
from app.rooms import repository as rooms_repository
from app.rooms.models import Room
from app.vocabulary import AssignmentMode, Phase, Role

# Reshuffling everyone while rooms are talking would tear groups apart mid-discussion.
NO_REASSIGNMENT_PHASES = (Phase.BREAKOUTS, Phase.CLOSED)
# People choose their room before the rooms open; after that only the organiser moves them.
SELF_SELECT_PHASES = (Phase.DRAFT, Phase.LOBBY, Phase.PLENARY, Phase.REPORT_BACK)
# A drawn preview seed comes back from a browser: JavaScript numbers hold integers exactly below 2**53.
JSON_SAFE_SEEDS = 2**53


async def assign_rooms(
    uow: UnitOfWork, actor: Actor | None, meeting_id: uuid.UUID, request: AssignmentRequest
) -> AssignmentRead:
    """Record how rooms are filled. ``balanced`` also places every participant (not moderators or
    observers) now; without a seed one is drawn and returned, so the result can be reproduced."""
    access = await meeting_access(uow.session, actor, meeting_id)
    access.require_organiser()
    meeting = access.meeting
    seed: int | None = None
    moved = 0
    if request.mode is AssignmentMode.BALANCED:
        _refuse_reshuffle(meeting)
        if request.proposal is not None and request.seed is None:
            raise InvalidInput("seed: send the seed of the preview the proposal came from")
        seed = request.seed if request.seed is not None else secrets.randbelow(2**63)
        moved = await _assign_balanced(uow, meeting, seed, request.proposal)
    elif request.seed is not None or request.proposal is not None:
        raise InvalidInput("seed: only balanced assignment uses a seed or a proposal")
    if meeting.assignment_mode != request.mode:
        meeting.assignment_mode = request.mode
        read = meeting_read(meeting, await meetings_repository.agenda_of(uow.session, meeting.id))
        await uow.emit(meeting_stream(meeting.id), meeting.id, "meeting.updated", MeetingChanged(meeting=read))
        if request.mode is AssignmentMode.SELF_SELECT:
            rooms = await rooms_repository.rooms_of(uow.session, meeting_id)
            await emit_seats(uow, meeting.id, [room.id for room in rooms])
    rooms = await rooms_repository.rooms_of(uow.session, meeting_id)
    seats = await rooms_repository.seats_taken_by_room(uow.session, meeting_id)
    return AssignmentRead(
        mode=request.mode,
        seed=seed,
        moved=moved,
        rooms=[RoomSeats(room_id=room.id, seats_taken=seats.get(room.id, 0), capacity=room.capacity) for room in rooms],
    )


def _proposal_key(people: list[Participant], rooms: list[Room], seed: int) -> str:
    """What a balanced plan depends on: the people placed (with what balancing reads of them, and
    their current room), the rooms in order with their capacities, and the seed."""
    digest = hashlib.sha256(f"seed:{seed}".encode())
    for room in rooms:
        digest.update(f"|room:{room.id}:{room.capacity}".encode())
    for person in sorted(people, key=lambda entry: entry.id):
        digest.update(
            f"|person:{person.id}:{person.gender or ''}:{person.organisation_type or ''}:{person.room_id}".encode()
        )
    return digest.hexdigest()


def _balanced_plan(people: list[Participant], rooms: list[Room], seed: int) -> dict[uuid.UUID, uuid.UUID]:
    if not rooms:
        raise Conflict("the meeting has no rooms yet; add them first", code="no_rooms")
    try:
        return balanced_rooms(
            [Person(person.id, person.gender or "", person.organisation_type or "") for person in people],
            [Seats(room.id, room.capacity) for room in rooms],
            seed,
        )
    except NotEnoughSeats as error:
        raise Conflict(f"{error}; raise the capacities or add a room", code="not_enough_seats") from None


async def preview_balanced(
    session: AsyncSession, actor: Actor | None, meeting_id: uuid.UUID, request: AssignmentPreviewRequest
) -> AssignmentPreview:
    """The rooms a balanced assignment would make, per room, without writing anything."""
    access = await meeting_access(session, actor, meeting_id)
    access.require_organiser()
    _refuse_reshuffle(access.meeting)
    seed = request.seed if request.seed is not None else secrets.randbelow(JSON_SAFE_SEEDS)
    rooms = await rooms_repository.rooms_of(session, meeting_id)
    people = await repository.assignable_participants(session, meeting_id, lock=False)
    plan = _balanced_plan(people, rooms, seed)
    placed: dict[uuid.UUID, list[Participant]] = {room.id: [] for room in rooms}
    for person in people:
        placed[plan[person.id]].append(person)
    return AssignmentPreview(
        seed=seed,
        proposal=_proposal_key(people, rooms, seed),
        moves=sum(1 for person in people if person.room_id != plan[person.id]),
        rooms=[
            RoomProposal(
                room_id=room.id,
                name=room.name,
                capacity=room.capacity,
                count=len(placed[room.id]),
                genders=dict(sorted(Counter(person.gender or "" for person in placed[room.id]).items())),
                organisation_types=dict(
                    sorted(Counter(person.organisation_type or "" for person in placed[room.id]).items())
                ),
            )
            for room in rooms
        ],
    )


def _refuse_reshuffle(meeting: Meeting) -> None:
    if meeting.phase in NO_REASSIGNMENT_PHASES:
        raise Conflict(
            f"rooms cannot be reshuffled while the meeting is in {meeting.phase}; move people one by one",
            code="assignment_not_now",
        )


async def _assign_balanced(uow: UnitOfWork, meeting: Meeting, seed: int, proposal: str | None) -> int:
    await rooms_repository.lock_rooms_of(uow.session, meeting.id)
    rooms = await rooms_repository.rooms_of(uow.session, meeting.id)
    people = await repository.assignable_participants(uow.session, meeting.id)
    if proposal is not None and proposal != _proposal_key(people, rooms, seed):
        raise Conflict(
            "people or rooms changed since this preview; preview again before applying",
            code="assignment_changed",
        )
    plan = _balanced_plan(people, rooms, seed)
    moved = 0
    for person in people:
        moved += await relocate(uow, person, plan[person.id])
    return moved


async def move_participant(
    uow: UnitOfWork, actor: Actor | None, participant_id: uuid.UUID, request: ParticipantMoveRequest
) -> ParticipantRead:
    """Put someone in another room (or none). A full room refuses unless ``force`` is set."""
    access, person = await participant_access(uow.session, actor, participant_id)
    access.require_organiser()
    if person.erased_at is not None:
        raise Conflict("this person's data was erased; they cannot be moved", code="erased")
    if request.room_id is not None:
        room = await room_of_meeting(uow.session, person.meeting_id, request.room_id)
        if not request.force:
            await require_seat(uow.session, room, person)
    person = await _locked(uow, person.id)
    await relocate(uow, person, request.room_id)
    return participant_read(person)


async def _locked(uow: UnitOfWork, participant_id: uuid.UUID) -> Participant:
    """The entry, locked until commit and read afresh, taken after any room lock (the order
    balanced assignment takes them in): a match that removed it meanwhile makes this a 404."""
    person = (await repository.lock_participants(uow.session, [participant_id])).get(participant_id)
    if person is None:
        raise NotFound("participant not found")
    return person


async def room_seats(session: AsyncSession, actor: Actor | None, meeting_id: uuid.UUID) -> list[RoomSeats]:
    """Every room's seats taken and capacity, for anyone in the meeting (a room picker's places left)."""
    await meeting_access(session, actor, meeting_id)
    rooms = await rooms_repository.rooms_of(session, meeting_id)
    seats = await rooms_repository.seats_taken_by_room(session, meeting_id)
    return [RoomSeats(room_id=room.id, seats_taken=seats.get(room.id, 0), capacity=room.capacity) for room in rooms]


async def select_room(uow: UnitOfWork, actor: Actor | None, room_id: uuid.UUID) -> ParticipantRead:
    """A participant takes a seat in a room of their choice, when the organiser lets people choose."""
    access, room = await room_access(uow.session, actor, room_id)
    person = access.participant
    if person is None or access.role is not Role.PARTICIPANT:
        raise Forbidden("only participants choose their own room")
    meeting = access.meeting
    if meeting.assignment_mode != AssignmentMode.SELF_SELECT:
        raise Conflict("the organiser assigns the rooms in this meeting", code="self_select_off")
    if meeting.phase not in SELF_SELECT_PHASES:
        raise Conflict(
            f"rooms cannot be chosen while the meeting is in {meeting.phase}; ask the organiser to move you",
            code="self_select_closed",
        )
    await require_seat(uow.session, room, person)
    person = await _locked(uow, person.id)
    await relocate(uow, person, room.id)
    return participant_read(person)
