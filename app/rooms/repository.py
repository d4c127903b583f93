from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.answers.models import Answer
from app.findings.models import Finding
from app.meetings.models import Meeting
from app.participants.models import Participant
from app.rooms.models import Room, RoomModerator
from app.vocabulary import Role


async def rooms_of(session: AsyncSession, meeting_id: uuid.UUID) -> list[Room]:
    rows = await session.scalars(select(Room).where(Room.meeting_id == meeting_id).order_by(Room.position, Room.id))
    return list(rows)


async def lock_meeting(session: AsyncSession, meeting_id: uuid.UUID) -> None:
    """Hold the meeting's row until commit, so that rules over all its rooms (one room per name)
    are decided against the committed rooms, one request at a time (SQLite: see ``lock_room``)."""
    await session.execute(select(Meeting.id).where(Meeting.id == meeting_id).with_for_update())


async def lock_room(session: AsyncSession, room_id: uuid.UUID) -> None:
    """Hold the room's row until commit, so two people cannot both take its last seat.

    PostgreSQL takes a row lock; SQLite ignores FOR UPDATE because the write transaction already
    holds the database lock.
    """
    await session.execute(select(Room.id).where(Room.id == room_id).with_for_update())


async def moderator_ids_by_room(
    session: AsyncSession, room_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, list[uuid.UUID]]:
    ids = list(room_ids)
    found: dict[uuid.UUID, list[uuid.UUID]] = {room_id: [] for room_id in ids}
    if not ids:
        return found
    rows = await session.execute(
        select(RoomModerator.room_id, RoomModerator.participant_id)
        .where(RoomModerator.room_id.in_(ids))
        .order_by(RoomModerator.participant_id)
    )
    for room_id, participant_id in rows:
        found[room_id].append(participant_id)
    return found


async def rooms_moderated_by(session: AsyncSession, participant_id: uuid.UUID) -> list[uuid.UUID]:
    rows = await session.scalars(select(RoomModerator.room_id).where(RoomModerator.participant_id == participant_id))
    return list(rows)


async def add_moderator(session: AsyncSession, room_id: uuid.UUID, participant_id: uuid.UUID) -> bool:
    """Register a moderator of a room; False when they were one already."""
    if await session.get(RoomModerator, (room_id, participant_id)) is not None:
        return False
    session.add(RoomModerator(room_id=room_id, participant_id=participant_id))
    await session.flush()
    return True


async def remove_moderator(session: AsyncSession, room_id: uuid.UUID, participant_id: uuid.UUID) -> None:
    await session.execute(
        delete(RoomModerator).where(RoomModerator.room_id == room_id, RoomModerator.participant_id == participant_id)
    )


async def seats_taken(session: AsyncSession, room_id: uuid.UUID) -> int:
    """People holding a seat: participants assigned to the room. Moderators and observers do not
    count (they steer or watch), nor do erased people (they have left)."""
    count = await session.scalar(
        select(func.count()).where(
            Participant.room_id == room_id,
            Participant.role == Role.PARTICIPANT,
            Participant.erased_at.is_(None),
        )
    )
    return int(count or 0)


async def seats_taken_by_room(session: AsyncSession, meeting_id: uuid.UUID) -> dict[uuid.UUID, int]:
    rows = await session.execute(
        select(Participant.room_id, func.count())
        .where(
            Participant.meeting_id == meeting_id,
            Participant.room_id.is_not(None),
            Participant.role == Role.PARTICIPANT,
            Participant.erased_at.is_(None),
        )
        .group_by(Participant.room_id)
    )
    return {room_id: int(count) for room_id, count in rows if room_id is not None}


async def people_in_room(session: AsyncSession, room_id: uuid.UUID) -> list[Participant]:
    rows = await session.scalars(select(Participant).where(Participant.room_id == room_id).order_by(Participant.id))
    return list(rows)


async def contributions_in_room(session: AsyncSession, room_id: uuid.UUID) -> tuple[int, int]:
    """How many answers and findings were made in the room (what deleting it would destroy)."""
    answers = await session.scalar(select(func.count()).where(Answer.room_id == room_id))
    findings = await session.scalar(select(func.count()).where(Finding.room_id == room_id))
    return int(answers or 0), int(findings or 0)


async def lock_rooms_of(session: AsyncSession, meeting_id: uuid.UUID) -> None:
    """Hold every room of the meeting until commit (a bulk import counts all their seats)."""
    await session.execute(select(Room.id).where(Room.meeting_id == meeting_id).with_for_update())
