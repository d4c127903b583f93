"""Questions in rooms: which rooms take a question, in what order, and its state there.

Per room a question goes pending → live → closed, at most one live at a time (the database
enforces that too, with a partial unique index). Pushing is allowed during ``breakouts`` only:
that is the phase in which people sit in their rooms and their phones show the room's question
(in lobby and plenary a phone shows the agenda, so a question pushed then would be live for
nobody). Answers are taken in ``plenary`` too, for a question still live when a round closed
elsewhere. When the rooms close (or the meeting does) every live question is closed by the
server, with its ``question.closed`` event. Closing is allowed in any phase, so moderators can
tidy up after the rooms closed. Pushing a question that is already live, or closing one already
closed, changes nothing and returns it.
"""

from __future__ import annotations

import uuid

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.answers import repository as answers_repository
from app.answers.groups import emit_groups, is_groupable, publish_groups
from app.answers.progress import emit_progress
from app.answers.tally import emit_tally
from app.answers.views import PEERS, STAFF, answer_views, context_of
from app.auth.access import Actor, room_access
from app.database import utcnow
from app.errors import Conflict, InvalidInput, NotFound
from app.meetings.models import Meeting
from app.questions import repository
from app.questions.models import Allocation, Question
from app.questions.schemas import AllocationRead, AllocationsUpdate, RoomQuestionOrder, RoomQuestionsRead
from app.questions.service import (
    emit_room_questions,
    question_access,
    question_label,
    question_read,
    room_questions_read,
)
from app.realtime.eventlog import room_stream
from app.realtime.outbox import UnitOfWork
from app.realtime.protocol import QuestionClosed, QuestionPushed
from app.rooms.models import Room
from app.vocabulary import Phase, QuestionState, Visibility

ANSWERING_PHASES = (Phase.PLENARY, Phase.BREAKOUTS)
PUSHING_PHASES = (Phase.BREAKOUTS,)


def require_answering_phase(meeting: Meeting, doing: str) -> None:
    if meeting.phase not in ANSWERING_PHASES:
        raise Conflict(
            f"{doing} only during plenary or breakouts; the meeting is in {meeting.phase}",
            code="wrong_phase",
            details={"phase": meeting.phase, "allowed": [phase.value for phase in ANSWERING_PHASES]},
        )


async def set_allocations(
    uow: UnitOfWork, actor: Actor | None, question_id: uuid.UUID, request: AllocationsUpdate
) -> list[AllocationRead]:
    """Allocate the question to exactly these rooms; allocations kept keep their state and order."""
    access, question = await question_access(uow.session, actor, question_id)
    access.require_organiser()
    wanted = list(dict.fromkeys(request.room_ids))
    if len(wanted) != len(request.room_ids):
        raise InvalidInput("room_ids: each room may be named once")
    rooms = {room.id for room in await repository.rooms_of_meeting(uow.session, question.meeting_id, wanted)}
    unknown = [room_id for room_id in wanted if room_id not in rooms]
    if unknown:
        raise InvalidInput(f"room_ids: no room {unknown[0]} in this meeting")
    current = {
        allocation.room_id: allocation
        for allocation in await repository.allocations_of_question(uow.session, question.id)
    }
    removed = [allocation for room_id, allocation in current.items() if room_id not in rooms]
    for allocation in removed:
        room = await uow.session.get(Room, allocation.room_id)
        room_name = room.name if room is not None else str(allocation.room_id)
        if allocation.state == QuestionState.LIVE:
            raise Conflict(
                f"question {question_label(question)} is live in room {room_name}; close it there first",
                code="allocation_live",
                details={"room_id": str(allocation.room_id)},
            )
        if await repository.has_answers(uow.session, question.id, allocation.room_id):
            raise Conflict(
                f"question {question_label(question)} has answers in room {room_name}; "
                "removing it there would lose them",
                code="allocation_answered",
                details={"room_id": str(allocation.room_id)},
            )
    for allocation in removed:
        await uow.session.delete(allocation)
    added = [room_id for room_id in wanted if room_id not in current]
    try:
        for room_id in added:
            position = await repository.next_room_position(uow.session, room_id)
            uow.session.add(Allocation(room_id=room_id, question_id=question.id, position=position))
            await uow.session.flush()
        await uow.session.flush()
    except IntegrityError:
        # Two organisers allocating the same question to the same room at once.
        raise Conflict("the allocations changed at the same moment; reload and try again") from None
    for room_id in [allocation.room_id for allocation in removed] + added:
        await emit_room_questions(uow, question.meeting_id, room_id)
    allocations = {
        allocation.room_id: allocation
        for allocation in await repository.allocations_of_question(uow.session, question.id)
    }
    return [AllocationRead.model_validate(allocations[room_id]) for room_id in wanted]


