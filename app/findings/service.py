"""Findings: a room's key points, drafted by its staff, proposed to the room, endorsed by its
participants and confirmed before they go to plenary (draft → proposed → confirmed).

A draft belongs to the room's staff: participants and observers never read its text, neither over
REST nor on the room stream, whose events for a draft carry only the finding's id.
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.access import Actor, MeetingAccess, room_access
from app.database import utcnow
from app.errors import Conflict, Forbidden, InvalidInput, NotAuthenticated, NotFound
from app.findings import repository
from app.findings.models import Endorsement, Finding
from app.findings.schemas import FindingCreate, FindingDetail, FindingRead, FindingSourceAnswer, FindingUpdate
from app.plenary.service import plenary_content_changed
from app.realtime.eventlog import room_stream
from app.realtime.outbox import UnitOfWork
from app.realtime.protocol import FindingChanged, FindingRemoved
from app.vocabulary import FindingStatus, Role


async def _reads(session: AsyncSession, findings: list[Finding]) -> list[FindingRead]:
    ids = [finding.id for finding in findings]
    sources = await repository.source_ids_of(session, ids)
    counts = await repository.endorsement_counts(session, ids)
    return [
        FindingRead(
            id=finding.id,
            room_id=finding.room_id,
            question_id=finding.question_id,
            text=finding.text,
            position=finding.position,
            status=FindingStatus(finding.status),
            answer_ids=sources.get(finding.id, []),
            endorsements=counts.get(finding.id, 0),
            confirmed_at=finding.confirmed_at,
        )
        for finding in findings
    ]


async def _emit(uow: UnitOfWork, finding: Finding, event_type: str) -> FindingRead:
    """Tell the room; a draft's text goes to the room's staff only (``staff_data``)."""
    await uow.session.flush()
    read = (await _reads(uow.session, [finding]))[0]
    full = FindingChanged(finding_id=finding.id, room_id=finding.room_id, finding=read)
    stream = room_stream(finding.room_id)
    if finding.status == FindingStatus.DRAFT:
        withheld = FindingChanged(finding_id=finding.id, room_id=finding.room_id, finding=None)
        await uow.emit(stream, finding.meeting_id, event_type, withheld, staff_data=full)
    else:
        await uow.emit(stream, finding.meeting_id, event_type, full)
    return read


async def _checked_sources(
    session: AsyncSession, room_id: uuid.UUID, question_id: uuid.UUID | None, answer_ids: list[uuid.UUID]
) -> list[uuid.UUID]:
    """The cited answers, once each; every one must be an answer of this room (and question)."""
    wanted = list(dict.fromkeys(answer_ids))
    answers = await repository.answers_by_id(session, wanted)
    foreign = [answer_id for answer_id in wanted if (a := answers.get(answer_id)) is None or a.room_id != room_id]
    if foreign:
        raise InvalidInput(
            "answer_ids: a finding can only cite answers given in its own room",
            details={"answer_ids": [str(answer_id) for answer_id in foreign]},
        )
    if question_id is not None:
        elsewhere = [answer_id for answer_id in wanted if answers[answer_id].question_id != question_id]
        if elsewhere:
            raise InvalidInput(
                "answer_ids: a finding on a question can only cite answers to that question",
                details={"answer_ids": [str(answer_id) for answer_id in elsewhere]},
            )
    return wanted


async def _finding_with_access(
    session: AsyncSession, actor: Actor | None, finding: Finding | None
) -> tuple[MeetingAccess, Finding]:
    """A stranger to the meeting gets the same 404 as for a finding that does not exist."""
    if finding is None:
        raise NotFound("finding not found")
    try:
        access, _ = await room_access(session, actor, finding.room_id)
    except NotFound:
        raise NotFound("finding not found") from None
    return access, finding


async def _writable(uow: UnitOfWork, actor: Actor | None, finding_id: uuid.UUID) -> tuple[MeetingAccess, Finding]:
    if actor is None:
        raise NotAuthenticated("sign in or open your invite link first")
    return await _finding_with_access(uow.session, actor, await repository.finding_for_update(uow.session, finding_id))


def _refuse_if_confirmed(finding: Finding, doing: str) -> None:
    if finding.status == FindingStatus.CONFIRMED:
        raise Conflict(f"this finding is confirmed: it can no longer be {doing}", code="finding_confirmed")


async def draft_finding(
    uow: UnitOfWork, actor: Actor | None, room_id: uuid.UUID, request: FindingCreate
) -> FindingRead:
    access, room = await room_access(uow.session, actor, room_id)
    access.require_room_moderation(room.id)
    if request.question_id is not None and not await repository.is_allocated(uow.session, room.id, request.question_id):
        raise InvalidInput("question_id: this question is not allocated to this room")
    answer_ids = await _checked_sources(uow.session, room.id, request.question_id, request.answer_ids)
    finding = Finding(
        meeting_id=room.meeting_id,
        room_id=room.id,
        question_id=request.question_id,
        text=request.text,
        position=await repository.next_position(uow.session, room.id),
        status=FindingStatus.DRAFT,
        author_id=access.participant.id if access.participant is not None else None,
    )
    uow.session.add(finding)
    await uow.session.flush()
    await repository.replace_sources(uow.session, finding.id, answer_ids)
    return await _emit(uow, finding, "finding.drafted")


async def _move(uow: UnitOfWork, finding: Finding, position: int) -> list[Finding]:
    """Put ``finding`` at ``position`` among its room's findings; returns the others that moved."""
    others = [
        other for other in await repository.findings_of_room(uow.session, finding.room_id) if other is not finding
    ]
    others.insert(min(position, len(others)), finding)
    moved: list[Finding] = []
    for index, other in enumerate(others):
        if other.position != index:
            other.position = index
            if other is not finding:
                moved.append(other)
    return moved


