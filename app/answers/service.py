"""Answers: submitting (idempotent by client id), editing while live, reading, and upvoting.

A member of a room (a participant assigned to it, or its moderator) answers the question live
there while the meeting is in plenary or breakouts. A retried submit carries the same
``client_id`` and gets the ORIGINAL answer back (200 instead of 201) and nothing is created, even
when the retry's content differs: the first acknowledged value is the answer, and the author edits
it to change it. Reusing a client id for another question is refused (409 ``client_id_reused``).

A choice or scale question takes one answer per person in a room: a submit with a new client id
from someone who answered it already replaces the earlier choice (200, the same answer, one
``answer.edited``), while the question is live. Racing submits of one person meet on a unique
constraint; the loser replaces the winner's choice. Open text takes several answers per person.

Upvotes: one per participant per answer, by a member of the room, never on one's own answer
(the point of a vote is what the others think), nor on hidden or merged-away answers, nor on an
answer the voter may not see yet.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.answers import repository
from app.answers.content import AnswerContent, checked_content
from app.answers.groups import emit_groups
from app.answers.models import Answer, Vote
from app.answers.progress import emit_progress
from app.answers.schemas import AnswerCreate, AnswerRead, AnswerUpdate, VoteRequest
from app.answers.tally import emit_tally
from app.answers.views import (
    AnswerContext,
    AnswerViews,
    Reader,
    answer_view,
    answer_views,
    context_of,
    may_see,
    reader_for,
    room_contexts,
    views_for_event,
)
from app.auth.access import Actor, MeetingAccess, meeting_access, room_access
from app.database import utcnow
from app.errors import Conflict, Forbidden, NotFound
from app.participants.models import Participant
from app.questions import repository as questions_repository
from app.questions.allocations import require_answering_phase
from app.questions.models import Allocation, Question
from app.questions.service import question_label
from app.realtime.eventlog import room_stream
from app.realtime.outbox import UnitOfWork
from app.realtime.protocol import AnswerChanged, AnswerSubmitted, VotesChanged
from app.rooms.repository import lock_room
from app.vocabulary import Phase, QuestionKind, QuestionState

# Kinds that take one answer per person: answering again replaces the earlier one.
SOLE_ANSWER_KINDS = frozenset({QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE, QuestionKind.SCALE})


def takes_one_answer(question: Question) -> bool:
    return QuestionKind(question.kind) in SOLE_ANSWER_KINDS


@dataclass(frozen=True, slots=True)
class Submitted:
    answer: AnswerRead
    # False when a retry found the answer its client id made before.
    created: bool


async def answer_access(
    session: AsyncSession, actor: Actor | None, answer_id: uuid.UUID
) -> tuple[MeetingAccess, Answer]:
    """Access to the meeting an answer belongs to; strangers get the same 404 as for no answer."""
    answer = await session.get(Answer, answer_id)
    if answer is None:
        raise NotFound("answer not found")
    try:
        access = await meeting_access(session, actor, answer.meeting_id)
    except NotFound:
        raise NotFound("answer not found") from None
    return access, answer


async def answer_question(session: AsyncSession, answer: Answer) -> Question:
    question = await session.get(Question, answer.question_id)
    assert question is not None, "answers.question_id is a foreign key"
    return question


async def _placement(
    session: AsyncSession, room_id: uuid.UUID, question_id: uuid.UUID
) -> tuple[Allocation, Question] | None:
    question = await session.get(Question, question_id)
    allocation = await questions_repository.allocation_of(session, room_id, question_id)
    return None if question is None or allocation is None else (allocation, question)


def live_question(placement: tuple[Allocation, Question] | None) -> Question:
    """The question of a (room, question) allocation, if it is live there."""
    if placement is None:
        raise NotFound("this question is not allocated to this room")
    allocation, question = placement
    if allocation.state != QuestionState.LIVE:
        raise Conflict(
            f"question {question_label(question)} is not live in this room (it is {allocation.state})",
            code="question_not_live",
        )
    return question


async def _live_question(session: AsyncSession, room_id: uuid.UUID, question_id: uuid.UUID) -> Question:
    return live_question(await _placement(session, room_id, question_id))


def require_same_question(answer: Answer, room_id: uuid.UUID, question_id: uuid.UUID) -> None:
    """A retry finds its original answer; a client id used again for another question is refused."""
    if answer.room_id != room_id or answer.question_id != question_id:
        raise Conflict(
            f"client_id {answer.client_id!r} was already used for another answer; make a new one per answer",
            code="client_id_reused",
        )


async def original_answer(
    session: AsyncSession, access: MeetingAccess, answer: Answer, room_id: uuid.UUID, question_id: uuid.UUID
) -> Submitted:
    require_same_question(answer, room_id, question_id)
    question = await answer_question(session, answer)
    context = await context_of(session, room_id, question)
    return Submitted(await answer_view(session, answer, context, reader_for(access, room_id)), created=False)


def new_answer(
    access: MeetingAccess,
    author: Participant,
    room_id: uuid.UUID,
    placement: tuple[Allocation, Question] | None,
    request: AnswerCreate,
) -> tuple[Answer, Question]:
    """The answer a submit makes, not stored yet, or the refusal: the question must be live in the
    room, the meeting in an answering phase, and the value must fit the question (checked in that
    order). Its id and times are set here, so that its views can be made before the insert."""
    question = live_question(placement)
    require_answering_phase(access.meeting, "answers are taken")
    content = checked_content(question, AnswerContent(request.text, request.choice_ids, request.scale_value))
    now = utcnow()
    answer = Answer(
        id=uuid.uuid4(),
        meeting_id=access.meeting_id,
        room_id=room_id,
        question_id=question.id,
        author_id=author.id,
        client_id=request.client_id,
        text=content.text,
        choice_ids=content.choice_ids,
        scale_value=content.scale_value,
        sole_question_id=question.id if takes_one_answer(question) else None,
        hidden=False,
        pinned=False,
        merged_into_id=None,
        created_at=now,
        updated_at=now,
    )
    return answer, question


async def submit_answer(
    uow: UnitOfWork, actor: Actor | None, room_id: uuid.UUID, question_id: uuid.UUID, request: AnswerCreate
) -> Submitted:
    """One answer; ``app.answers.batch`` applies the same rules to many submitted at once."""
    access, _ = await room_access(uow.session, actor, room_id)
    author = access.require_room_member(room_id)
    existing = await repository.answer_by_client_id(uow.session, author.id, request.client_id)
    if existing is not None:
        return await original_answer(uow.session, access, existing, room_id, question_id)
    answer, question = new_answer(access, author, room_id, await _placement(uow.session, room_id, question_id), request)
    if answer.sole_question_id is not None:
        earlier = await repository.sole_answer(uow.session, author.id, room_id, question.id)
        if earlier is not None:
            return Submitted(await replace_choice(uow, access, earlier, answer, question), created=False)
    try:
        # A concurrent duplicate (same author, same client id) loses on the unique constraint, and
        # so does a concurrent second choice of the same person (same author, room and question).
        async with uow.session.begin_nested():
            uow.session.add(answer)
            await uow.session.flush()
    except IntegrityError:
        existing = await repository.answer_by_client_id(uow.session, author.id, request.client_id)
        if existing is not None:
            return await original_answer(uow.session, access, existing, room_id, question_id)
        earlier = await repository.sole_answer(uow.session, author.id, room_id, question.id)
        if earlier is None or answer.sole_question_id is None:
            raise
        return Submitted(await replace_choice(uow, access, earlier, answer, question), created=False)
    views = await views_for_event(
        uow.session, answer, AnswerContext(question=question, closed=False), reader_for(access, room_id)
    )
    # Counted under the room's lock: concurrent answers queue here, so each count (and the
    # progress after it) includes every answer committed before it and never goes backwards.
    await lock_room(uow.session, room_id)
    count = await repository.submitted_count(uow.session, room_id, question.id)
    await emit_submitted(uow, access.meeting_id, answer, views, count)
    await emit_progress(uow, access.meeting_id, room_id)
    await emit_tally(uow, access.meeting_id, room_id, question)
    await emit_groups(uow, access.meeting_id, room_id, question)
    return Submitted(views.caller, created=True)


def require_replaceable(earlier: Answer) -> None:
    if earlier.merged_into_id is not None:
        raise Conflict("this answer was merged into another; it can no longer change", code="answer_merged")


def apply_choice(earlier: Answer, answer: Answer) -> None:
    """Give the earlier answer the new one's value (``answer`` is the checked, unstored submit)."""
    require_replaceable(earlier)
    earlier.choice_ids, earlier.scale_value = answer.choice_ids, answer.scale_value
    earlier.updated_at = answer.updated_at


