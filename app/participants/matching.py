"""Matching a walk-in to the roster: someone who joined with the code or an open link is found to
be a person on the organiser's list. The organiser says so in one step and the two entries
become one — the roster entry, keeping the walk-in's answers, votes, agreements, help requests
and sessions (their phone goes on as the roster person, without signing in again).

Why by hand: a join only resolves to a roster entry by itself when the roster's email identifies
the person and nobody has signed in as it yet (``service.roster_entry_to_claim``); every other
case — a name typed, an address not given, an entry already in use — needs someone who knows
the people, and that is the organiser.
"""

from __future__ import annotations

import uuid

from app.auth.access import Actor
from app.errors import Conflict, InvalidInput, NotFound
from app.hands.service import lower_hands
from app.participants import repository
from app.participants.models import Participant
from app.participants.roster import participant_access, participant_read, roster_entry
from app.participants.schemas import ParticipantMatchRequest, ParticipantRead
from app.participants.seating import relocate
from app.realtime.eventlog import staff_stream
from app.realtime.outbox import UnitOfWork
from app.realtime.protocol import ParticipantMatched
from app.vocabulary import Role


async def match_walk_in(
    uow: UnitOfWork, actor: Actor | None, walk_in_id: uuid.UUID, request: ParticipantMatchRequest
) -> ParticipantRead:
    """Make the walk-in ``walk_in_id`` and the roster entry one person (organisers only).

    - Both are participants (a moderator or observer has a link of their own).
    - The roster entry stays (its id, name, email and links); blanks in it (organisation,
      organisation type, gender, email) are filled from what the walk-in gave.
    - The person sits where the walk-in sits now when placed (that is where their phone is),
      else where the roster puts them; the seat count of no room grows.
    - Refused (409 ``match_conflict``) when both did something one person does once (answered
      the same choice or scale question, upvoted the same answer, agreed to the same finding):
      merging would lose one of them or count it twice.
    - Both entries are locked until commit, so a move or another match racing this one waits and
      then sees one person (a move of the walk-in then finds nobody: 404), never two or none.
    """
    access, _ = await participant_access(uow.session, actor, walk_in_id)
    access.require_organiser()
    if request.roster_entry_id == walk_in_id:
        raise InvalidInput("roster_entry_id: choose someone else on the roster; this is the walk-in")
    locked = await repository.lock_participants(uow.session, [walk_in_id, request.roster_entry_id])
    walk_in = locked.get(walk_in_id)
    if walk_in is None:
        raise NotFound("participant not found")  # matched or erased meanwhile
    entry = locked.get(request.roster_entry_id)
    if entry is None or entry.meeting_id != walk_in.meeting_id:
        raise InvalidInput("roster_entry_id: no such entry on this meeting's roster")
    if walk_in.erased_at is not None or entry.erased_at is not None:
        raise Conflict("an entry whose data was erased cannot be matched", code="erased")
    for person in (walk_in, entry):
        if person.role != Role.PARTICIPANT:
            # A moderator or observer has a link of their own; matching would hand a phone their role.
            raise Conflict(
                f"only participants are matched; {person.display_name} is a {person.role}: send them their own link",
                code="not_a_participant",
            )
    overlaps = await repository.match_overlaps(uow.session, walk_in_id, entry.id)
    if overlaps:
        raise Conflict(
            f"{walk_in.display_name} and {entry.display_name} both answered, upvoted or agreed to the same "
            "thing; one person can do that only once, so they cannot be merged without losing one",
            code="match_conflict",
            details=overlaps,
        )
    room_id = walk_in.room_id if walk_in.room_id is not None else entry.room_id
    await lower_hands(uow, participant_id=walk_in_id)  # the walk-in's entry goes, and their hand with it
    await repository.hand_over_records(uow.session, walk_in_id, entry.id)
    email = walk_in.email
    _fill_blanks(entry, walk_in)
    await uow.session.delete(walk_in)
    await uow.session.flush()  # the walk-in's address and import key are free from here
    if entry.email is None and email is not None:
        entry.email, entry.import_key = email, walk_in.import_key
    await relocate(uow, entry, room_id)
    matched = ParticipantMatched(participant_id=walk_in_id, participant=roster_entry(entry))
    await uow.emit(staff_stream(entry.meeting_id), entry.meeting_id, "participant.matched", matched)
    return participant_read(entry)


def _fill_blanks(entry: Participant, walk_in: Participant) -> None:
    if not entry.organisation:
        entry.organisation = walk_in.organisation
    if entry.organisation_type is None:
        entry.organisation_type = walk_in.organisation_type
    if entry.gender is None:
        entry.gender = walk_in.gender
