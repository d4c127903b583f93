"""The meeting's question bank: organisers write it; who may read which question.

Organisers and moderators read the whole bank; participants and observers read the questions
allocated to the rooms they can read (their own room; every room for observers).
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.access import Actor, MeetingAccess, meeting_access
from app.errors import Conflict, Forbidden, NotFound
from app.questions import repository
from app.questions.models import Question
from app.questions.schemas import QuestionCreate, QuestionRead, QuestionUpdate, RoomQuestionsRead
from app.questions.shape import CHOICE_KINDS, QuestionShape, check_shape
from app.realtime.eventlog import room_stream
from app.realtime.outbox import UnitOfWork
from app.realtime.protocol import AllocationView, QuestionOption
from app.vocabulary import Anonymity, QuestionKind

# How much each level protects the author: answers given under a promise never lose it.
ANONYMITY_STRENGTH = {Anonymity.NAMED: 0, Anonymity.ANONYMOUS_TO_PEERS: 1, Anonymity.FULLY_ANONYMOUS: 2}


def question_label(question: Question) -> str:
    """How messages name a question: its code, else the start of its text."""
    if question.code:
        return question.code
    return f'"{question.text[:40]}…"' if len(question.text) > 40 else f'"{question.text}"'


def question_read(question: Question) -> QuestionRead:
    return QuestionRead.model_validate(question)


async def question_access(
    session: AsyncSession, actor: Actor | None, question_id: uuid.UUID
) -> tuple[MeetingAccess, Question]:
    """Access to the meeting a question belongs to; strangers get the same 404 as for no question."""
    question = await session.get(Question, question_id)
    if question is None:
        raise NotFound("question not found")
    try:
        access = await meeting_access(session, actor, question.meeting_id)
    except NotFound:
        raise NotFound("question not found") from None
    return access, question


async def room_questions_read(session: AsyncSession, room_id: uuid.UUID) -> RoomQuestionsRead:
    pairs = await repository.room_questions(session, room_id)
    return RoomQuestionsRead(
        room_id=room_id,
        allocations=[AllocationView.model_validate(allocation) for allocation, _ in pairs],
        questions=[question_read(question) for _, question in pairs],
    )


async def emit_room_questions(uow: UnitOfWork, meeting_id: uuid.UUID, room_id: uuid.UUID) -> RoomQuestionsRead:
    """Tell the room its question list changed (allocations, order or a question's wording)."""
    read = await room_questions_read(uow.session, room_id)
    await uow.emit(room_stream(room_id), meeting_id, "question.allocated", read)
    return read


async def create_question(
    uow: UnitOfWork, actor: Actor | None, meeting_id: uuid.UUID, request: QuestionCreate
) -> QuestionRead:
    access = await meeting_access(uow.session, actor, meeting_id)
    access.require_organiser()
    check_shape(
        QuestionShape(request.kind, request.options, request.scale_min, request.scale_max, request.scale_labels)
    )
    position = request.position
    if position is None:
        position = await repository.next_bank_position(uow.session, meeting_id, request.theme)
    question = Question(
        meeting_id=meeting_id,
        code=request.code,
        theme=request.theme,
        text=request.text,
        kind=request.kind,
        options=[option.model_dump() for option in request.options],
        scale_min=request.scale_min,
        scale_max=request.scale_max,
        scale_labels=request.scale_labels,
        anonymity=request.anonymity or access.meeting.default_anonymity,
        visibility=request.visibility,
        position=position,
    )
    uow.session.add(question)
    await uow.session.flush()
    return question_read(question)


async def list_questions(session: AsyncSession, actor: Actor | None, meeting_id: uuid.UUID) -> list[QuestionRead]:
    """The bank ordered by theme, then position within the theme."""
    access = await meeting_access(session, actor, meeting_id)
    if access.is_staff:
        questions = await repository.questions_of_meeting(session, meeting_id)
    else:
        questions = await repository.questions_allocated_to(session, await _readable_room_ids(session, access))
    return [question_read(question) for question in questions]


async def get_question(session: AsyncSession, actor: Actor | None, question_id: uuid.UUID) -> QuestionRead:
    access, question = await question_access(session, actor, question_id)
    if not access.is_staff and not await repository.is_allocated_to_any(
        session, question.id, await _readable_room_ids(session, access)
    ):
        raise Forbidden("this question is not allocated to a room you take part in")
    return question_read(question)


async def _readable_room_ids(session: AsyncSession, access: MeetingAccess) -> list[uuid.UUID]:
    room_ids = await repository.room_ids_of_meeting(session, access.meeting_id)
    return [room_id for room_id in room_ids if access.can_read_room(room_id)]


def _shape_after(question: Question, changes: dict[str, Any]) -> QuestionShape:
    kind = QuestionKind(changes.get("kind", question.kind))
    # A kind change clears the fields the new kind does not take, unless they were sent again.
    kind_changed = kind != question.kind
    options = changes.get("options", [] if kind_changed and kind not in CHOICE_KINDS else question.options)
    scale_cleared = kind_changed and kind is not QuestionKind.SCALE
    return QuestionShape(
        kind=kind,
        options=[QuestionOption.model_validate(option) for option in options],
        scale_min=changes.get("scale_min", None if scale_cleared else question.scale_min),
        scale_max=changes.get("scale_max", None if scale_cleared else question.scale_max),
        scale_labels=changes.get("scale_labels", {} if scale_cleared else question.scale_labels) or {},
    )


async def update_question(
    uow: UnitOfWork, actor: Actor | None, question_id: uuid.UUID, request: QuestionUpdate
) -> QuestionRead:
    access, question = await question_access(uow.session, actor, question_id)
    access.require_organiser()
    changes = request.model_dump(exclude_unset=True)
    # Null means "clear" only where the column is nullable; elsewhere it means "leave as is".
    changes = {
        name: value
        for name, value in changes.items()
        if value is not None or name in ("scale_min", "scale_max", "scale_labels")
    }
    shape = _shape_after(question, changes)
    check_shape(shape)
    new_options = [option.model_dump() for option in shape.options]
    shape_changed = (
        shape.kind != question.kind
        or new_options != list(question.options)
        or (shape.scale_min, shape.scale_max) != (question.scale_min, question.scale_max)
    )
    weaker = (
        ANONYMITY_STRENGTH[Anonymity(changes.get("anonymity", question.anonymity))]
        < ANONYMITY_STRENGTH[Anonymity(question.anonymity)]
    )
    if (shape_changed or weaker) and await repository.has_answers(uow.session, question.id):
        if shape_changed:
            raise Conflict(
                f"question {question_label(question)} has answers: its kind, options and scale can no longer change",
                code="question_answered",
            )
        raise Conflict(
            f"question {question_label(question)} has answers given under {question.anonymity}: "
            "its anonymity can only become stronger",
            code="question_answered",
        )
    for name in ("code", "theme", "text", "anonymity", "visibility", "position"):
        if name in changes:
            setattr(question, name, changes[name])
    question.kind = shape.kind
    question.options = new_options
    question.scale_min, question.scale_max = shape.scale_min, shape.scale_max
    question.scale_labels = dict(shape.scale_labels)
    await uow.session.flush()
    for allocation in await repository.allocations_of_question(uow.session, question.id):
        await emit_room_questions(uow, question.meeting_id, allocation.room_id)
    return question_read(question)


async def delete_question(uow: UnitOfWork, actor: Actor | None, question_id: uuid.UUID) -> None:
    access, question = await question_access(uow.session, actor, question_id)
    access.require_organiser()
    if await repository.is_live_anywhere(uow.session, question.id):
        raise Conflict(f"question {question_label(question)} is live in a room; close it first", code="question_live")
    if await repository.has_answers(uow.session, question.id):
        raise Conflict(
            f"question {question_label(question)} has answers; deleting it would lose them", code="question_answered"
        )
    room_ids = [allocation.room_id for allocation in await repository.allocations_of_question(uow.session, question.id)]
    await uow.session.delete(question)
    await uow.session.flush()
    for room_id in room_ids:
        await emit_room_questions(uow, question.meeting_id, room_id)
