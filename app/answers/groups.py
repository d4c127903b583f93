"""A room's groups of similar answers to an open question, when its moderator turned them on.

The grouping is the plenary's (``app.plenary.grouping.group_items``), run over one room's answers
to one question: the answers a participant may see (neither hidden nor merged away), each in
exactly one group, singletons included, largest groups first.

Groups are a level, not a delta: ``question.groups`` carries the question's whole grouping. The
grouping is computed once per room and question for a group commit (see ``batch``), after its
answers, in a worker thread (some 5 ms for 50 answers, 20 ms for 200 here: the event loop keeps
serving sockets meanwhile), and the one event serves every reader of the room stream (serialised
once); a batch whose open questions have grouping off costs one query. Staff always
see the groups; participants and observers as the question's visibility says (live, or only after
it closed: then their ``groups`` is None until the close).
"""

from __future__ import annotations

import asyncio
import functools
import uuid
from collections.abc import Collection, Iterable
from typing import Any

from sqlalchemy import BindParameter, Executable, bindparam, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from app.answers.models import Answer
from app.answers.views import AnswerContext, context_of
from app.plenary.grouping import GroupingItem, group_items
from app.questions import repository as questions_repository
from app.questions.models import Allocation, Question
from app.realtime.eventlog import room_stream
from app.realtime.outbox import UnitOfWork
from app.realtime.protocol import AnswerGroup, GroupsChanged, QuestionGroups
from app.vocabulary import QuestionKind

RoomQuestion = tuple[uuid.UUID, uuid.UUID]


def is_groupable(question: Question) -> bool:
    return QuestionKind(question.kind) is QuestionKind.OPEN


def groups_of(question_id: uuid.UUID, answers: Iterable[tuple[uuid.UUID, str]]) -> QuestionGroups:
    """The grouping of (answer id, text) pairs; every group lists its members in the order given."""
    answers = list(answers)
    order = {str(answer_id): position for position, (answer_id, _) in enumerate(answers)}
    room = str(question_id)  # one room: the room ids of the plenary's items play no part here
    found = group_items([GroupingItem(key=str(answer_id), room_id=room, text=text) for answer_id, text in answers])
    groups = [
        AnswerGroup(
            label=group.label,
            count=len(group.keys),
            answer_ids=[uuid.UUID(key) for key in sorted(group.keys, key=order.__getitem__)],
        )
        for group in found
    ]
    groups.sort(key=lambda group: (-group.count, order[str(group.answer_ids[0])]))
    return QuestionGroups(question_id=question_id, groups=groups)


async def grouped_texts(
    session: AsyncSession, pairs: Collection[RoomQuestion]
) -> dict[RoomQuestion, list[tuple[uuid.UUID, str]]]:
    """The answers a grouping takes, per (room, question): neither hidden nor merged away, with a
    text, in the order they were given."""
    if not pairs:
        return {}
    rows = await session.execute(
        select(Answer.room_id, Answer.question_id, Answer.id, Answer.text)
        .where(
            tuple_(Answer.room_id, Answer.question_id).in_(list(pairs)),
            Answer.hidden.is_(False),
            Answer.merged_into_id.is_(None),
            Answer.text.is_not(None),
        )
        .order_by(Answer.created_at, Answer.id)
    )
    texts: dict[RoomQuestion, list[tuple[uuid.UUID, str]]] = {pair: [] for pair in pairs}
    for room_id, question_id, answer_id, text in rows:
        texts[(room_id, question_id)].append((answer_id, text or ""))
    return texts


async def room_groups(
    session: AsyncSession, room_id: uuid.UUID, contexts: dict[uuid.UUID, AnswerContext], *, staff: bool
) -> list[QuestionGroups]:
    """The groups of the room's open questions whose grouping is on, where the audience may see them."""
    grouped = {
        allocation.question_id
        for allocation, _ in await questions_repository.room_questions(session, room_id)
        if allocation.grouped
    }
    shown = [
        context
        for question_id, context in contexts.items()
        if question_id in grouped and is_groupable(context.question) and (staff or context.revealed)
    ]
    texts = await grouped_texts(session, [(room_id, context.question.id) for context in shown])
    return [groups_of(context.question.id, texts[(room_id, context.question.id)]) for context in shown]


async def emit_groups(uow: UnitOfWork, meeting_id: uuid.UUID, room_id: uuid.UUID, question: Question) -> None:
    await emit_groupings(uow, [(meeting_id, room_id, question)])


async def emit_groupings(
    uow: UnitOfWork, items: Iterable[tuple[uuid.UUID, uuid.UUID, Question]], on: set[RoomQuestion] | None = None
) -> None:
    """``question.groups`` for each (meeting, room, question) given whose grouping is on, once each,
    in the order given. ``on``: the (room, question) pairs whose grouping is on, when the caller
    read them already (``grouping_on``)."""
    candidates = list(dict.fromkeys(item for item in items if is_groupable(item[2])))
    if on is None:
        on = await grouping_on(uow.session, [(room_id, question.id) for _, room_id, question in candidates])
    wanted = [item for item in candidates if (item[1], item[2].id) in on]
    texts = await grouped_texts(uow.session, [(room_id, question.id) for _, room_id, question in wanted])
    for meeting_id, room_id, question in wanted:
        pair = (room_id, question.id)
        # Off the event loop: a room of a few hundred answers takes some tens of milliseconds.
        groups = await asyncio.to_thread(groups_of, question.id, texts[pair])
        await publish_groups(uow, meeting_id, room_id, question, groups)


async def grouping_on(session: AsyncSession, pairs: Collection[RoomQuestion]) -> set[RoomQuestion]:
    """The (room, question) pairs given whose grouping is on: one query, none when none is open."""
    if not pairs:
        return set()
    rows = await session.execute(_grouping_on(), {"pairs": list(pairs)})
    return {(room_id, question_id) for room_id, question_id in rows}


@functools.cache
def _grouping_on() -> Executable:
    """Built once: every batch of answers asks."""
    pairs: BindParameter[Any] = bindparam("pairs", expanding=True)
    return select(Allocation.room_id, Allocation.question_id).where(
        tuple_(Allocation.room_id, Allocation.question_id).in_(pairs), Allocation.grouped.is_(True)
    )


async def publish_groups(
    uow: UnitOfWork, meeting_id: uuid.UUID, room_id: uuid.UUID, question: Question, groups: QuestionGroups | None
) -> None:
    """Tell the room the question's grouping: ``groups`` None turns it off for everyone."""
    context = await context_of(uow.session, room_id, question)
    grouped = groups is not None
    await uow.emit(
        room_stream(room_id),
        meeting_id,
        "question.groups",
        GroupsChanged(
            room_id=room_id,
            question_id=question.id,
            grouped=grouped,
            groups=groups if context.revealed else None,
        ),
        staff_data=GroupsChanged(room_id=room_id, question_id=question.id, grouped=grouped, groups=groups),
    )
