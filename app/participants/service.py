"""Participants: the roster (added by hand, by CSV or by joining), reading it, and erasure."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.access import Actor, meeting_access
from app.auth.repository import ever_signed_in, revoke_sessions_of_participant
from app.auth.schemas import JoinRequest
from app.database import utcnow
from app.errors import Conflict, Forbidden, NotFound
from app.hands.service import lower_hands
from app.meetings.models import Meeting
from app.participants import repository
from app.participants.models import Erasure, Participant
from app.participants.roster import emit_roster, participant_access, participant_read, unique_pseudonym
from app.participants.roster import new_pseudonym as new_pseudonym  # the demo and sign-in import these from here
from app.participants.roster import roster_entry as roster_entry
from app.participants.roster_csv import RosterRow, import_key_for, parse_roster_csv
from app.participants.schemas import (
    ErasureRequest,
    ImportReport,
    ImportRowError,
    ParticipantCreate,
    ParticipantRead,
    ParticipantUpdate,
)
from app.participants.seating import (
    drop_moderation,
    register_moderator,
    relocate,
    require_free_seat,
    require_seat,
    room_of_meeting,
    takes_a_seat,
)
from app.realtime.eventlog import staff_stream
from app.realtime.outbox import UnitOfWork
from app.realtime.protocol import ParticipantErased, RosterEntry
from app.rooms import repository as rooms_repository
from app.rooms.models import Room
from app.vocabulary import JoinedBy, Role


async def roster_entry_to_claim(session: AsyncSession, meeting_id: uuid.UUID, email: str | None) -> Participant | None:
    """The roster entry that a person joining with the code or an open link is, or None.

    The rule, so that nobody takes over someone else's entry by typing who they are:

    - only the **email address** the organiser's roster holds identifies a person; a name, or a
      name and organisation, never does (anyone in the meeting sees or can guess them);
    - only an entry with the role **participant** (a code never makes anyone a moderator or
      observer), not erased;
    - only an **unclaimed** entry: nobody has ever signed in as it (with a personal link or an
      earlier join). Once someone has, a later join with the same address becomes a walk-in of
      its own, which the organiser can match to the entry by hand; so a typed address can never
      join a person already in the meeting or share their session.

    The entry is locked until commit, so two joins racing for it cannot both take it.
    """
    if not email:
        return None
    holders = await repository.by_email_for_update(session, meeting_id, email)
    if len(holders) != 1:
        return None  # nobody, or an address the roster gives to several people: not an identity
    person = holders[0]
    if person.role != Role.PARTICIPANT or person.erased_at is not None:
        return None
    if await ever_signed_in(session, person.id):
        return None
    return person


async def join_participant(
    uow: UnitOfWork,
    meeting: Meeting,
    request: JoinRequest,
    *,
    role: Role,
    room_id: uuid.UUID | None,
    joined_by: JoinedBy,
) -> Participant:
    """The roster entry of a person who opened an open invite link or typed the code: theirs
    when the roster identifies them (``roster_entry_to_claim``), else a new walk-in entry."""
    claimed = await roster_entry_to_claim(uow.session, meeting.id, request.email) if role is Role.PARTICIPANT else None
    if claimed is None:
        return await add_joined_participant(uow, meeting, request, role=role, room_id=room_id, joined_by=joined_by)
    if claimed.room_id is None and room_id is not None:
        # The roster's placement stands; a link that names a room seats someone who has none.
        await require_free_seat(uow.session, await room_of_meeting(uow.session, meeting.id, room_id))
        await relocate(uow, claimed, room_id)
    return claimed


async def add_joined_participant(
    uow: UnitOfWork,
    meeting: Meeting,
    request: JoinRequest,
    *,
    role: Role,
    room_id: uuid.UUID | None,
    joined_by: JoinedBy,
) -> Participant:
    """A walk-in: someone who opened an open invite link (or typed the code) and whom the roster
    does not identify. A link that names a room seats them there (refused when it is full); a
    moderator link makes them its moderator. An address they give is kept when no entry of the
    meeting has it yet (a later roster import with it then updates this entry)."""
    room = await room_of_meeting(uow.session, meeting.id, room_id) if room_id is not None else None
    if room is not None and role is Role.PARTICIPANT:
        await require_free_seat(uow.session, room)
    participant = Participant(
        meeting_id=meeting.id,
        display_name=request.display_name or "",
        pseudonym=await unique_pseudonym(uow.session, meeting.id),
        organisation=request.organisation,
        organisation_type=request.organisation_type,
        gender=request.gender,
        role=role,
        room_id=room_id,
        joined_by=joined_by,
    )
    if request.email:
        key = import_key_for("", "", request.email)
        taken = await repository.import_key_taken(uow.session, meeting.id, key, None)
        if not taken and not await repository.by_email_for_update(uow.session, meeting.id, request.email):
            participant.email = request.email.strip().lower()
            participant.import_key = key
    uow.session.add(participant)
    await uow.session.flush()
    if room is not None and role is Role.MODERATOR:
        await register_moderator(uow, room, participant)
    await emit_roster(uow, participant, "participant.joined")
    return participant


async def list_participants(
    session: AsyncSession, actor: Actor | None, meeting_id: uuid.UUID
) -> list[ParticipantRead] | list[RosterEntry]:
    """Organisers get every entry in full; moderators get the names, organisations, roles and rooms
    of the people in their rooms (and of their rooms' moderators); nobody else sees the roster."""
    access = await meeting_access(session, actor, meeting_id)
    if access.is_organiser:
        return [participant_read(person) for person in await repository.roster_of(session, meeting_id)]
    if access.role is Role.MODERATOR:
        people = await repository.roster_of_rooms(session, meeting_id, access.moderated_room_ids)
        return [roster_entry(person) for person in people]
    raise Forbidden("only the organisers and moderators see the roster")


async def get_participant(session: AsyncSession, actor: Actor | None, participant_id: uuid.UUID) -> ParticipantRead:
    access, person = await participant_access(session, actor, participant_id)
    if not access.is_organiser and (access.participant is None or access.participant.id != person.id):
        raise Forbidden("only the organisers see other people's roster entries")
    return participant_read(person)


async def my_participant(session: AsyncSession, actor: Actor | None, meeting_id: uuid.UUID) -> ParticipantRead:
    """The caller's own entry, with their own email and gender."""
    await meeting_access(session, actor, meeting_id)
    participant_id = actor.participant_id if actor is not None else None
    person = await session.get(Participant, participant_id) if participant_id is not None else None
    if person is None or person.meeting_id != meeting_id or person.erased_at is not None:
        raise NotFound("you have no entry on this meeting's roster")
    return participant_read(person)


async def _check_identity_free(session: AsyncSession, person: Participant) -> None:
    person.import_key = import_key_for(person.display_name, person.organisation, person.email)
    if await repository.import_key_taken(session, person.meeting_id, person.import_key, person.id):
        same = "email" if person.email else "name and organisation"
        raise Conflict(f"someone on the roster has the same {same} already", code="participant_exists")


async def add_participant(
    uow: UnitOfWork, actor: Actor | None, meeting_id: uuid.UUID, request: ParticipantCreate
) -> ParticipantRead:
    """Add someone to the roster; a moderator given a room also moderates it (as in the CSV import)."""
    access = await meeting_access(uow.session, actor, meeting_id)
    access.require_organiser()
    person = Participant(
        id=uuid.uuid4(),
        meeting_id=meeting_id,
        display_name=request.display_name.strip(),
        pseudonym=await unique_pseudonym(uow.session, meeting_id),
        email=request.email.lower() if request.email else None,
        organisation=request.organisation.strip(),
        organisation_type=request.organisation_type,
        gender=request.gender,
        role=request.role,
    )
    await _check_identity_free(uow.session, person)
    room = await room_of_meeting(uow.session, meeting_id, request.room_id) if request.room_id else None
    if room is not None:
        await require_seat(uow.session, room, person)
        person.room_id = room.id
    uow.session.add(person)
    await uow.session.flush()
    await emit_roster(uow, person, "participant.joined")
    if room is not None and person.role == Role.MODERATOR:
        await register_moderator(uow, room, person)
    return participant_read(person)


async def update_participant(
    uow: UnitOfWork, actor: Actor | None, participant_id: uuid.UUID, request: ParticipantUpdate
) -> ParticipantRead:
    access, person = await participant_access(uow.session, actor, participant_id)
    access.require_organiser()
    if person.erased_at is not None:
        raise Conflict("this person's data was erased; their entry cannot change", code="erased")
    sent = request.model_fields_set
    if request.display_name is not None:
        person.display_name = request.display_name.strip()
    if "email" in sent:
        person.email = request.email.lower() if request.email else None
    if request.organisation is not None:
        person.organisation = request.organisation.strip()
    if "organisation_type" in sent:
        person.organisation_type = request.organisation_type
    if "gender" in sent:
        person.gender = request.gender
    await _check_identity_free(uow.session, person)
    if request.role is not None and request.role != person.role:
        if request.role == Role.PARTICIPANT and person.room_id is not None:
            # Becoming a participant takes a seat in the room they are in already.
            await require_free_seat(uow.session, await room_of_meeting(uow.session, person.meeting_id, person.room_id))
        person.role = request.role
        if request.role != Role.MODERATOR:
            await drop_moderation(uow, person)
    if "room_id" in sent and request.room_id != person.room_id:
        if request.room_id is not None:
            await require_seat(
                uow.session, await room_of_meeting(uow.session, person.meeting_id, request.room_id), person
            )
        await relocate(uow, person, request.room_id)
    await emit_roster(uow, person)
    return participant_read(person)


async def erase_participant(
    uow: UnitOfWork, actor: Actor | None, participant_id: uuid.UUID, request: ErasureRequest
) -> ParticipantRead:
    """Blank the person's personal data and sign them out. Their answers stay, under the pseudonym."""
    access, person = await participant_access(uow.session, actor, participant_id)
    access.require_organiser()
    if person.erased_at is not None:
        raise Conflict(f"this person's data was erased already on {person.erased_at:%Y-%m-%d}", code="already_erased")
    assert actor is not None and actor.account_id is not None  # organisers always sign in with an account
    now = utcnow()
    person.display_name = person.pseudonym
    person.email = None
    person.gender = None
    person.organisation = ""
    person.organisation_type = None
    # The key is made of the email or the name, so it is personal data too. A later import of a file
    # that still lists the person adds them as someone new.
    person.import_key = None
    person.erased_at = now
    uow.revoke_sessions(await revoke_sessions_of_participant(uow.session, person.id, now))
    await drop_moderation(uow, person)
    await lower_hands(uow, participant_id=person.id)
    erasure = Erasure(
        meeting_id=person.meeting_id,
        participant_id=person.id,
        erased_by=actor.account_id,
        reason=request.reason.strip(),
    )
    uow.session.add(erasure)
    erased = ParticipantErased(participant_id=person.id, pseudonym=person.pseudonym)
    await uow.emit(staff_stream(person.meeting_id), person.meeting_id, "participant.erased", erased)
    return participant_read(person)


async def import_participants_csv(
    uow: UnitOfWork, actor: Actor | None, meeting_id: uuid.UUID, csv_text: str
) -> ImportReport:
    """Import a roster file (``name,email,organisation,gender,role,room``, optionally
    ``organisation_type``) in the caller's transaction.

    Valid rows are added, or update the entry they match by email (else by name and organisation),
    so re-importing a corrected file makes no duplicates; invalid rows are reported by line and
    skipped. Rows take seats in file order: when a room is full, the later rows are refused.
    A moderator row with a room also makes them that room's moderator.
    """
    access = await meeting_access(uow.session, actor, meeting_id)
    access.require_organiser()
    await rooms_repository.lock_rooms_of(uow.session, meeting_id)
    rooms = {room.id: room for room in await rooms_repository.rooms_of(uow.session, meeting_id)}
    roster_file = parse_roster_csv(csv_text, {room.name.casefold(): room.id for room in rooms.values()})
    errors = list(roster_file.errors)
    known = await repository.by_import_key(uow.session, meeting_id)
    seats = await rooms_repository.seats_taken_by_room(uow.session, meeting_id)
    pseudonyms = await repository.pseudonyms_of(uow.session, meeting_id)
    imported = updated = unchanged = 0
    for row in roster_file.rows:
        person = known.get(row.import_key)
        old_seat = person.room_id if person is not None and takes_a_seat(person) else None
        new_seat = row.room_id if row.role == Role.PARTICIPANT else None
        if new_seat is not None and new_seat != old_seat:
            room = rooms[new_seat]
            if room.capacity is not None and seats.get(room.id, 0) >= room.capacity:
                reason = f"room {room.name!r} is full ({room.capacity} seats)"
                errors.append(ImportRowError(line=row.line, column="room", reason=reason))
                continue
            seats[room.id] = seats.get(room.id, 0) + 1
        if old_seat is not None and old_seat != new_seat:
            seats[old_seat] -= 1
        if person is None:
            person = Participant(
                id=uuid.uuid4(),
                meeting_id=meeting_id,
                pseudonym=await unique_pseudonym(uow.session, meeting_id, pseudonyms),
                import_key=row.import_key,
                room_id=row.room_id,
            )
            _copy_row(person, row, with_organisation_type=True)
            uow.session.add(person)
            await emit_roster(uow, person, "participant.joined")
            imported += 1
            if row.role == Role.MODERATOR and row.room_id is not None:
                await _moderate(uow, rooms[row.room_id], person)
            continue
        was_moderator = person.role == Role.MODERATOR
        changed = _copy_row(person, row, with_organisation_type=roster_file.has_organisation_type)
        if was_moderator and row.role != Role.MODERATOR:
            await drop_moderation(uow, person)
        changed = await relocate(uow, person, row.room_id) or changed
        if row.role == Role.MODERATOR and row.room_id is not None:
            changed = await _moderate(uow, rooms[row.room_id], person) or changed
        if changed:
            await emit_roster(uow, person)
            updated += 1
        else:
            unchanged += 1
    errors.sort(key=lambda error: error.line)
    return ImportReport(
        imported=imported,
        updated=updated,
        unchanged=unchanged,
        rejected=len({error.line for error in errors}),
        errors=errors,
    )


def _copy_row(person: Participant, row: RosterRow, *, with_organisation_type: bool) -> bool:
    """Set the entry's fields from the row (not the room); True when something changed."""
    values: dict[str, object] = {
        "joined_by": JoinedBy.ROSTER,  # a walk-in the file lists is on the roster from now on
        "display_name": row.display_name,
        "email": row.email,
        "organisation": row.organisation,
        "gender": row.gender,
        "role": row.role,
    }
    if with_organisation_type:
        values["organisation_type"] = row.organisation_type
    changed = False
    for name, value in values.items():
        if getattr(person, name) != value:
            setattr(person, name, value)
            changed = True
    return changed


async def _moderate(uow: UnitOfWork, room: Room, person: Participant) -> bool:
    before = await rooms_repository.rooms_moderated_by(uow.session, person.id)
    if room.id in before:
        return False
    await register_moderator(uow, room, person)
    return True