async def edit_finding(
    uow: UnitOfWork, actor: Actor | None, finding_id: uuid.UUID, request: FindingUpdate
) -> FindingRead:
    access, finding = await _writable(uow, actor, finding_id)
    access.require_room_moderation(finding.room_id)
    _refuse_if_confirmed(finding, "edited")
    if request.text is not None and request.text != finding.text:
        finding.text = request.text
        if finding.status == FindingStatus.PROPOSED:
            # The room endorsed the old wording; endorsements must be given to what is now written.
            await repository.clear_endorsements(uow.session, finding.id)
    if request.answer_ids is not None:
        answer_ids = await _checked_sources(uow.session, finding.room_id, finding.question_id, request.answer_ids)
        await repository.replace_sources(uow.session, finding.id, answer_ids)
    moved = await _move(uow, finding, request.position) if request.position is not None else []
    finding.updated_at = utcnow()
    for other in moved:
        await _emit(uow, other, "finding.edited")
    return await _emit(uow, finding, "finding.edited")


async def remove_finding(uow: UnitOfWork, actor: Actor | None, finding_id: uuid.UUID) -> None:
    access, finding = await _writable(uow, actor, finding_id)
    access.require_room_moderation(finding.room_id)
    _refuse_if_confirmed(finding, "removed")
    removed = FindingRemoved(finding_id=finding.id)
    stream, meeting_id = room_stream(finding.room_id), finding.meeting_id
    await uow.session.delete(finding)
    # Everyone hears of it: a participant who never saw a draft just drops an id it does not hold.
    await uow.emit(stream, meeting_id, "finding.removed", removed)


async def propose_finding(uow: UnitOfWork, actor: Actor | None, finding_id: uuid.UUID) -> FindingRead:
    access, finding = await _writable(uow, actor, finding_id)
    access.require_room_moderation(finding.room_id)
    if finding.status != FindingStatus.DRAFT:
        raise Conflict(f"only a draft can be proposed; this finding is {finding.status}", code="finding_not_draft")
    finding.status = FindingStatus.PROPOSED
    finding.updated_at = utcnow()
    return await _emit(uow, finding, "finding.proposed")


async def endorse_finding(uow: UnitOfWork, actor: Actor | None, finding_id: uuid.UUID) -> FindingRead:
    access, finding = await _writable(uow, actor, finding_id)
    access.require_room_read(finding.room_id)
    participant = access.participant
    if access.role is not Role.PARTICIPANT or participant is None or participant.room_id != finding.room_id:
        raise Forbidden("only the room's participants endorse its findings; its staff propose and confirm them")
    if finding.status != FindingStatus.PROPOSED:
        raise Conflict(
            f"only a proposed finding can be endorsed; this one is {finding.status}", code="finding_not_proposed"
        )
    if await repository.has_endorsed(uow.session, finding.id, participant.id):
        raise Conflict("you have already endorsed this finding", code="already_endorsed")
    uow.session.add(Endorsement(finding_id=finding.id, participant_id=participant.id))
    return await _emit(uow, finding, "finding.endorsed")


async def confirm_finding(uow: UnitOfWork, actor: Actor | None, finding_id: uuid.UUID) -> FindingRead:
    access, finding = await _writable(uow, actor, finding_id)
    access.require_room_moderation(finding.room_id)
    if finding.status == FindingStatus.DRAFT:
        raise Conflict(
            "propose this finding to the room first: only a proposed finding can be confirmed",
            code="finding_not_proposed",
        )
    _refuse_if_confirmed(finding, "confirmed again")
    finding.status = FindingStatus.CONFIRMED
    finding.confirmed_at = finding.updated_at = utcnow()
    # The plenary shows confirmed findings: projectors and participants refetch it.
    await plenary_content_changed(uow, finding.meeting_id)
    return await _emit(uow, finding, "finding.confirmed")


async def list_findings(session: AsyncSession, actor: Actor | None, room_id: uuid.UUID) -> list[FindingRead]:
    access, room = await room_access(session, actor, room_id)
    access.require_room_read(room.id)
    findings = await repository.findings_of_room(session, room.id)
    if not access.moderates(room.id):
        findings = [finding for finding in findings if finding.status != FindingStatus.DRAFT]
    return await _reads(session, findings)


async def get_finding(session: AsyncSession, actor: Actor | None, finding_id: uuid.UUID) -> FindingDetail:
    if actor is None:
        raise NotAuthenticated("sign in or open your invite link first")
    access, finding = await _finding_with_access(session, actor, await session.get(Finding, finding_id))
    access.require_room_read(finding.room_id)
    is_room_staff = access.moderates(finding.room_id)
    if finding.status == FindingStatus.DRAFT and not is_room_staff:
        raise NotFound("finding not found")
    read = (await _reads(session, [finding]))[0]
    sources = None
    if is_room_staff:
        sources = [
            FindingSourceAnswer.model_validate(answer, from_attributes=True)
            for answer in await repository.source_answers(session, finding.id)
        ]
    return FindingDetail(**read.model_dump(), sources=sources)
