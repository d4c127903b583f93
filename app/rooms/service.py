"""Rooms: the breakout rooms of a meeting, their themes, capacity, order and moderators."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.access import Actor, meeting_access, room_access
from app.errors import Conflict, InvalidInput
from app.participants.models import Participant
from app.realtime.eventlog import meeting_stream, room_stream, staff_stream
from app.realtime.outbox import UnitOfWork
from app.realtime.protocol import ParticipantMoved, RoomChanged, RoomRemoved
from app.rooms import repository
from app.rooms.models import Room
from app.rooms.schemas import RoomCallRead, RoomCreate, RoomModeratorsSet, RoomRead, RoomUpdate
from app.vocabulary import Role


async def room_reads(session: AsyncSession, rooms: list[Room]) -> list[RoomRead]:
    moderators = await repository.moderator_ids_by_room(session, (room.id for room in rooms))
    return [
        RoomRead(
            id=room.id,
            name=room.name,
            theme=room.theme,
            capacity=room.capacity,
            position=room.position,
            moderator_ids=moderators[room.id],
            finished_at=room.finished_at,
        )
        for room in rooms
    ]


async def room_read(session: AsyncSession, room: Room) -> RoomRead:
    return (await room_reads(session, [room]))[0]


async def emit_room(uow: UnitOfWork, room: Room, event_type: str = "room.updated") -> RoomRead:
    """Room names and themes are not personal: the whole meeting hears of every change."""
    read = await room_read(uow.session, room)
    await uow.emit(meeting_stream(room.meeting_id), room.meeting_id, event_type, RoomChanged(room=read))
    return read


def _check_name_free(rooms: list[Room], name: str, except_id: uuid.UUID | None = None) -> None:
    # Unique regardless of case, because the CSV import finds rooms by name that way.
    for other in rooms:
        if other.id != except_id and other.name.casefold() == name.casefold():
            raise Conflict(f"a room named {other.name!r} exists already in this meeting", code="room_name_taken")


async def _place(uow: UnitOfWork, ordered: list[Room], room: Room, position: int) -> None:
    """Put ``room`` at ``position`` among ``ordered`` (which excludes it); tell of every room that moved."""
    ordered.insert(min(position, len(ordered)), room)
    for index, other in enumerate(ordered):
        if other.position != index:
            other.position = index
            if other is not room:
                await emit_room(uow, other)


async def create_room(uow: UnitOfWork, actor: Actor | None, meeting_id: uuid.UUID, request: RoomCreate) -> RoomRead:
    access = await meeting_access(uow.session, actor, meeting_id)
    access.require_organiser()
    await repository.lock_meeting(uow.session, meeting_id)
    rooms = await repository.rooms_of(uow.session, meeting_id)
    name = request.name.strip()
    if not name:
        raise InvalidInput("name: give the room a name")
    _check_name_free(rooms, name)
    room = Room(
        meeting_id=meeting_id,
        name=name,
        theme=request.theme.strip(),
        capacity=request.capacity,
        position=-1,
        call_url=request.call_url,
    )
    uow.session.add(room)
    await uow.session.flush()
    await _place(uow, rooms, room, len(rooms) if request.position is None else request.position)
    return await emit_room(uow, room, "room.created")


async def list_rooms(session: AsyncSession, actor: Actor | None, meeting_id: uuid.UUID) -> list[RoomRead]:
    """Everyone in the meeting may see every room: names and themes are not personal."""
    await meeting_access(session, actor, meeting_id)
    return await room_reads(session, await repository.rooms_of(session, meeting_id))


async def get_room(session: AsyncSession, actor: Actor | None, room_id: uuid.UUID) -> RoomRead:
    _, room = await room_access(session, actor, room_id)
    return await room_read(session, room)


async def update_room(uow: UnitOfWork, actor: Actor | None, room_id: uuid.UUID, request: RoomUpdate) -> RoomRead:
    access, room = await room_access(uow.session, actor, room_id)
    access.require_organiser()
    changes = request.model_fields_set
    if request.name is not None:
        name = request.name.strip()
        if not name:
            raise InvalidInput("name: give the room a name")
        await repository.lock_meeting(uow.session, room.meeting_id)
        _check_name_free(await repository.rooms_of(uow.session, room.meeting_id), name, except_id=room.id)
        room.name = name
    if request.theme is not None:
        room.theme = request.theme.strip()
    if "capacity" in changes:
        if request.capacity is not None:
            await repository.lock_room(uow.session, room.id)
            taken = await repository.seats_taken(uow.session, room.id)
            if taken > request.capacity:
                raise Conflict(
                    f"{taken} participants are in this room; move some out before lowering its capacity "
                    f"to {request.capacity}",
                    code="room_over_capacity",
                    details={"seats_taken": taken},
                )
        room.capacity = request.capacity
    if "call_url" in changes:
        room.call_url = request.call_url
    if request.position is not None:
        others = [other for other in await repository.rooms_of(uow.session, room.meeting_id) if other.id != room.id]
        await _place(uow, others, room, request.position)
    return await emit_room(uow, room)


async def get_room_call(session: AsyncSession, actor: Actor | None, room_id: uuid.UUID) -> RoomCallRead:
    """The call link goes to those who read the room (its people, its moderators, observers and
    organisers), never to the meeting at large: room views carry no link."""
    access, room = await room_access(session, actor, room_id)
    access.require_room_read(room.id)
    return RoomCallRead(room_id=room.id, call_url=room.call_url)


async def delete_room(uow: UnitOfWork, actor: Actor | None, room_id: uuid.UUID) -> None:
    """Remove a room that holds no contributions; its people become unassigned."""
    access, room = await room_access(uow.session, actor, room_id)
    access.require_organiser()
    answers, findings = await repository.contributions_in_room(uow.session, room.id)
    if answers or findings:
        raise Conflict(
            f"this room holds {answers} answers and {findings} findings, which deleting it would destroy; "
            "rename it or leave it empty instead",
            code="room_has_contributions",
            details={"answers": answers, "findings": findings},
        )
    meeting_id = room.meeting_id
    for person in await repository.people_in_room(uow.session, room.id):
        await _unassign(uow, person, room)
    await uow.session.delete(room)
    await uow.session.flush()
    for position, other in enumerate(await repository.rooms_of(uow.session, meeting_id)):
        if other.position != position:
            other.position = position
            await emit_room(uow, other)
    await uow.emit(meeting_stream(meeting_id), meeting_id, "room.removed", RoomRemoved(room_id=room_id))


async def _unassign(uow: UnitOfWork, person: Participant, room: Room) -> None:
    """The same ``participant.moved`` a move sends: on the room first (so screens follow), then to staff."""
    person.room_id = None
    moved = ParticipantMoved(participant_id=person.id, from_room_id=room.id, to_room_id=None)
    await uow.emit(room_stream(room.id), room.meeting_id, "participant.moved", moved)
    await uow.emit(staff_stream(room.meeting_id), room.meeting_id, "participant.moved", moved)


async def set_moderators(
    uow: UnitOfWork, actor: Actor | None, room_id: uuid.UUID, request: RoomModeratorsSet
) -> RoomRead:
    """Replace the room's moderators. Each must be on the meeting's roster as a moderator; one
    moderator may steer several rooms."""
    access, room = await room_access(uow.session, actor, room_id)
    access.require_organiser()
    wanted = list(dict.fromkeys(request.participant_ids))
    for participant_id in wanted:
        person = await uow.session.get(Participant, participant_id)
        if person is None or person.meeting_id != room.meeting_id:
            raise InvalidInput(f"participant_ids: {participant_id} is not on this meeting's roster")
        if person.erased_at is not None:
            raise InvalidInput(f"participant_ids: {participant_id} was erased")
        if person.role != Role.MODERATOR:
            raise InvalidInput(
                f"participant_ids: {person.display_name} is listed as {person.role}; make them a moderator first"
            )
    current = (await repository.moderator_ids_by_room(uow.session, [room.id]))[room.id]
    for participant_id in current:
        if participant_id not in wanted:
            await repository.remove_moderator(uow.session, room.id, participant_id)
    for participant_id in wanted:
        await repository.add_moderator(uow.session, room.id, participant_id)
    return await emit_room(uow, room)
