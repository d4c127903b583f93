"""Staging the reference meeting: the organiser's account, the meeting from the shipped template,
its 45 people in their rooms, and the links to walk in as each role.

Everything is written in one unit of work: a staging that fails leaves nothing behind, and a
second staging finds the first one's meeting (by its title, for that organiser) and returns its
links instead of making another.
"""

from __future__ import annotations

import re
import secrets
import uuid
from collections.abc import Callable
from importlib import resources

from app.auth import repository as auth_repository
from app.auth.access import Actor
from app.auth.models import Account
from app.auth.schemas import InviteCreate
from app.auth.service import create_account, create_invite, invite_url, organiser_link
from app.database import Database
from app.demo import repository
from app.demo.people import DemoPerson, demo_people
from app.demo.schemas import DemoLinks, ModeratorLink, PersonLink
from app.errors import InvalidInput
from app.meetings.models import Meeting
from app.participants.models import Participant
from app.participants.service import new_pseudonym, roster_entry
from app.realtime.bus import Bus
from app.realtime.eventlog import staff_stream
from app.realtime.outbox import UnitOfWork, unit_of_work
from app.realtime.protocol import RosterChanged
from app.rooms.models import Room, RoomModerator
from app.rooms.service import emit_room
from app.settings import Settings
from app.templates.document import TemplateFormat, parse_template
from app.templates.schemas import MeetingTemplate
from app.templates.service import import_template
from app.vocabulary import EMAIL_PATTERN, Role

__all__ = ["DEFAULT_ORGANISER_EMAIL", "DemoLinks", "Progress", "reference_template", "stage_reference_meeting"]

DEFAULT_ORGANISER_EMAIL = "demo@breakouts.local"
REFERENCE_TEMPLATE = "reference-meeting.yaml"
# Enough to try the participant's view from a few rooms without typing a name.
PERSONAL_PARTICIPANT_LINKS = 3

Progress = Callable[[str, int, int], None]


def _quiet(step: str, done: int, total: int) -> None:
    return None


def reference_template() -> MeetingTemplate:
    """The reference meeting of the design, as shipped in the package."""
    data = resources.files("app.demo").joinpath(REFERENCE_TEMPLATE).read_bytes()
    return parse_template(data, TemplateFormat.YAML)


async def _organiser_account(uow: UnitOfWork, email: str) -> tuple[Account, str | None]:
    account = await auth_repository.account_by_email(uow.session, email)
    if account is not None:
        return account, None
    password = secrets.token_urlsafe(12)
    return await create_account(uow.session, email, "Demo organiser", password), password


def _participant(meeting: Meeting, person: DemoPerson, rooms: list[Room], pseudonyms: set[str]) -> Participant:
    pseudonym = new_pseudonym()
    while pseudonym in pseudonyms:
        pseudonym = new_pseudonym()
    pseudonyms.add(pseudonym)
    return Participant(
        id=uuid.uuid4(),
        meeting_id=meeting.id,
        display_name=person.display_name,
        pseudonym=pseudonym,
        email=person.email,
        organisation=person.organisation,
        organisation_type=person.organisation_type,
        gender=person.gender,
        role=person.role,
        room_id=rooms[person.room].id if person.room is not None else None,
    )


async def _add_people(uow: UnitOfWork, meeting: Meeting, people: list[DemoPerson], progress: Progress) -> None:
    """The roster with its rooms and moderators, and the events staff and rooms would have seen."""
    rooms = await repository.rooms_of(uow.session, meeting.id)
    pseudonyms: set[str] = set()
    participants = [_participant(meeting, person, rooms, pseudonyms) for person in people]
    uow.session.add_all(participants)
    await uow.session.flush()
    for person, participant in zip(people, participants, strict=True):
        if person.role is Role.MODERATOR and participant.room_id is not None:
            uow.session.add(RoomModerator(room_id=participant.room_id, participant_id=participant.id))
    await uow.session.flush()
    for done, participant in enumerate(participants, start=1):
        joined = RosterChanged(participant=roster_entry(participant))
        await uow.emit(staff_stream(meeting.id), meeting.id, "participant.joined", joined)
        progress("people", done, len(participants))
    for room in rooms:
        await emit_room(uow, room)  # its moderators


async def _personal_link(uow: UnitOfWork, settings: Settings, actor: Actor, person: Participant, label: str) -> str:
    invite = await repository.personal_invite(uow.session, person.id)
    if invite is not None:
        return invite_url(settings, invite)
    request = InviteCreate.model_validate(
        {"role": person.role, "room_id": person.room_id, "participant_id": person.id, "label": label}
    )
    return (await create_invite(uow, settings, actor, person.meeting_id, request)).url