async def replace_choice(
    uow: UnitOfWork, access: MeetingAccess, earlier: Answer, answer: Answer, question: Question
) -> AnswerRead:
    """Answering a choice or scale question again: the earlier answer takes the new value."""
    apply_choice(earlier, answer)
    await uow.session.flush()
    context = AnswerContext(question=question, closed=False)
    view = await emit_answer_changed(uow, "answer.edited", earlier, context, reader_for(access, earlier.room_id))
    await emit_tally(uow, access.meeting_id, earlier.room_id, question)
    return view


async def emit_submitted(
    uow: UnitOfWork, meeting_id: uuid.UUID, answer: Answer, views: AnswerViews, count: int
) -> None:
    """``answer.submitted``: peers get their view (None when they may not see it), staff theirs."""
    room_id, question_id = answer.room_id, answer.question_id
    await uow.emit(
        room_stream(room_id),
        meeting_id,
        "answer.submitted",
        AnswerSubmitted(room_id=room_id, question_id=question_id, answer_id=answer.id, answer=views.peers, count=count),
        staff_data=AnswerSubmitted(
            room_id=room_id, question_id=question_id, answer_id=answer.id, answer=views.staff, count=count
        ),
    )


async def edit_answer(uow: UnitOfWork, actor: Actor | None, answer_id: uuid.UUID, request: AnswerUpdate) -> AnswerRead:
    access, answer = await answer_access(uow.session, actor, answer_id)
    if access.participant is None or answer.author_id != access.participant.id:
        raise Forbidden("only its author may edit an answer")
    if answer.merged_into_id is not None:
        raise Conflict("this answer was merged into another; it can no longer change", code="answer_merged")
    question = await _live_question(uow.session, answer.room_id, answer.question_id)
    require_answering_phase(access.meeting, "answers can be edited")
    content = checked_content(question, AnswerContent(request.text, request.choice_ids, request.scale_value))
    answer.text, answer.choice_ids, answer.scale_value = content.text, content.choice_ids, content.scale_value
    answer.updated_at = utcnow()
    await uow.session.flush()
    context = AnswerContext(question=question, closed=False)
    view = await emit_answer_changed(uow, "answer.edited", answer, context, reader_for(access, answer.room_id))
    await emit_groups(uow, access.meeting_id, answer.room_id, question)
    return view


