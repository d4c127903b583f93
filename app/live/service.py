"""The live door: socket tickets, and which streams a caller may follow in a meeting.

Subscriptions follow the role: the organiser gets the meeting, staff and every room's stream with
staff payloads; a moderator the meeting, staff and the rooms they moderate (staff payloads); a
participant the meeting and their own room; an observer the meeting and every room. Replay, live
delivery and snapshots all ask ``stream_grants``, so they cannot disagree.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.access import Actor, MeetingAccess, meeting_access
from app.auth.secrets import new_session_token, token_hash
from app.database import utcnow
from app.live import repository
from app.live.models import SocketTicket
from app.live.schemas import TicketCreate, TicketRead
from app.realtime.connection import Grant
from app.realtime.eventlog import meeting_stream, room_stream, staff_stream
from app.realtime.limits import TICKET_TTL_S
from app.realtime.outbox import UnitOfWork
from app.vocabulary import Role


async def issue_ticket(uow: UnitOfWork, actor: Actor | None, request: TicketCreate) -> TicketRead:
    await meeting_access(uow.session, actor, request.meeting_id)
    assert actor is not None  # meeting_access refuses anonymous callers
    token, hashed = new_session_token()
    uow.session.add(
        SocketTicket(
            token_hash=hashed,
            meeting_id=request.meeting_id,
            account_id=actor.account_id,
            participant_id=actor.participant_id,
            expires_at=utcnow() + timedelta(seconds=TICKET_TTL_S),
        )
    )
    return TicketRead.of(token, TICKET_TTL_S)


@dataclass(frozen=True, slots=True)
class RedeemedTicket:
    actor: Actor
    meeting_id: uuid.UUID


async def redeem_ticket(session: AsyncSession, ticket: str) -> RedeemedTicket | None:
    """The caller a ticket was issued to, once: None when unknown, used or expired."""
    taken = await repository.take_ticket(session, token_hash(ticket))
    if taken is None or taken.expires_at <= utcnow():
        return None
    return RedeemedTicket(Actor(account_id=taken.account_id, participant_id=taken.participant_id), taken.meeting_id)


async def stream_grants(session: AsyncSession, access: MeetingAccess) -> list[Grant]:
    meeting_id = access.meeting_id
    staff = access.is_staff
    grants = [Grant(meeting_stream(meeting_id), staff)]
    if staff:
        grants.append(Grant(staff_stream(meeting_id), True))
    for room_id in await repository.room_ids_of(session, meeting_id):
        if sees_room(access, room_id):
            grants.append(Grant(room_stream(room_id), staff))
    return grants


def sees_room(access: MeetingAccess, room_id: uuid.UUID) -> bool:
    """Whether the room's stream reaches this caller (see the module docstring)."""
    if access.is_organiser or access.role is Role.OBSERVER:
        return True
    if access.role is Role.MODERATOR:
        return room_id in access.moderated_room_ids
    return access.room_id == room_id
