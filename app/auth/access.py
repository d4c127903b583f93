"""Who is asking, and what their role and room allow in one meeting.

Every service resolves a ``MeetingAccess`` before it reads or writes; both doors (REST and the
socket) pass the same ``Actor``. Someone with no link to a meeting gets ``NotFound``, exactly as
for a meeting that does not exist.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.errors import Forbidden, NotAuthenticated, NotFound
from app.meetings.models import Meeting
from app.participants.models import Participant
from app.rooms.models import Room, RoomModerator
from app.vocabulary import Role


@dataclass(frozen=True, slots=True)
class Actor:
    """The signed-in caller: an organiser's account, a participant's session, or both."""

    account_id: uuid.UUID | None = None
    participant_id: uuid.UUID | None = None

    @property
    def key(self) -> str:
        """A stable identity for command receipts and connection caps."""
        if self.participant_id is not None:
            return f"participant:{self.participant_id}"
        return f"account:{self.account_id}"


@dataclass(frozen=True, slots=True)
class MeetingAccess:
    meeting: Meeting
    role: Role
    participant: Participant | None = None
    moderated_room_ids: frozenset[uuid.UUID] = field(default_factory=frozenset)

    @property
    def meeting_id(self) -> uuid.UUID:
        return self.meeting.id

    @property
    def is_organiser(self) -> bool:
        return self.role is Role.ORGANISER

    @property
    def is_staff(self) -> bool:
        """Organisers and moderators see names and room progress; participants do not."""
        return self.role in (Role.ORGANISER, Role.MODERATOR)

    @property
    def room_id(self) -> uuid.UUID | None:
        return self.participant.room_id if self.participant is not None else None

    def require_organiser(self) -> None:
        if not self.is_organiser:
            raise Forbidden("only the meeting's organisers may do this")

    def moderates(self, room_id: uuid.UUID) -> bool:
        return self.is_organiser or room_id in self.moderated_room_ids

    def can_read_room(self, room_id: uuid.UUID) -> bool:
        if self.is_organiser or self.role is Role.OBSERVER or room_id in self.moderated_room_ids:
            return True
        return self.room_id == room_id

    def require_room_read(self, room_id: uuid.UUID) -> None:
        if not self.can_read_room(room_id):
            raise Forbidden("this room is not yours")

    def require_room_moderation(self, room_id: uuid.UUID) -> None:
        if not self.moderates(room_id):
            raise Forbidden("only the room's moderators and the organisers may do this")

    def require_room_member(self, room_id: uuid.UUID) -> Participant:
        """The caller must take part in this room (participants and its moderators)."""
        if self.participant is None or self.role is Role.OBSERVER:
            raise Forbidden("only the room's participants may do this")
        if self.participant.room_id != room_id and room_id not in self.moderated_room_ids:
            raise Forbidden("this room is not yours")
        return self.participant


async def meeting_access(session: AsyncSession, actor: Actor | None, meeting_id: uuid.UUID) -> MeetingAccess:
    if actor is None:
        raise NotAuthenticated("sign in or open your invite link first")
    meeting = await session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound("meeting not found")
    if actor.account_id is not None and actor.account_id == meeting.owner_id:
        return MeetingAccess(meeting=meeting, role=Role.ORGANISER)
    if actor.participant_id is not None:
        participant = await session.get(Participant, actor.participant_id)
        if participant is not None and participant.meeting_id == meeting.id and participant.erased_at is None:
            moderated = await session.scalars(
                select(RoomModerator.room_id).where(RoomModerator.participant_id == participant.id)
            )
            role = Role(participant.role)
            if role is Role.ORGANISER:
                # A co-organiser listed in the roster without an account steers like a moderator
                # of every room but cannot prepare the meeting: that needs an account.
                role = Role.MODERATOR
                moderated = await session.scalars(select(Room.id).where(Room.meeting_id == meeting.id))
            return MeetingAccess(
                meeting=meeting, role=role, participant=participant, moderated_room_ids=frozenset(moderated)
            )
    raise NotFound("meeting not found")


async def room_access(session: AsyncSession, actor: Actor | None, room_id: uuid.UUID) -> tuple[MeetingAccess, Room]:
    """Access to the meeting a room belongs to; strangers get the same 404 as for no room."""
    if actor is None:
        raise NotAuthenticated("sign in or open your invite link first")
    room = await session.get(Room, room_id)
    if room is None:
        raise NotFound("room not found")
    try:
        access = await meeting_access(session, actor, room.meeting_id)
    except NotFound:
        raise NotFound("room not found") from None
    return access, room