async def emit_answer_changed(
    uow: UnitOfWork, event_type: str, answer: Answer, context: AnswerContext, caller: Reader
) -> AnswerRead:
    """Tell the room an answer changed; returns the answer as the caller sees it."""
    views = await views_for_event(uow.session, answer, context, caller)
    await uow.emit(
        room_stream(answer.room_id),
        answer.meeting_id,
        event_type,
        AnswerChanged(answer_id=answer.id, answer=views.peers),
        staff_data=AnswerChanged(answer_id=answer.id, answer=views.staff),
    )
    return views.caller


async def list_answers(
    session: AsyncSession, actor: Actor | None, room_id: uuid.UUID, question_id: uuid.UUID | None
) -> list[AnswerRead]:
    """The room's answers as the caller may see them, oldest first."""
    access, _ = await room_access(session, actor, room_id)
    access.require_room_read(room_id)
    contexts = await room_contexts(session, room_id)
    if question_id is not None and question_id not in contexts:
        raise NotFound("this question is not allocated to this room")
    answers = await repository.answers_of_room(session, room_id, question_id)
    readable = [answer for answer in answers if answer.question_id in contexts]
    return await answer_views(session, readable, contexts, reader_for(access, room_id))


ALREADY_VOTED = "you have upvoted this answer already"
NOT_VOTED = "you have not upvoted this answer"


def require_votable(access: MeetingAccess, answer: Answer, context: AnswerContext, reader: Reader) -> Participant:
    """The voter, if the caller may vote on the answer (``app.answers.voting`` decides batches
    with this too): a member of its room, the meeting not closed, the answer neither merged away
    nor hidden nor the caller's own, and visible to the caller."""
    voter = access.require_room_member(answer.room_id)
    if access.meeting.phase == Phase.CLOSED:
        raise Conflict("the meeting is closed; votes can no longer change", code="meeting_closed")
    if answer.merged_into_id is not None:
        raise Conflict("this answer was merged into another; vote on that one", code="answer_merged")
    if answer.hidden:
        raise Conflict("this answer is hidden by the moderator", code="answer_hidden")
    if answer.author_id == voter.id:
        raise Conflict("you cannot vote on your own answer", code="own_answer")
    if not may_see(answer, context, reader):
        raise Conflict("answers to this question are shown only after it closes", code="not_revealed")
    return voter


def require_vote_change(upvote: bool, *, voted: bool) -> None:
    """An upvote needs no vote yet, a withdrawal a vote."""
    if upvote and voted:
        raise Conflict(ALREADY_VOTED, code="already_voted")
    if not upvote and not voted:
        raise Conflict(NOT_VOTED, code="not_voted")


async def vote_answer(uow: UnitOfWork, actor: Actor | None, answer_id: uuid.UUID, request: VoteRequest) -> AnswerRead:
    """Add (``upvote: true``) or withdraw (``false``) the caller's upvote."""
    access, answer = await answer_access(uow.session, actor, answer_id)
    context = await context_of(uow.session, answer.room_id, await answer_question(uow.session, answer))
    reader = reader_for(access, answer.room_id)
    voter = require_votable(access, answer, context, reader)
    await repository.lock_answers(uow.session, [answer.id])  # the count below includes every vote before
    existing = await repository.vote_of(uow.session, answer.id, voter.id)
    require_vote_change(request.upvote, voted=existing is not None)
    if request.upvote:
        try:
            async with uow.session.begin_nested():
                uow.session.add(Vote(answer_id=answer.id, participant_id=voter.id))
                await uow.session.flush()
        except IntegrityError:
            raise Conflict(ALREADY_VOTED, code="already_voted") from None
    else:
        if existing is None or not await repository.delete_vote(uow.session, answer.id, voter.id):
            raise Conflict(NOT_VOTED, code="not_voted")
        uow.session.expunge(existing)
    votes = (await repository.vote_counts(uow.session, [answer.id])).get(answer.id, 0)
    await uow.emit(
        room_stream(answer.room_id), answer.meeting_id, "answer.voted", VotesChanged(answer_id=answer.id, votes=votes)
    )
    return await answer_view(uow.session, answer, context, reader)
