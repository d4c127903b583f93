"""The live door: socket tickets, admitting sockets, and which streams a caller may follow.

Subscriptions follow the role: the organiser gets the meeting, staff and every room's stream with
staff payloads; a moderator the meeting, staff and the rooms they moderate (staff payloads); a
participant the meeting and their own room; an observer the meeting and every room. Replay, live
delivery and snapshots all ask ``grants_of`` (through ``stream_grants`` or an admission), so they
cannot disagree.

Admitting a socket writes nothing: the ticket is signed and carries the caller (``tickets.py``),
its single use is the ``TicketLedger``'s, its sessions are checked in the ``SessionCache`` and the
socket is counted in the ``PresenceStore``; access and the meeting's rooms are read (the
handshakes that arrive together share one read transaction and its few statements,
``admit_sockets`` and ``runtime.LiveRuntime.admit``).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.access import Actor, MeetingAccess, meeting_accesses
from app.auth.session_cache import SessionCache
from app.live import repository
from app.live.access_reads import AccessReads
from app.live.ledger import TicketLedger
from app.live.schemas import TicketCreate, TicketRead
from app.live.tickets import TicketClaims, read_ticket, sign_ticket
from app.meetings.models import Meeting
from app.realtime.connection import Grant
from app.realtime.eventlog import meeting_stream, room_stream, staff_stream
from app.realtime.limits import MAX_CONNECTIONS_PER_ACTOR, TICKET_TTL_S, CloseCode
from app.realtime.presence import PresenceStore, SocketMark
from app.vocabulary import Role


def issue_ticket_for(secret_key: str, meeting_id: uuid.UUID, actor: Actor) -> TicketRead:
    """Sign a ticket for ``actor`` into ``meeting_id`` (see ``app/live/tickets.py``)."""
    expires_at = int(time.time()) + TICKET_TTL_S
    return TicketRead.of(sign_ticket(secret_key, meeting_id, actor, expires_at), TICKET_TTL_S)


async def issue_ticket(
    accesses: AccessReads, secret_key: str, actor: Actor | None, request: TicketCreate
) -> TicketRead:
    """Check access (read with the checks of the requests arriving meanwhile), then sign: issuing
    a ticket writes nothing."""
    await accesses.access(actor, request.meeting_id)
    assert actor is not None  # the check refuses anonymous callers
    return issue_ticket_for(secret_key, request.meeting_id, actor)


def issue_projector_ticket(secret_key: str, meeting_id: uuid.UUID, projector_token_id: uuid.UUID) -> TicketRead:
    """A ticket for a projector's socket: the caller checked the projector link; admitting the
    socket checks again that the link was not revoked meanwhile."""
    return issue_ticket_for(secret_key, meeting_id, Actor(projector_token_id=projector_token_id))


@dataclass(frozen=True, slots=True)
class Admission:
    """An admitted socket: who it serves, what its access allows, and its id in presence."""

    actor: Actor
    meeting_id: uuid.UUID
    participant_id: uuid.UUID | None
    role: Role
    staff: bool
    every_room: bool
    grants: list[Grant]
    socket_id: uuid.UUID


@dataclass(frozen=True, slots=True)
class AdmissionDesk:
    """What admitting a socket consults: the ledger of spent tickets, the session cache and
    presence (which counts the caller's open sockets)."""

    ledger: TicketLedger
    sessions: SessionCache
    presence: PresenceStore


async def redeem_ticket(desk: AdmissionDesk, secret_key: str, ticket: str) -> TicketClaims | None:
    """The claims of a ticket, once: None when forged, expired or used, or when a session it was
    issued to has been revoked (signed out, erased) or has expired since. The ticket is spent
    before its sessions are checked, so a refused ticket cannot be tried again."""
    return (await redeem_tickets(desk, secret_key, [ticket]))[0]


async def redeem_tickets(
    desk: AdmissionDesk, secret_key: str, tickets: Sequence[str | None]
) -> list[TicketClaims | None]:
    """``redeem_ticket`` for the tickets of handshakes arriving together: each is spent, then
    the sessions they name are checked together (one read for those not cached)."""
    now = time.time()
    spent: list[TicketClaims | None] = []
    for ticket in tickets:
        claims = read_ticket(secret_key, ticket, now) if ticket else None
        if claims is not None and not await desk.ledger.spend(claims.ticket_id, claims.expires_at - now + 1):
            claims = None
        spent.append(claims)
    named = {i for claims in spent if claims is not None for i in claims.actor.session_ids}
    live = await desk.sessions.live_among(named) if named else set()
    return [
        claims
        if claims is not None
        and (
            claims.actor.projector_token_id is not None
            or (claims.actor.session_ids and claims.actor.session_ids <= live)
        )
        else None
        for claims in spent
    ]


async def admit_socket(
    desk: AdmissionDesk, secret_key: str, session: AsyncSession, ticket: str | None
) -> Admission | CloseCode:
    """Redeem the ticket, resolve its caller's access and streams, and count the socket in
    presence (within the caller's cap). Reads the database, never writes it. A refused socket
    (``CloseCode``) leaves nothing behind but its spent ticket."""
    return (await admit_sockets(desk, secret_key, session, [ticket]))[0]


async def admit_sockets(
    desk: AdmissionDesk, secret_key: str, session: AsyncSession, tickets: Sequence[str | None]
) -> list[Admission | CloseCode]:
    """``admit_socket`` for the handshakes that arrive together, in their order: their tickets,
    sessions, accesses and meetings' rooms are read together, a few statements for the lot."""
    redeemed = await redeem_tickets(desk, secret_key, tickets)
    callers = [(c.actor, c.meeting_id) for c in redeemed if c is not None and c.actor.projector_token_id is None]
    accesses = await meeting_accesses(session, callers) if callers else {}
    meetings = {access.meeting_id for access in accesses.values() if isinstance(access, MeetingAccess)}
    rooms = await repository.room_ids_of_meetings(session, meetings) if meetings else {}
    admitted: list[Admission | CloseCode] = []
    for claims in redeemed:
        if claims is None:
            admitted.append(CloseCode.BAD_TICKET)
        elif claims.actor.projector_token_id is not None:
            admitted.append(await _projector(desk, session, claims))
        elif isinstance(access := accesses[(claims.actor, claims.meeting_id)], MeetingAccess):
            admitted.append(await _counted(desk, _admission(claims.actor, access, rooms.get(access.meeting_id, []))))
        else:
            admitted.append(CloseCode.FORBIDDEN)
    return admitted


async def _projector(desk: AdmissionDesk, session: AsyncSession, claims: TicketClaims) -> Admission | CloseCode:
    meeting = await session.get(Meeting, claims.meeting_id)
    if meeting is None or meeting.projector_token_id != claims.actor.projector_token_id:
        return CloseCode.FORBIDDEN
    return await _counted(desk, _projector_admission(claims.actor, meeting.id))


def _admission(actor: Actor, access: MeetingAccess, room_ids: Sequence[uuid.UUID]) -> Admission:
    participant_id = access.participant.id if access.participant is not None else None
    # A co-organiser on the roster steers every room, like the organiser.
    co_organiser = access.participant is not None and access.participant.role == Role.ORGANISER
    return Admission(
        actor=actor,
        meeting_id=access.meeting_id,
        participant_id=participant_id,
        role=access.role,
        staff=access.is_staff,
        every_room=access.is_organiser or access.role is Role.OBSERVER or co_organiser,
        grants=grants_of(access, room_ids),
        socket_id=uuid.uuid4(),
    )


def _projector_admission(actor: Actor, meeting_id: uuid.UUID) -> Admission:
    """A projector follows the meeting stream only, with everyone's payload (nothing on it is
    personal): it reads room results and the plenary through the projector link's REST reads,
    which leave names out. Its commands are refused (``meeting_access`` knows no projector)."""
    return Admission(
        actor=actor,
        meeting_id=meeting_id,
        participant_id=None,
        role=Role.OBSERVER,
        staff=False,
        every_room=False,
        grants=[Grant(meeting_stream(meeting_id), False)],
        socket_id=uuid.uuid4(),
    )


async def _counted(desk: AdmissionDesk, admission: Admission) -> Admission | CloseCode:
    mark = SocketMark(admission.socket_id, admission.actor.key, admission.meeting_id, admission.participant_id)
    if not await desk.presence.try_open(mark, MAX_CONNECTIONS_PER_ACTOR):
        return CloseCode.TOO_MANY_CONNECTIONS
    return admission


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
