"""The plenary: every room's findings and answers merged per theme and question, the organiser's
curation of the cross-room groups, and the projector's navigation.

Who reads it: organisers and moderators at any time; participants and observers once the meeting
is at report-back or closed. Every curation step and every move of the focus bumps the plenary's
version and emits ``plenary.changed`` on the meeting stream; clients refetch on a new version.
The view itself is built and shared by ``app.plenary.shared_view``.
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.access import Actor, MeetingAccess, meeting_access
from app.errors import Forbidden, InvalidInput, NotFound
from app.meetings.models import Meeting
from app.plenary import repository
from app.plenary.disclosure import PEERS, STAFF, Disclosure
from app.plenary.material import Material, load_material
from app.plenary.merge import PlenaryBuilder
from app.plenary.models import CuratedGroup, PlenaryState
from app.plenary.schemas import (
    GroupAccept,
    GroupMerge,
    GroupSplit,
    GroupUpdate,
    PlenaryFocus,
    PlenaryFocusUpdate,
    PlenaryGroupsRead,
    ThemeRename,
)
from app.questions.models import Question
from app.realtime.eventlog import meeting_stream
from app.realtime.outbox import UnitOfWork
from app.realtime.protocol import PlenaryChanged
from app.rooms.models import Room
from app.vocabulary import Phase

OPEN_TO_EVERYONE = (Phase.REPORT_BACK, Phase.CLOSED)


def plenary_disclosure(access: MeetingAccess) -> Disclosure:
    if access.is_staff:
        return STAFF
    if access.meeting.phase not in OPEN_TO_EVERYONE:
        raise Forbidden("the plenary view opens to everyone at report-back", code="plenary_not_open")
    return PEERS


async def _move_on(uow: UnitOfWork, meeting_id: uuid.UUID, **focus: uuid.UUID | int | None) -> PlenaryState:
    """Bump the version (locking the plenary for the rest of the transaction) and tell everyone."""
    state = await repository.bump_version(uow.session, meeting_id, **focus)
    changed = PlenaryChanged(
        room_id=state.focus_room_id, question_id=state.focus_question_id, version=state.version, page=state.focus_page
    )
    await uow.emit(meeting_stream(meeting_id), meeting_id, "plenary.changed", changed)
    return state


async def plenary_content_changed(uow: UnitOfWork, meeting_id: uuid.UUID) -> None:
    """For other features: call when something the plenary shows changed (a finding confirmed,
    an answer hidden) so that projectors and participants refetch it."""
    await _move_on(uow, meeting_id)


async def set_focus(
    uow: UnitOfWork, actor: Actor | None, meeting_id: uuid.UUID, request: PlenaryFocusUpdate
) -> PlenaryFocus:
    access = await meeting_access(uow.session, actor, meeting_id)
    access.require_organiser()
    if request.room_id is not None:
        room = await uow.session.get(Room, request.room_id)
        if room is None or room.meeting_id != meeting_id:
            raise InvalidInput("room_id: no such room in this meeting")
    if request.question_id is not None:
        await require_question(uow.session, meeting_id, request.question_id)
    state = await _move_on(
        uow,
        meeting_id,
        focus_room_id=request.room_id,
        focus_question_id=request.question_id,
        focus_page=request.page,
    )
    return PlenaryFocus(
        room_id=state.focus_room_id, question_id=state.focus_question_id, version=state.version, page=state.focus_page
    )


# --- curation -------------------------------------------------------------------------------


async def require_question(session: AsyncSession, meeting_id: uuid.UUID, question_id: uuid.UUID) -> Question:
    question = await session.get(Question, question_id)
    if question is None or question.meeting_id != meeting_id:
        raise InvalidInput("question_id: no such question in this meeting")
    return question


async def _organiser(uow: UnitOfWork, actor: Actor | None, meeting_id: uuid.UUID) -> Meeting:
    access = await meeting_access(uow.session, actor, meeting_id)
    access.require_organiser()
    return access.meeting


async def _curated(uow: UnitOfWork, meeting_id: uuid.UUID, group_id: uuid.UUID) -> CuratedGroup:
    row = await uow.session.get(CuratedGroup, group_id)
    if row is None or row.meeting_id != meeting_id:
        raise NotFound("no such curated group in this meeting")
    return row


def _present_keys(material: Material, question: Question) -> set[str]:
    return {item.key for item in PlenaryBuilder(material, STAFF).question_items(question)}


def _refuse_absent(keys: list[str], present: set[str], what: str) -> None:
    absent = [key for key in keys if key not in present]
    if absent:
        raise InvalidInput(f"keys: {what}", details={"keys": absent})


async def _groups_after(uow: UnitOfWork, material: Material, question: Question, version: int) -> PlenaryGroupsRead:
    """The question's groups as ``GET /plenary`` will now show them to the organiser."""
    await uow.session.flush()
    material.curated = await repository.curated_groups_of(uow.session, material.meeting.id, question.id)
    plenary = PlenaryBuilder(material, STAFF)
    findings = [finding for finding in plenary.confirmed_findings() if finding.question_id == question.id]
    view = plenary.question(question, findings, plenary.room_participants())
    return PlenaryGroupsRead(
        question_id=question.id, version=version, groups=view.groups, point_themes=view.point_themes
    )


async def _begin(uow: UnitOfWork, meeting: Meeting, question_id: uuid.UUID) -> tuple[int, Material, Question]:
    # The version bump comes first: its row lock serialises the curation steps of one meeting.
    version = (await _move_on(uow, meeting.id)).version
    question = await require_question(uow.session, meeting.id, question_id)
    return version, await load_material(uow.session, meeting, question.id), question