async def room_questions(session: AsyncSession, actor: Actor | None, room_id: uuid.UUID) -> RoomQuestionsRead:
    access, _ = await room_access(session, actor, room_id)
    access.require_room_read(room_id)
    return await room_questions_read(session, room_id)


async def order_room_questions(
    uow: UnitOfWork, actor: Actor | None, room_id: uuid.UUID, request: RoomQuestionOrder
) -> RoomQuestionsRead:
    access, room = await room_access(uow.session, actor, room_id)
    access.require_room_moderation(room_id)
    allocations = {
        allocation.question_id: allocation for allocation, _ in await repository.room_questions(uow.session, room_id)
    }
    if len(set(request.question_ids)) != len(request.question_ids):
        raise InvalidInput("question_ids: each question may be named once")
    if set(request.question_ids) != set(allocations):
        missing = len(set(allocations) - set(request.question_ids))
        extra = len(set(request.question_ids) - set(allocations))
        raise InvalidInput(
            f"question_ids: list every question allocated to this room exactly once "
            f"({missing} missing, {extra} not allocated here)"
        )
    for position, question_id in enumerate(request.question_ids):
        allocations[question_id].position = position
    await uow.session.flush()
    return await emit_room_questions(uow, room.meeting_id, room_id)


async def _room_allocation(
    uow: UnitOfWork, actor: Actor | None, room_id: uuid.UUID, question_id: uuid.UUID
) -> tuple[Meeting, Allocation, Question]:
    access, _ = await room_access(uow.session, actor, room_id)
    access.require_room_moderation(room_id)
    allocation = await repository.allocation_of(uow.session, room_id, question_id)
    question = await uow.session.get(Question, question_id)
    if allocation is None or question is None:
        raise NotFound("this question is not allocated to this room")
    return access.meeting, allocation, question


async def _refuse_other_live(uow: UnitOfWork, room_id: uuid.UUID) -> None:
    live = await repository.live_allocation(uow.session, room_id)
    if live is None:
        return
    other = await uow.session.get(Question, live.question_id)
    label = question_label(other) if other is not None else str(live.question_id)
    raise Conflict(
        f"question {label} is live in this room; close it before pushing another",
        code="another_question_live",
        details={"live_question_id": str(live.question_id)},
    )


async def push_question(
    uow: UnitOfWork, actor: Actor | None, room_id: uuid.UUID, question_id: uuid.UUID
) -> AllocationRead:
    meeting, allocation, question = await _room_allocation(uow, actor, room_id, question_id)
    if allocation.state == QuestionState.LIVE:
        return AllocationRead.model_validate(allocation)
    # The room's row, locked (PostgreSQL): a push and the room's finishing take effect one after
    # the other, so no question stays live in a room finished at the same moment.
    room = await uow.session.get(Room, room_id, with_for_update=True, populate_existing=True)
    if room is not None and room.finished_at is not None:
        raise Conflict("this room was finished early; open it again before pushing a question", code="room_finished")
    if allocation.state == QuestionState.CLOSED:
        raise Conflict(
            f"question {question_label(question)} is closed in this room; it cannot go live again",
            code="question_closed",
        )
    if meeting.phase not in PUSHING_PHASES:
        raise Conflict(
            f"questions can be pushed only while the rooms are open (breakouts); the meeting is in {meeting.phase}",
            code="wrong_phase",
            details={"phase": meeting.phase, "allowed": [phase.value for phase in PUSHING_PHASES]},
        )
    await _refuse_other_live(uow, room_id)
    try:
        # Two moderators pushing at once: the partial unique index lets one through.
        async with uow.session.begin_nested():
            allocation.state = QuestionState.LIVE
            allocation.pushed_at = utcnow()
            await uow.session.flush()
    except IntegrityError:
        with uow.session.no_autoflush:
            await _refuse_other_live(uow, room_id)
        raise Conflict(
            "another question went live in this room at the same moment", code="another_question_live"
        ) from None
    read = AllocationRead.model_validate(allocation)
    await uow.emit(
        room_stream(room_id),
        meeting.id,
        "question.pushed",
        QuestionPushed(allocation=read, question=question_read(question)),
    )
    await emit_progress(uow, meeting.id, room_id)
    await emit_tally(uow, meeting.id, room_id, question)
    return read


