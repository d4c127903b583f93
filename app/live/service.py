"""The live door: socket tickets, admitting sockets, and which streams a caller may follow.

Subscriptions follow the role: the organiser gets the meeting, staff and every room's stream with
staff payloads; a moderator the meeting, staff and the rooms they moderate (staff payloads); a
participant the meeting and their own room; an observer the meeting and every room. Replay, live
delivery and snapshots all ask ``grants_of`` (through ``stream_grants`` or an admission), so they
cannot disagree.

Sockets are admitted in batches (``admit_sockets``): the handshakes that arrive together are
redeemed in one transaction, each in its own savepoint, so that a reconnect storm costs one commit
per batch instead of one per socket, and one socket's refusal never touches another's admission.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.access import Actor, MeetingAccess, meeting_access
from app.auth.repository import live_session_count
from app.auth.secrets import new_session_token, token_hash
from app.database import Database, utcnow
from app.errors import DomainError
from app.live import repository
from app.live.models import SocketTicket
from app.live.schemas import TicketCreate, TicketRead
from app.live.writes import GroupCommit, each_in_savepoint
from app.meetings.models import Meeting
from app.realtime.connection import Grant
from app.realtime.eventlog import meeting_stream, room_stream, staff_stream
from app.realtime.limits import MAX_CONNECTIONS_PER_ACTOR, TICKET_TTL_S, CloseCode
from app.realtime.presence import open_sockets_of, record_open
from app.vocabulary import Role


async def issue_ticket(
    database: Database, tickets: GroupCommit[SocketTicket, None], actor: Actor | None, request: TicketCreate
) -> TicketRead:
    """Check access in a read transaction, then write the ticket in ``tickets``' next batch: the
    write transaction is only the inserts, and a crowd asking at once shares one commit."""
    async with database.reading() as session:
        await meeting_access(session, actor, request.meeting_id)
    assert actor is not None  # meeting_access refuses anonymous callers
    token, hashed = new_session_token()
    ticket = SocketTicket(
        token_hash=hashed,
        meeting_id=request.meeting_id,
        account_id=actor.account_id,
        participant_id=actor.participant_id,
        account_session_id=actor.account_session_id,
        participant_session_id=actor.participant_session_id,
        expires_at=utcnow() + timedelta(seconds=TICKET_TTL_S),
    )
    await tickets.submit(ticket)
    return TicketRead.of(token, TICKET_TTL_S)


async def issue_projector_ticket(
    tickets: GroupCommit[SocketTicket, None], meeting_id: uuid.UUID, projector_token_id: uuid.UUID
) -> TicketRead:
    """A ticket for a projector's socket: the caller checked the projector link; admitting the
    socket checks again that the link was not revoked meanwhile."""
    token, hashed = new_session_token()
    ticket = SocketTicket(
        token_hash=hashed,
        meeting_id=meeting_id,
        projector_token_id=projector_token_id,
        expires_at=utcnow() + timedelta(seconds=TICKET_TTL_S),
    )
    await tickets.submit(ticket)
    return TicketRead.of(token, TICKET_TTL_S)


async def write_tickets(session: AsyncSession, tickets: Sequence[SocketTicket]) -> list[Exception | None]:
    """The ``BatchWriter`` of issued tickets (one savepoint each: a meeting deleted meanwhile
    fails its own tickets only)."""

    async def write_one(ticket: SocketTicket) -> None:
        session.add(ticket)
        await session.flush()

    return await each_in_savepoint(session, tickets, write_one)


@dataclass(frozen=True, slots=True)
class RedeemedTicket:
    actor: Actor
    meeting_id: uuid.UUID


async def redeem_ticket(session: AsyncSession, ticket: str) -> RedeemedTicket | None:
    """The caller a ticket was issued to, once: None when unknown, used or expired, or when a
    session it was issued to has been revoked (signed out, erased) or has expired since."""
    taken = await repository.take_ticket(session, token_hash(ticket))
    now = utcnow()
    if taken is None or taken.expires_at <= now:
        return None
    actor = Actor(
        account_id=taken.account_id,
        participant_id=taken.participant_id,
        projector_token_id=taken.projector_token_id,
        account_session_id=taken.account_session_id,
        participant_session_id=taken.participant_session_id,
    )
    if actor.projector_token_id is None:  # a projector's link is checked as its socket opens
        sessions = actor.session_ids
        if not sessions or await live_session_count(session, sessions, now) != len(sessions):
            return None
    return RedeemedTicket(actor, taken.meeting_id)


@dataclass(frozen=True, slots=True)
class Admission:
    """An admitted socket: who it serves, what its access allows, and its presence row."""

    actor: Actor
    meeting_id: uuid.UUID
    participant_id: uuid.UUID | None
    role: Role
    staff: bool
    every_room: bool
    grants: list[Grant]
    row_id: uuid.UUID


async def admit_sockets(
    session: AsyncSession, tickets: Sequence[str | None], *, process_id: str
) -> list[Admission | CloseCode | Exception]:
    """Redeem each ticket, resolve its caller's access and streams and record the socket, one
    savepoint each, in ticket order. A refused socket (``CloseCode``) leaves nothing behind but
    its spent ticket; a socket whose admission failed (the exception) leaves nothing at all.
    Earlier sockets of the batch count towards a caller's connection cap."""
    rooms: dict[uuid.UUID, list[uuid.UUID]] = {}  # each meeting's rooms, read once per batch

    async def admit_one(ticket: str | None) -> Admission | CloseCode:
        return await _admit(session, ticket, process_id, rooms)

    return await each_in_savepoint(session, tickets, admit_one)


