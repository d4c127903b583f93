"""What the demo looks up to find a meeting it staged before, and the links it gave out then."""

from __future__ import annotations

import uuid

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.models import Invite
from app.database import utcnow
from app.meetings.models import Meeting
from app.participants.models import Participant
from app.rooms.models import Room, RoomModerator
from app.vocabulary import Role


async def meeting_titled(session: AsyncSession, owner_id: uuid.UUID, title: str) -> Meeting | None:
    return await session.scalar(
        select(Meeting)
        .where(Meeting.owner_id == owner_id, Meeting.title == title)
        .order_by(Meeting.created_at, Meeting.id)
        .limit(1)
    )


async def rooms_of(session: AsyncSession, meeting_id: uuid.UUID) -> list[Room]:
    return list(
        await session.scalars(select(Room).where(Room.meeting_id == meeting_id).order_by(Room.position, Room.id))
    )


async def roster_of(session: AsyncSession, meeting_id: uuid.UUID) -> list[Participant]:
    """Everyone on the roster, by room (the unassigned first or last, as the database sorts) and name."""
    rows = await session.scalars(
        select(Participant)
        .outerjoin(Room, Room.id == Participant.room_id)
        .where(Participant.meeting_id == meeting_id, Participant.erased_at.is_(None))
        .order_by(Room.position, Participant.display_name, Participant.id)
    )
    return list(rows)


async def moderators_by_room(session: AsyncSession, meeting_id: uuid.UUID) -> list[tuple[Room, Participant]]:
    rows = await session.execute(
        select(Room, Participant)
        .join(RoomModerator, RoomModerator.room_id == Room.id)
        .join(Participant, Participant.id == RoomModerator.participant_id)
        .where(Room.meeting_id == meeting_id, Participant.erased_at.is_(None))
        .order_by(Room.position, Room.id, Participant.display_name)
    )
    return [(room, participant) for room, participant in rows]


def _live() -> ColumnElement[bool]:
    return and_(Invite.revoked_at.is_(None), or_(Invite.expires_at.is_(None), Invite.expires_at > utcnow()))


async def personal_invite(session: AsyncSession, participant_id: uuid.UUID) -> Invite | None:
    return await session.scalar(
        select(Invite)
        .where(Invite.participant_id == participant_id, _live())
        .order_by(Invite.created_at, Invite.id)
        .limit(1)
    )


async def open_invite(session: AsyncSession, meeting_id: uuid.UUID, role: Role) -> Invite | None:
    """A live link through which anyone joins as a new ``role`` without a room."""
    return await session.scalar(
        select(Invite)
        .where(
            Invite.meeting_id == meeting_id,
            Invite.role == role,
            Invite.room_id.is_(None),
            Invite.participant_id.is_(None),
            Invite.account_id.is_(None),
            _live(),
        )
        .order_by(Invite.created_at, Invite.id)
        .limit(1)
    )


async def people_with_personal_links(session: AsyncSession, meeting_id: uuid.UUID, role: Role) -> list[Participant]:
    """People of ``role`` who hold a live personal link, by room and name."""
    holders = select(Invite.participant_id).where(Invite.meeting_id == meeting_id, _live())
    rows = await session.scalars(
        select(Participant)
        .outerjoin(Room, Room.id == Participant.room_id)
        .where(
            Participant.meeting_id == meeting_id,
            Participant.role == role,
            Participant.erased_at.is_(None),
            Participant.id.in_(holders),
        )
        .order_by(Room.position, Participant.display_name, Participant.id)
    )
    return list(rows)
