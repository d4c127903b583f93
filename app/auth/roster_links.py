"""Personal invitation links for the whole roster: made in one call, sent as CSV or a printed sheet."""

from __future__ import annotations

import csv
import io
import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from app.auth import repository
from app.auth.access import Actor, meeting_access
from app.auth.models import Invite
from app.auth.schemas import RosterLink, RosterLinksCreate, RosterLinksRead
from app.auth.service import invite_url
from app.database import utcnow
from app.participants import repository as participants_repository
from app.participants.models import Participant
from app.realtime.outbox import UnitOfWork
from app.rooms import repository as rooms_repository
from app.settings import Settings
from app.vocabulary import Role

ROSTER_LINK_LABEL = "personal link (roster)"
# A spreadsheet treats a cell starting with these as a formula (CWE-1236).
FORMULA_STARTS = ("=", "+", "-", "@")
CSV_HEADER = ("name", "email", "room", "link")


def _usable(invite: Invite, person: Participant) -> bool:
    return invite.participant_id == person.id and invite.role == person.role


async def _links(session: AsyncSession, settings: Settings, meeting_id: uuid.UUID) -> list[RosterLink]:
    rooms = {room.id: room.name for room in await rooms_repository.rooms_of(session, meeting_id)}
    people = {
        person.id: person
        for person in await participants_repository.roster_of(session, meeting_id)
        if person.erased_at is None
    }
    first: dict[uuid.UUID, Invite] = {}
    for invite in await repository.active_personal_invites(session, meeting_id, utcnow()):
        person = people.get(invite.participant_id) if invite.participant_id else None
        if person is not None and _usable(invite, person):
            first.setdefault(person.id, invite)
    links = [
        RosterLink(
            participant_id=person.id,
            display_name=person.display_name,
            email=person.email,
            role=Role(person.role),
            room_name=rooms.get(person.room_id) if person.room_id else None,
            url=invite_url(settings, first[person.id]),
        )
        for person in people.values()
        if person.id in first
    ]
    return sorted(links, key=lambda link: (link.display_name.casefold(), str(link.participant_id)))


async def create_roster_links(
    uow: UnitOfWork, settings: Settings, actor: Actor | None, meeting_id: uuid.UUID, request: RosterLinksCreate
) -> RosterLinksRead:
    """Give every roster entry of the chosen roles a personal link; anyone who has an active one
    keeps it (calling twice creates nothing the second time)."""
    access = await meeting_access(uow.session, actor, meeting_id)
    access.require_organiser()
    await repository.lock_meeting_invites(uow.session, meeting_id)
    roles = set(request.roles)
    people = [
        person
        for person in await participants_repository.roster_of(uow.session, meeting_id)
        if person.erased_at is None and person.role in roles
    ]
    covered = {
        invite.participant_id
        for invite in await repository.active_personal_invites(uow.session, meeting_id, utcnow())
        if any(_usable(invite, person) for person in people if person.id == invite.participant_id)
    }
    created = 0
    for person in people:
        if person.id not in covered:
            uow.session.add(
                Invite(meeting_id=meeting_id, role=person.role, participant_id=person.id, label=ROSTER_LINK_LABEL)
            )
            created += 1
    await uow.session.flush()
    return RosterLinksRead(created=created, links=await _links(uow.session, settings, meeting_id))


async def roster_links(
    session: AsyncSession, settings: Settings, actor: Actor | None, meeting_id: uuid.UUID
) -> RosterLinksRead:
    access = await meeting_access(session, actor, meeting_id)
    access.require_organiser()
    return RosterLinksRead(created=0, links=await _links(session, settings, meeting_id))


def inert_cell(value: str) -> str:
    """A cell a spreadsheet shows as text: line breaks become spaces (a formula may not hide on a
    second line), and a cell whose first visible character would start a formula gets a leading
    apostrophe (whitespace or control characters in front do not hide it)."""
    text = value.replace("\r\n", " ").replace("\r", " ").replace("\n", " ")
    stripped = text.lstrip(" \t\x0b\x0c\x00")
    if stripped.startswith(FORMULA_STARTS) or (text and text[0] in "\t\x0b\x0c\x00"):
        return "'" + text
    return text


def roster_links_csv(read: RosterLinksRead) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for link in read.links:
        writer.writerow(
            inert_cell(cell) for cell in (link.display_name, link.email or "", link.room_name or "", link.url)
        )
    return buffer.getvalue()