async def _admit(
    session: AsyncSession, ticket: str | None, process_id: str, rooms: dict[uuid.UUID, list[uuid.UUID]]
) -> Admission | CloseCode:
    redeemed = await redeem_ticket(session, ticket) if ticket else None
    if redeemed is None:
        return CloseCode.BAD_TICKET
    if redeemed.actor.projector_token_id is not None:
        return await _admit_projector(session, redeemed, process_id)
    try:
        access = await meeting_access(session, redeemed.actor, redeemed.meeting_id)
    except DomainError:
        return CloseCode.FORBIDDEN
    if await open_sockets_of(session, redeemed.actor.key) >= MAX_CONNECTIONS_PER_ACTOR:
        return CloseCode.TOO_MANY_CONNECTIONS
    if access.meeting_id not in rooms:
        rooms[access.meeting_id] = await repository.room_ids_of(session, access.meeting_id)
    participant_id = access.participant.id if access.participant is not None else None
    row_id = await record_open(
        session,
        process_id=process_id,
        actor_key=redeemed.actor.key,
        meeting_id=access.meeting_id,
        participant_id=participant_id,
    )
    # A co-organiser on the roster steers every room, like the organiser.
    co_organiser = access.participant is not None and access.participant.role == Role.ORGANISER
    return Admission(
        actor=redeemed.actor,
        meeting_id=access.meeting_id,
        participant_id=participant_id,
        role=access.role,
        staff=access.is_staff,
        every_room=access.is_organiser or access.role is Role.OBSERVER or co_organiser,
        grants=grants_of(access, rooms[access.meeting_id]),
        row_id=row_id,
    )


async def _admit_projector(session: AsyncSession, redeemed: RedeemedTicket, process_id: str) -> Admission | CloseCode:
    """A projector follows the meeting stream only, with everyone's payload (nothing on it is
    personal): it reads room results and the plenary through the projector link's REST reads,
    which leave names out. Its commands are refused (``meeting_access`` knows no projector)."""
    meeting = await session.get(Meeting, redeemed.meeting_id)
    if meeting is None or meeting.projector_token_id != redeemed.actor.projector_token_id:
        return CloseCode.FORBIDDEN
    if await open_sockets_of(session, redeemed.actor.key) >= MAX_CONNECTIONS_PER_ACTOR:
        return CloseCode.TOO_MANY_CONNECTIONS
    row_id = await record_open(
        session, process_id=process_id, actor_key=redeemed.actor.key, meeting_id=meeting.id, participant_id=None
    )
    return Admission(
        actor=redeemed.actor,
        meeting_id=meeting.id,
        participant_id=None,
        role=Role.OBSERVER,
        staff=False,
        every_room=False,
        grants=[Grant(meeting_stream(meeting.id), False)],
        row_id=row_id,
    )


async def stream_grants(session: AsyncSession, access: MeetingAccess) -> list[Grant]:
    return grants_of(access, await repository.room_ids_of(session, access.meeting_id))


def grants_of(access: MeetingAccess, room_ids: Sequence[uuid.UUID]) -> list[Grant]:
    """The streams ``access`` may follow, given its meeting's rooms (see the module docstring)."""
    meeting_id = access.meeting_id
    staff = access.is_staff
    grants = [Grant(meeting_stream(meeting_id), staff)]
    if staff:
        grants.append(Grant(staff_stream(meeting_id), True))
    grants.extend(Grant(room_stream(room_id), staff) for room_id in room_ids if sees_room(access, room_id))
    return grants


def sees_room(access: MeetingAccess, room_id: uuid.UUID) -> bool:
    """Whether the room's stream reaches this caller (see the module docstring)."""
    if access.is_organiser or access.role is Role.OBSERVER:
        return True
    if access.role is Role.MODERATOR:
        return room_id in access.moderated_room_ids
    return access.room_id == room_id