async def close_question(
    uow: UnitOfWork, actor: Actor | None, room_id: uuid.UUID, question_id: uuid.UUID
) -> AllocationRead:
    """Close the question in the room; one shown only after close reveals its answers now."""
    meeting, allocation, question = await _room_allocation(uow, actor, room_id, question_id)
    if allocation.state == QuestionState.CLOSED:
        return AllocationRead.model_validate(allocation)
    if allocation.state == QuestionState.PENDING:
        raise Conflict(
            f"question {question_label(question)} has not been pushed in this room", code="question_not_live"
        )
    return await close_allocation(uow, meeting.id, allocation, question)


async def close_live_questions(uow: UnitOfWork, meeting_id: uuid.UUID) -> int:
    """Close every question live in the meeting's rooms (the rooms closed, or the meeting did)."""
    live = await repository.live_allocations_of_meeting(uow.session, meeting_id)
    for allocation, question in live:
        await close_allocation(uow, meeting_id, allocation, question)
    return len(live)


async def close_allocation(
    uow: UnitOfWork, meeting_id: uuid.UUID, allocation: Allocation, question: Question
) -> AllocationRead:
    """Close a live allocation and tell its room (with the answers when they are shown only now)."""
    room_id = allocation.room_id
    allocation.state = QuestionState.CLOSED
    allocation.closed_at = utcnow()
    await uow.session.flush()
    read = AllocationRead.model_validate(allocation)
    peers = QuestionClosed(allocation=read)
    staff = None
    if question.visibility == Visibility.AFTER_CLOSE:
        answers = await answers_repository.answers_of_room(uow.session, room_id, question.id)
        contexts = {question.id: await context_of(uow.session, room_id, question)}
        peers = QuestionClosed(allocation=read, answers=await answer_views(uow.session, answers, contexts, PEERS))
        staff = QuestionClosed(allocation=read, answers=await answer_views(uow.session, answers, contexts, STAFF))
    await uow.emit(room_stream(room_id), meeting_id, "question.closed", peers, staff_data=staff)
    await emit_progress(uow, meeting_id, room_id)
    if question.visibility == Visibility.AFTER_CLOSE:  # the results are shown to the room now
        await emit_tally(uow, meeting_id, room_id, question)
        await emit_groups(uow, meeting_id, room_id, question)
    return read


async def set_grouping(
    uow: UnitOfWork, actor: Actor | None, room_id: uuid.UUID, question_id: uuid.UUID, grouped: bool
) -> AllocationRead:
    """Turn the grouping of similar answers on or off for an open question in the room, in any
    state; setting what is already so changes nothing and emits nothing."""
    meeting, allocation, question = await _room_allocation(uow, actor, room_id, question_id)
    if not is_groupable(question):
        raise Conflict(
            f"question {question_label(question)} is not an open question; only open answers are grouped",
            code="question_not_open",
        )
    if allocation.grouped != grouped:
        allocation.grouped = grouped
        await uow.session.flush()
        if grouped:
            await emit_groups(uow, meeting.id, room_id, question)
        else:
            await publish_groups(uow, meeting.id, room_id, question, None)
    return AllocationRead.model_validate(allocation)