async def _open_join_link(uow: UnitOfWork, settings: Settings, actor: Actor, meeting: Meeting) -> str:
    invite = await repository.open_invite(uow.session, meeting.id, Role.PARTICIPANT)
    if invite is not None:
        return invite_url(settings, invite)
    request = InviteCreate(role="participant", label="Open join link")
    return (await create_invite(uow, settings, actor, meeting.id, request)).url


async def _linked_people(uow: UnitOfWork, meeting: Meeting) -> tuple[list[Participant], list[Participant]]:
    """The policy lead and a few participants, one per room: the ones linked before, else chosen now."""
    session = uow.session
    leads = await repository.people_with_personal_links(session, meeting.id, Role.OBSERVER)
    participants = await repository.people_with_personal_links(session, meeting.id, Role.PARTICIPANT)
    roster = await repository.roster_of(session, meeting.id)
    if not leads:
        leads = [person for person in roster if person.role == Role.OBSERVER][:1]
    if not participants:
        first_in_room: dict[uuid.UUID, Participant] = {}
        for person in roster:
            if person.role == Role.PARTICIPANT and person.room_id is not None:
                first_in_room.setdefault(person.room_id, person)
        participants = list(first_in_room.values())[:PERSONAL_PARTICIPANT_LINKS]
    return leads, participants


async def _links(
    uow: UnitOfWork, settings: Settings, account: Account, meeting: Meeting, progress: Progress
) -> DemoLinks:
    actor = Actor(account_id=account.id)
    room_names = {room.id: room.name for room in await repository.rooms_of(uow.session, meeting.id)}
    moderators = await repository.moderators_by_room(uow.session, meeting.id)
    leads, participants = await _linked_people(uow, meeting)
    total = len(moderators) + len(leads) + len(participants) + 2
    done = 0

    async def personal(person: Participant, label: str) -> PersonLink:
        nonlocal done
        url = await _personal_link(uow, settings, actor, person, label)
        done += 1
        progress("links", done, total)
        room_name = room_names.get(person.room_id) if person.room_id is not None else None
        return PersonLink(display_name=person.display_name, room_name=room_name, url=url)

    organiser_url = await organiser_link(uow, settings, account, meeting)
    moderator_links = []
    for room, moderator in moderators:
        link = await personal(moderator, f"{room.name} moderator")
        moderator_links.append(ModeratorLink(room_name=room.name, moderator_name=link.display_name, url=link.url))
    lead_links = [await personal(lead, "policy lead") for lead in leads]
    participant_links = [await personal(person, "demo participant") for person in participants]
    join_url = await _open_join_link(uow, settings, actor, meeting)
    progress("links", total, total)
    return DemoLinks(
        meeting_id=meeting.id,
        title=meeting.title,
        created=False,
        organiser_email=account.email,
        organiser_password=None,
        organiser_link=organiser_url,
        moderator_links=moderator_links,
        policy_lead_link=lead_links[0] if lead_links else None,
        participant_join_link=join_url,
        join_code=meeting.join_code,
        participant_links=participant_links,
    )


async def stage_reference_meeting(
    database: Database,
    bus: Bus,
    settings: Settings,
    *,
    organiser_email: str = DEFAULT_ORGANISER_EMAIL,
    progress: Progress | None = None,
) -> DemoLinks:
    """Stage the reference meeting for ``organiser_email`` (made if absent), or find it staged."""
    if not re.fullmatch(EMAIL_PATTERN, organiser_email):
        raise InvalidInput(f"organiser_email: {organiser_email!r} is not an e-mail address")
    report = progress or _quiet
    template = reference_template()
    async with unit_of_work(database.write_sessions, bus) as uow:
        account, password = await _organiser_account(uow, organiser_email)
        report("organiser account", 1, 1)
        meeting = await repository.meeting_titled(uow.session, account.id, template.meeting.title)
        created = meeting is None
        if meeting is None:
            view = await import_template(uow, Actor(account_id=account.id), template)
            meeting = await uow.session.get(Meeting, view.id)
            assert meeting is not None
            report("meeting", 1, 1)
            await _add_people(uow, meeting, demo_people(), report)
        else:
            report("meeting", 1, 1)
        links = await _links(uow, settings, account, meeting, report)
    return links.model_copy(update={"created": created, "organiser_password": password})


async def another_organiser_link(database: Database, bus: Bus, settings: Settings, links: DemoLinks) -> str:
    """A new sign-in link for the staged meeting's organiser: each opens once, so whoever else
    signs in (the simulation, a test) takes one of its own and leaves the printed one unspent."""
    async with unit_of_work(database.write_sessions, bus) as uow:
        account = await auth_repository.account_by_email(uow.session, links.organiser_email)
        meeting = await uow.session.get(Meeting, links.meeting_id)
        if account is None or meeting is None:
            raise InvalidInput("the staged meeting or its organiser is gone")
        return await organiser_link(uow, settings, account, meeting)
