"""Seats and moves: who sits in which room, and the events that let their screens follow."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from app.errors import Conflict, InvalidInput
from app.hands.service import lower_hands
from app.meetings.models import Meeting
from app.participants.models import Participant
from app.realtime.eventlog import meeting_stream, room_stream, staff_stream
from app.realtime.outbox import UnitOfWork
from app.realtime.protocol import ParticipantMoved, RoomSeatLevel, SeatsChanged
from app.rooms import repository as rooms_repository
from app.rooms.models import Room
from app.rooms.service import emit_room
from app.vocabulary import AssignmentMode, Role


async def room_of_meeting(session: AsyncSession, meeting_id: uuid.UUID, room_id: uuid.UUID) -> Room:
    room = await session.get(Room, room_id)
    if room is None or room.meeting_id != meeting_id:
        raise InvalidInput("room_id: no such room in this meeting")
    return room


def takes_a_seat(person: Participant) -> bool:
    """Only participants fill a room's capacity: moderators steer it and observers watch."""
    return person.role == Role.PARTICIPANT and person.erased_at is None


async def require_free_seat(session: AsyncSession, room: Room) -> None:
    """Refuse when every seat of the room is taken (the room stays locked until commit)."""
    if room.capacity is None:
        return
    await rooms_repository.lock_room(session, room.id)
    taken = await rooms_repository.seats_taken(session, room.id)
    if taken >= room.capacity:
        raise Conflict(
            f"room {room.name!r} is full ({taken} of {room.capacity} seats taken)",
            code="room_full",
            details={"room_id": str(room.id), "seats_taken": taken, "capacity": room.capacity},
        )


async def require_seat(session: AsyncSession, room: Room, person: Participant) -> None:
    """Refuse to seat the person in a full room (unless they need no seat or have theirs there)."""
    if takes_a_seat(person) and person.room_id != room.id:
        await require_free_seat(session, room)


async def relocate(uow: UnitOfWork, person: Participant, to_room_id: uuid.UUID | None) -> bool:
    """Put the person in another room (or none); False when they were there already.

    ``participant.moved`` goes on the room the person leaves, then to staff (the protocol's
    contract). The live layer moves the person's sockets to the new room when it first sees the
    event, so the old room's copy must come first: it is how their screens learn of the move before
    that room's stream stops reaching them. The new room's stream gets no copy, since the person's
    socket would see it only after following that room; they get its snapshot instead.
    """
    if person.room_id == to_room_id:
        return False
    moved = ParticipantMoved(participant_id=person.id, from_room_id=person.room_id, to_room_id=to_room_id)
    # A hand raised in the room left goes down there, while that room's stream still reaches them.
    await lower_hands(uow, participant_id=person.id)
    person.room_id = to_room_id
    if moved.from_room_id is not None:
        await uow.emit(room_stream(moved.from_room_id), person.meeting_id, "participant.moved", moved)
    await uow.emit(staff_stream(person.meeting_id), person.meeting_id, "participant.moved", moved)
    meeting = await uow.session.get(Meeting, person.meeting_id)
    if meeting is not None and meeting.assignment_mode == AssignmentMode.SELF_SELECT and takes_a_seat(person):
        rooms = [room_id for room_id in (moved.from_room_id, moved.to_room_id) if room_id is not None]
        await emit_seats(uow, person.meeting_id, rooms)
    return True


async def emit_seats(uow: UnitOfWork, meeting_id: uuid.UUID, room_ids: list[uuid.UUID]) -> None:
    """Tell everyone the seats now taken in these rooms (``room.seats``), for the room pickers."""
    if not room_ids:
        return
    seats = [
        RoomSeatLevel(room_id=room_id, seats_taken=await rooms_repository.seats_taken(uow.session, room_id))
        for room_id in room_ids
    ]
    await uow.emit(meeting_stream(meeting_id), meeting_id, "room.seats", SeatsChanged(seats=seats))


async def register_moderator(uow: UnitOfWork, room: Room, person: Participant) -> None:
    if await rooms_repository.add_moderator(uow.session, room.id, person.id):
        await emit_room(uow, room)


async def drop_moderation(uow: UnitOfWork, person: Participant) -> None:
    """The person no longer moderates any room (their role changed, or they were erased)."""
    for room_id in await rooms_repository.rooms_moderated_by(uow.session, person.id):
        await rooms_repository.remove_moderator(uow.session, room_id, person.id)
        room = await uow.session.get(Room, room_id)
        if room is not None:
            await emit_room(uow, room)
