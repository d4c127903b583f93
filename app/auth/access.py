"""Who is asking, and what their role and room allow in one meeting.

Every service resolves a ``MeetingAccess`` before it reads or writes; both doors (REST and the
socket) pass the same ``Actor``. Someone with no link to a meeting gets ``NotFound``, exactly as
for a meeting that does not exist.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

from sqlalchemy import Select, bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.errors import DomainError, Forbidden, NotAuthenticated, NotFound
from app.meetings.models import Meeting
from app.participants.models import Participant
from app.rooms.models import Room, RoomModerator
from app.vocabulary import Role


@dataclass(frozen=True, slots=True)
class Actor:
    """The signed-in caller: an organiser's account, a participant's session, or both; or a
    projector's socket, opened with the projector link (``projector_token_id``), which no
    meeting grants any access: every service answers it as a stranger."""

    account_id: uuid.UUID | None = None
    participant_id: uuid.UUID | None = None
    projector_token_id: uuid.UUID | None = None
    # The sessions that sign the caller in as each (none for the command line). Not part of the
    # identity: they let signing out reach what a session opened (socket tickets, live sockets).
    account_session_id: uuid.UUID | None = field(default=None, compare=False)
    participant_session_id: uuid.UUID | None = field(default=None, compare=False)

    @property
    def session_ids(self) -> frozenset[uuid.UUID]:
        return frozenset(i for i in (self.account_session_id, self.participant_session_id) if i is not None)

    @property
    def key(self) -> str:
        """A stable identity for command receipts and connection caps."""
        if self.participant_id is not None:
            return f"participant:{self.participant_id}"
        if self.projector_token_id is not None:
            return f"projector:{self.projector_token_id}"
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
    if _owns(actor, meeting):
        return MeetingAccess(meeting=meeting, role=Role.ORGANISER)
    if actor.participant_id is not None:
        entry = _roster_entry(actor, meeting, await session.get(Participant, actor.participant_id))
        if entry is not None:
            rooms = await _rooms_steered(session, [entry])
            return _roster_access(meeting, entry, rooms[entry.id])
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


async def room_accesses(
    session: AsyncSession, requests: Collection[tuple[Actor, uuid.UUID]]
) -> dict[tuple[Actor, uuid.UUID], tuple[MeetingAccess, Room] | DomainError]:
    """``room_access`` for many (actor, room) pairs at once, in five queries at most: each pair maps
    to its access, or to the error ``room_access`` would raise for it (the same rules decide)."""
    rooms = await rooms_by_id(session, {room_id for _, room_id in requests})
    accesses = await meeting_accesses(
        session, {(actor, rooms[room_id].meeting_id) for actor, room_id in requests if room_id in rooms}
    )
    return composed_room_accesses(requests, rooms, accesses)


async def rooms_by_id(session: AsyncSession, room_ids: Collection[uuid.UUID]) -> dict[uuid.UUID, Room]:
    return {room.id: room for room in await session.scalars(_rooms(), {"ids": list(room_ids)})}


def composed_room_accesses(
    requests: Collection[tuple[Actor, uuid.UUID]],
    rooms: dict[uuid.UUID, Room],
    accesses: dict[tuple[Actor, uuid.UUID], MeetingAccess | DomainError],
) -> dict[tuple[Actor, uuid.UUID], tuple[MeetingAccess, Room] | DomainError]:
    """``room_accesses`` from the rooms found and the accesses to their meetings (every pair of
    an actor and a found room's meeting): a room not found, or one of a meeting the actor may not
    see, is the same 404."""
    found: dict[tuple[Actor, uuid.UUID], tuple[MeetingAccess, Room] | DomainError] = {}
    for actor, room_id in requests:
        room = rooms.get(room_id)
        access = accesses.get((actor, room.meeting_id)) if room is not None else None
        if room is None or not isinstance(access, MeetingAccess):
            found[(actor, room_id)] = NotFound("room not found")
        else:
            found[(actor, room_id)] = (access, room)
    return found


async def roster_accesses(
    session: AsyncSession, meeting_ids: Collection[uuid.UUID]
) -> dict[tuple[Actor, uuid.UUID], MeetingAccess]:
    """The access of every roster entry (not erased) of these meetings, as ``meeting_accesses``
    gives it to the entry's own session (an ``Actor`` with its participant id only): a meeting's
    whole roster in three reads, for the write pipeline's memory (``app.answers.decisions``)."""
    meetings = {meeting.id: meeting for meeting in await session.scalars(_meetings(), {"ids": list(meeting_ids)})}
    if not meetings:
        return {}
    entries = [entry for entry in await session.scalars(_rosters(), {"ids": list(meetings)}) if entry.erased_at is None]
    steered = await _rooms_steered(session, entries)
    found: dict[tuple[Actor, uuid.UUID], MeetingAccess] = {}
    for entry in entries:
        actor = Actor(participant_id=entry.id)
        if _roster_entry(actor, meetings[entry.meeting_id], entry) is not None:
            found[(actor, entry.meeting_id)] = _roster_access(meetings[entry.meeting_id], entry, steered[entry.id])
    return found


async def meeting_accesses(
    session: AsyncSession, requests: Collection[tuple[Actor, uuid.UUID]]
) -> dict[tuple[Actor, uuid.UUID], MeetingAccess | DomainError]:
    """``meeting_access`` for many (actor, meeting) pairs at once, in four queries at most: each
    pair maps to its access, or to the error ``meeting_access`` would raise for it (the same rules
    decide). A crowd of sockets admitted together (a reconnect storm) costs a few reads, not a few
    each."""
    meeting_ids = {meeting_id for _, meeting_id in requests}
    meetings = {meeting.id: meeting for meeting in await session.scalars(_meetings(), {"ids": list(meeting_ids)})}
    participant_ids = {actor.participant_id for actor, _ in requests if actor.participant_id is not None}
    participants = (
        {
            participant.id: participant
            for participant in await session.scalars(_participants(), {"ids": list(participant_ids)})
        }
        if participant_ids
        else {}
    )
    entries: dict[tuple[Actor, uuid.UUID], Participant] = {}
    for actor, meeting_id in requests:
        meeting = meetings.get(meeting_id)
        if meeting is None or _owns(actor, meeting) or actor.participant_id is None:
            continue
        entry = _roster_entry(actor, meeting, participants.get(actor.participant_id))
        if entry is not None:
            entries[(actor, meeting_id)] = entry
    steered = await _rooms_steered(session, list({entry.id: entry for entry in entries.values()}.values()))
    found: dict[tuple[Actor, uuid.UUID], MeetingAccess | DomainError] = {}
    for actor, meeting_id in requests:
        meeting = meetings.get(meeting_id)
        if meeting is None:
            found[(actor, meeting_id)] = NotFound("meeting not found")
        elif _owns(actor, meeting):
            found[(actor, meeting_id)] = MeetingAccess(meeting=meeting, role=Role.ORGANISER)
        elif (entry := entries.get((actor, meeting_id))) is not None:
            found[(actor, meeting_id)] = _roster_access(meeting, entry, steered[entry.id])
        else:
            found[(actor, meeting_id)] = NotFound("meeting not found")
    return found


def _owns(actor: Actor, meeting: Meeting) -> bool:
    return actor.account_id is not None and actor.account_id == meeting.owner_id


def _roster_entry(actor: Actor, meeting: Meeting, participant: Participant | None) -> Participant | None:
    """The actor's roster row in this meeting, unless erased: the link a participant's session gives."""
    if participant is None or participant.id != actor.participant_id:
        return None
    if participant.meeting_id != meeting.id or participant.erased_at is not None:
        return None
    return participant


def _roster_access(meeting: Meeting, entry: Participant, steered_room_ids: frozenset[uuid.UUID]) -> MeetingAccess:
    role = Role(entry.role)
    if role is Role.ORGANISER:
        # A co-organiser listed in the roster without an account steers like a moderator of every
        # room but cannot prepare the meeting: that needs an account.
        role = Role.MODERATOR
    return MeetingAccess(meeting=meeting, role=role, participant=entry, moderated_room_ids=steered_room_ids)


# The statements a crowd's check runs every time (each batch of socket commands, each batch of
# handshakes), built once on first use with their lists bound as expanding parameters: building
# a statement with its IN list inline cost more than running it.
@functools.cache
def _rooms() -> Select[Room]:
    return select(Room).where(Room.id.in_(bindparam("ids", expanding=True)))


@functools.cache
def _meetings() -> Select[Meeting]:
    return select(Meeting).where(Meeting.id.in_(bindparam("ids", expanding=True)))


@functools.cache
def _participants() -> Select[Participant]:
    return select(Participant).where(Participant.id.in_(bindparam("ids", expanding=True)))


@functools.cache
def _rosters() -> Select[Participant]:
    return select(Participant).where(Participant.meeting_id.in_(bindparam("ids", expanding=True)))


@functools.cache
def _moderated() -> Select[uuid.UUID, uuid.UUID]:
    moderator = RoomModerator.participant_id
    return select(moderator, RoomModerator.room_id).where(moderator.in_(bindparam("ids", expanding=True)))


async def _rooms_steered(
    session: AsyncSession, entries: Sequence[Participant]
) -> dict[uuid.UUID, frozenset[uuid.UUID]]:
    """The rooms each roster entry moderates: those it is named for, or every room of its meeting
    for a co-organiser."""
    steered: dict[uuid.UUID, set[uuid.UUID]] = {entry.id: set() for entry in entries}
    co_organisers = {entry.id: entry.meeting_id for entry in entries if Role(entry.role) is Role.ORGANISER}
    named = [entry.id for entry in entries if entry.id not in co_organisers]
    if named:
        rows = await session.execute(_moderated(), {"ids": named})
        for participant_id, room_id in rows:
            steered[participant_id].add(room_id)
    if co_organisers:
        rows = await session.execute(
            select(Room.meeting_id, Room.id).where(Room.meeting_id.in_(set(co_organisers.values())))
        )
        rooms_of: dict[uuid.UUID, set[uuid.UUID]] = {}
        for meeting_id, room_id in rows:
            rooms_of.setdefault(meeting_id, set()).add(room_id)
        for participant_id, meeting_id in co_organisers.items():
            steered[participant_id] = rooms_of.get(meeting_id, set())
    return {participant_id: frozenset(room_ids) for participant_id, room_ids in steered.items()}
