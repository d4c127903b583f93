"""The results of a choice or scale question in a room: how many people chose each option, or
the histogram, mean and median of a scale.

A tally counts people: such a question takes one answer per person (see ``service``), answers a
moderator hid are left out, and a merged answer (the moderator's, made of others) is not a
person's. An erased person's answer stays, pseudonymous, and counts once like any other.

A tally is a level, not a delta: ``question.tally`` carries the whole tally, so answers committed
together (one group commit, see ``batch``) are told once per room and question, with the tally
after them. Staff always see it; participants and observers as the question's visibility says
(live, or only after it closed: then their ``tally`` is None until the close).
"""

from __future__ import annotations

import statistics
import uuid
from collections import Counter
from collections.abc import Collection, Iterable

from sqlalchemy import select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from app.answers.models import Answer
from app.answers.views import AnswerContext, context_of
from app.questions.models import Question
from app.realtime.eventlog import room_stream
from app.realtime.outbox import UnitOfWork
from app.realtime.protocol import OptionTally, QuestionTally, ScalePoint, TallyChanged
from app.vocabulary import QuestionKind, Visibility

TALLIED_KINDS = frozenset({QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE, QuestionKind.SCALE})
RoomQuestion = tuple[uuid.UUID, uuid.UUID]
# What a tally reads of an answer: its choices or its point.
Value = tuple[list[str] | None, int | None]


def is_tallied(question: Question) -> bool:
    return QuestionKind(question.kind) in TALLIED_KINDS


def peers_see_tally(context: AnswerContext) -> bool:
    return context.question.visibility == Visibility.LIVE or context.closed


def tally_of(question: Question, values: Iterable[Value]) -> QuestionTally:
    values = list(values)
    if QuestionKind(question.kind) is QuestionKind.SCALE:
        points = sorted(point for _, point in values if point is not None)
        counts = Counter(points)
        low, high = question.scale_min or 0, question.scale_max or 0
        return QuestionTally(
            question_id=question.id,
            respondents=len(points),
            scale=[ScalePoint(value=value, count=counts[value]) for value in range(low, high + 1)],
            mean=round(statistics.fmean(points), 2) if points else None,
            median=float(statistics.median(points)) if points else None,
        )
    chosen = Counter(str(choice) for choices, _ in values for choice in choices or [])
    return QuestionTally(
        question_id=question.id,
        respondents=sum(1 for choices, _ in values if choices),
        options=[
            OptionTally(option_id=str(option["id"]), count=chosen[str(option["id"])]) for option in question.options
        ],
    )


async def counted_values(session: AsyncSession, pairs: Collection[RoomQuestion]) -> dict[RoomQuestion, list[Value]]:
    """The values a tally counts, per (room, question): people's answers not hidden."""
    if not pairs:
        return {}
    rows = await session.execute(
        select(Answer.room_id, Answer.question_id, Answer.choice_ids, Answer.scale_value).where(
            tuple_(Answer.room_id, Answer.question_id).in_(list(pairs)),
            Answer.author_id.is_not(None),
            Answer.hidden.is_(False),
        )
    )
    values: dict[RoomQuestion, list[Value]] = {pair: [] for pair in pairs}
    for room_id, question_id, choice_ids, scale_value in rows:
        values[(room_id, question_id)].append((choice_ids, scale_value))
    return values


async def room_tallies(
    session: AsyncSession,
    room_id: uuid.UUID,
    contexts: dict[uuid.UUID, AnswerContext],
    pushed: set[uuid.UUID],
    *,
    staff: bool,
) -> list[QuestionTally]:
    """The tallies of the room's pushed choice and scale questions the audience may see."""
    shown = [
        context
        for question_id, context in contexts.items()
        if question_id in pushed and is_tallied(context.question) and (staff or peers_see_tally(context))
    ]
    values = await counted_values(session, [(room_id, context.question.id) for context in shown])
    return [tally_of(context.question, values[(room_id, context.question.id)]) for context in shown]


async def emit_tally(uow: UnitOfWork, meeting_id: uuid.UUID, room_id: uuid.UUID, question: Question) -> None:
    await emit_tallies(uow, [(meeting_id, room_id, question)])


async def emit_tallies(uow: UnitOfWork, items: Iterable[tuple[uuid.UUID, uuid.UUID, Question]]) -> None:
    """``question.tally`` for each (meeting, room, question) given whose question is tallied, once
    each, in the order given."""
    wanted = list(dict.fromkeys(item for item in items if is_tallied(item[2])))
    values = await counted_values(uow.session, [(room_id, question.id) for _, room_id, question in wanted])
    for meeting_id, room_id, question in wanted:
        context = await context_of(uow.session, room_id, question)
        tally = tally_of(question, values[(room_id, question.id)])
        await uow.emit(
            room_stream(room_id),
            meeting_id,
            "question.tally",
            TallyChanged(room_id=room_id, question_id=question.id, tally=tally if peers_see_tally(context) else None),
            staff_data=TallyChanged(room_id=room_id, question_id=question.id, tally=tally),
        )
