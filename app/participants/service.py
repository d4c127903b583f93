"""Participants: the roster, joining, CSV import, room assignment, moves and erasure."""

from __future__ import annotations

import secrets
import uuid

from app.auth.schemas import JoinRequest
from app.meetings.models import Meeting
from app.participants.models import Participant
from app.realtime.eventlog import staff_stream
from app.realtime.outbox import UnitOfWork
from app.realtime.protocol import RosterChanged, RosterEntry
from app.vocabulary import Role


def new_pseudonym() -> str:
    """Random rather than counted, so concurrent joins never collide on a number."""
    return f"Participant {secrets.token_hex(3).upper()}"


def roster_entry(participant: Participant) -> RosterEntry:
    """What staff see of a roster entry on the staff stream (no email, no gender)."""
    return RosterEntry.model_validate(participant)


async def add_joined_participant(
    uow: UnitOfWork, meeting: Meeting, request: JoinRequest, *, role: Role, room_id: uuid.UUID | None
) -> Participant:
    participant = Participant(
        meeting_id=meeting.id,
        display_name=request.display_name or "",
        pseudonym=new_pseudonym(),
        organisation=request.organisation,
        organisation_type=request.organisation_type,
        gender=request.gender,
        role=role,
        room_id=room_id,
    )
    uow.session.add(participant)
    await uow.session.flush()
    await uow.emit(
        staff_stream(meeting.id), meeting.id, "participant.joined", RosterChanged(participant=roster_entry(participant))
    )
    return participant