async def accept_group(
    uow: UnitOfWork, actor: Actor | None, meeting_id: uuid.UUID, request: GroupAccept
) -> PlenaryGroupsRead:
    meeting = await _organiser(uow, actor, meeting_id)
    version, material, question = await _begin(uow, meeting, request.question_id)
    keys = sorted(set(request.keys))
    _refuse_absent(keys, _present_keys(material, question), "not answers or confirmed findings of this question")
    # A member belongs to one curated group: accepting it elsewhere takes it out of its old one.
    for row in material.curated:
        remaining = [key for key in row.member_keys if key not in keys]
        if len(remaining) != len(row.member_keys):
            if remaining:
                row.member_keys = remaining
            else:
                await uow.session.delete(row)
    uow.session.add(
        CuratedGroup(
            meeting_id=meeting_id,
            question_id=question.id,
            label=request.label,
            pinned=request.pinned,
            theme_label=_theme_name(request.theme_label),
            member_keys=keys,
        )
    )
    return await _groups_after(uow, material, question, version)


def _theme_name(label: str | None) -> str | None:
    """A theme's name as stored: spaces trimmed; a blank name is refused."""
    if label is None:
        return None
    name = " ".join(label.split())
    if not name:
        raise InvalidInput("theme_label: a theme needs a name")
    return name


async def rename_theme(
    uow: UnitOfWork, actor: Actor | None, meeting_id: uuid.UUID, request: ThemeRename
) -> PlenaryGroupsRead:
    """Every group of the theme keeps the new name as its theme: curated ones are moved to it,
    computed ones accepted as curated groups in it (so the name survives recomputation)."""
    meeting = await _organiser(uow, actor, meeting_id)
    name = _theme_name(request.label)
    version, material, question = await _begin(uow, meeting, request.question_id)
    plenary = PlenaryBuilder(material, STAFF)
    findings = [finding for finding in plenary.confirmed_findings() if finding.question_id == question.id]
    groups = [group for group in plenary.groups(question, findings, 0) if group.theme_id == request.theme_id]
    if not groups:
        raise NotFound("no such theme in this question")
    curated = {str(row.id): row for row in material.curated}
    for group in groups:
        row = curated.get(group.id)
        if row is not None:
            row.theme_label = name
        else:
            uow.session.add(
                CuratedGroup(
                    meeting_id=meeting_id,
                    question_id=question.id,
                    label=None,
                    theme_label=name,
                    member_keys=sorted(member.key for member in group.members),
                )
            )
    return await _groups_after(uow, material, question, version)


async def update_group(
    uow: UnitOfWork, actor: Actor | None, meeting_id: uuid.UUID, group_id: uuid.UUID, request: GroupUpdate
) -> PlenaryGroupsRead:
    meeting = await _organiser(uow, actor, meeting_id)
    row = await _curated(uow, meeting_id, group_id)
    version, material, question = await _begin(uow, meeting, row.question_id)
    if "label" in request.model_fields_set:
        row.label = request.label
    if request.pinned is not None:
        row.pinned = request.pinned
    if "theme_label" in request.model_fields_set:
        row.theme_label = _theme_name(request.theme_label)
    return await _groups_after(uow, material, question, version)


async def split_group(
    uow: UnitOfWork, actor: Actor | None, meeting_id: uuid.UUID, group_id: uuid.UUID, request: GroupSplit
) -> PlenaryGroupsRead:
    meeting = await _organiser(uow, actor, meeting_id)
    row = await _curated(uow, meeting_id, group_id)
    version, material, question = await _begin(uow, meeting, row.question_id)
    present = _present_keys(material, question)
    current = {key for key in row.member_keys if key in present}
    keys = sorted(set(request.keys))
    _refuse_absent(keys, current, "not members of this group")
    if set(keys) == current:
        raise InvalidInput("keys: leave at least one member in the group (or release the group instead)")
    row.member_keys = [key for key in row.member_keys if key not in keys]
    uow.session.add(CuratedGroup(meeting_id=meeting_id, question_id=question.id, label=request.label, member_keys=keys))
    return await _groups_after(uow, material, question, version)


async def merge_groups(
    uow: UnitOfWork, actor: Actor | None, meeting_id: uuid.UUID, group_id: uuid.UUID, request: GroupMerge
) -> PlenaryGroupsRead:
    meeting = await _organiser(uow, actor, meeting_id)
    row = await _curated(uow, meeting_id, group_id)
    if request.group_id == row.id:
        raise InvalidInput("group_id: a group cannot be merged with itself")
    other = await uow.session.get(CuratedGroup, request.group_id)
    if other is None or other.meeting_id != meeting_id:
        raise InvalidInput("group_id: no such curated group in this meeting")
    if other.question_id != row.question_id:
        raise InvalidInput("group_id: only groups of the same question can be merged")
    version, material, question = await _begin(uow, meeting, row.question_id)
    row.member_keys = sorted({*row.member_keys, *other.member_keys})
    row.label = row.label or other.label
    row.pinned = row.pinned or other.pinned
    await uow.session.delete(other)
    return await _groups_after(uow, material, question, version)


async def release_group(
    uow: UnitOfWork, actor: Actor | None, meeting_id: uuid.UUID, group_id: uuid.UUID
) -> PlenaryGroupsRead:
    """Undo the curation: the members go back to the computed groups."""
    meeting = await _organiser(uow, actor, meeting_id)
    row = await _curated(uow, meeting_id, group_id)
    version, material, question = await _begin(uow, meeting, row.question_id)
    await uow.session.delete(row)
    return await _groups_after(uow, material, question, version)
