"""Building blocks of the roster shared by the participant commands: pseudonyms, the two views of an
entry (full for organisers, ``RosterEntry`` for staff), its event, and who may touch an entry."""

from __future__ import annotations

import secrets
import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.access import Actor, MeetingAccess, meeting_access
from app.errors import NotAuthenticated, NotFound
from app.participants import repository
from app.participants.models import Participant
from app.participants.schemas import ParticipantRead
from app.realtime.eventlog import staff_stream
from app.realtime.outbox import UnitOfWork
from app.realtime.protocol import RosterChanged, RosterEntry

# Same alphabet as join codes (no 0/O, 1/I/L); 31**6 ≈ 887 million, so collisions are rare and
# ``unique_pseudonym`` rules out the rest.
PSEUDONYM_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
PSEUDONYM_LENGTH = 6


def new_pseudonym() -> str:
    """Random rather than counted, so concurrent joins never collide on a number."""
    return "Participant " + "".join(secrets.choice(PSEUDONYM_ALPHABET) for _ in range(PSEUDONYM_LENGTH))


async def unique_pseudonym(session: AsyncSession, meeting_id: uuid.UUID, taken: set[str] | None = None) -> str:
    """A pseudonym nobody in the meeting has; ``taken`` (updated here) saves a query per row in bulk.
    Without it, each candidate is looked up by the (meeting, pseudonym) unique index: reading every
    pseudonym of the meeting for each person joining made a join storm quadratic."""
    if taken is None:
        while await repository.pseudonym_taken(session, meeting_id, pseudonym := new_pseudonym()):
            pass
        return pseudonym
    while (pseudonym := new_pseudonym()) in taken:
        pass
    taken.add(pseudonym)
    return pseudonym


def roster_entry(participant: Participant) -> RosterEntry:
    """What staff see of a roster entry on the staff stream (no email, no gender)."""
    return RosterEntry.model_validate(participant)


def participant_read(participant: Participant) -> ParticipantRead:
    """The whole entry: for organisers and for the person themselves only."""
    return ParticipantRead.model_validate(participant)


async def emit_roster(uow: UnitOfWork, participant: Participant, event_type: str = "participant.updated") -> None:
    changed = RosterChanged(participant=roster_entry(participant))
    await uow.emit(staff_stream(participant.meeting_id), participant.meeting_id, event_type, changed)


async def participant_access(
    session: AsyncSession, actor: Actor | None, participant_id: uuid.UUID
) -> tuple[MeetingAccess, Participant]:
    """Access to the meeting a roster entry belongs to; strangers get the same 404 as for no entry."""
    if actor is None:
        raise NotAuthenticated("sign in or open your invite link first")
    participant = await session.get(Participant, participant_id)
    if participant is None:
        raise NotFound("participant not found")
    try:
        access = await meeting_access(session, actor, participant.meeting_id)
    except NotFound:
        raise NotFound("participant not found") from None
    return access, participant
