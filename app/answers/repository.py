"""The answers' reads and writes. The reads a batch of commands makes every time (``batch``,
``voting``) are statements built once, on first use, with their lists bound as expanding
parameters: building a statement with its ``IN`` list inline cost more than running it.
"""

from __future__ import annotations

import functools
import uuid
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    CursorResult,
    Executable,
    Select,
    bindparam,
    case,
    delete,
    func,
    select,
    tuple_,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from app.answers.models import Answer, AnswerSource, Vote
from app.participants.models import Participant
from app.questions.models import Allocation, Question
from app.rooms.models import Room
from app.vocabulary import Role


async def answer_by_client_id(session: AsyncSession, author_id: uuid.UUID, client_id: str) -> Answer | None:
    found: Answer | None = await session.scalar(
        select(Answer).where(Answer.author_id == author_id, Answer.client_id == client_id)
    )
    return found


async def sole_answer(
    session: AsyncSession, author_id: uuid.UUID, room_id: uuid.UUID, question_id: uuid.UUID
) -> Answer | None:
    """The author's one answer to a choice or scale question in the room, if any."""
    found: Answer | None = await session.scalar(
        select(Answer).where(
            Answer.author_id == author_id, Answer.room_id == room_id, Answer.sole_question_id == question_id
        )
    )
    return found


async def sole_answers(
    session: AsyncSession, keys: Collection[tuple[uuid.UUID, uuid.UUID, uuid.UUID]]
) -> dict[tuple[uuid.UUID, uuid.UUID, uuid.UUID], Answer]:
    """``sole_answer`` for many (author, room, question) keys at once."""
    if not keys:
        return {}
    rows = await session.scalars(_sole_answers(), {"keys": list(keys)})
    return {
        (answer.author_id, answer.room_id, answer.sole_question_id): answer
        for answer in rows
        if answer.author_id is not None and answer.sole_question_id is not None
    }


@functools.cache
def _sole_answers() -> Select[Answer]:
    keys: BindParameter[Any] = bindparam("keys", expanding=True)
    return select(Answer).where(tuple_(Answer.author_id, Answer.room_id, Answer.sole_question_id).in_(keys))


async def answers_of_room(session: AsyncSession, room_id: uuid.UUID, question_id: uuid.UUID | None) -> list[Answer]:
    statement = select(Answer).where(Answer.room_id == room_id)
    if question_id is not None:
        statement = statement.where(Answer.question_id == question_id)
    rows = await session.scalars(statement.order_by(Answer.created_at, Answer.id))
    return list(rows)


async def answers_by_ids(session: AsyncSession, answer_ids: Collection[uuid.UUID]) -> dict[uuid.UUID, Answer]:
    if not answer_ids:
        return {}
    rows = await session.scalars(_answers_by_ids(), {"ids": list(answer_ids)})
    return {answer.id: answer for answer in rows}


@functools.cache
def _answers_by_ids() -> Select[Answer]:
    return select(Answer).where(Answer.id.in_(bindparam("ids", expanding=True)))


async def authors_by_id(session: AsyncSession, ids: Collection[uuid.UUID]) -> dict[uuid.UUID, Participant]:
    if not ids:
        return {}
    rows = await session.scalars(_authors(), {"ids": list(ids)})
    return {participant.id: participant for participant in rows}


@functools.cache
def _authors() -> Select[Participant]:
    return select(Participant).where(Participant.id.in_(bindparam("ids", expanding=True)))


async def vote_counts(session: AsyncSession, answer_ids: Collection[uuid.UUID]) -> dict[uuid.UUID, int]:
    if not answer_ids:
        return {}
    rows = await session.execute(_vote_counts(), {"ids": list(answer_ids)})
    return {answer_id: count for answer_id, count in rows}


@functools.cache
def _vote_counts() -> Select[uuid.UUID, int]:
    return (
        select(Vote.answer_id, func.count())
        .where(Vote.answer_id.in_(bindparam("ids", expanding=True)))
        .group_by(Vote.answer_id)
    )


async def voted_by(
    session: AsyncSession, participant_id: uuid.UUID, answer_ids: Collection[uuid.UUID]
) -> set[uuid.UUID]:
    if not answer_ids:
        return set()
    rows = await session.scalars(
        select(Vote.answer_id).where(Vote.participant_id == participant_id, Vote.answer_id.in_(list(answer_ids)))
    )
    return set(rows)


async def voters_by_answer(session: AsyncSession, answer_ids: Collection[uuid.UUID]) -> dict[uuid.UUID, set[uuid.UUID]]:
    """Who voted for each of the answers (answers without a vote are left out)."""
    if not answer_ids:
        return {}
    rows = await session.execute(_voters_by_answer(), {"ids": list(answer_ids)})
    voters: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
    for answer_id, participant_id in rows:
        voters[answer_id].add(participant_id)
    return dict(voters)


@functools.cache
def _voters_by_answer() -> Select[uuid.UUID, uuid.UUID]:
    return select(Vote.answer_id, Vote.participant_id).where(Vote.answer_id.in_(bindparam("ids", expanding=True)))


async def voters_of(session: AsyncSession, answer_ids: Collection[uuid.UUID]) -> set[uuid.UUID]:
    rows = await session.scalars(select(Vote.participant_id).where(Vote.answer_id.in_(list(answer_ids))))
    return set(rows)


async def vote_of(session: AsyncSession, answer_id: uuid.UUID, participant_id: uuid.UUID) -> Vote | None:
    return await session.get(Vote, (answer_id, participant_id))


async def delete_vote(session: AsyncSession, answer_id: uuid.UUID, participant_id: uuid.UUID) -> bool:
    """Withdraw the vote; false when it was gone already (a concurrent withdrawal won)."""
    result = await session.execute(
        delete(Vote).where(Vote.answer_id == answer_id, Vote.participant_id == participant_id),
        execution_options={"synchronize_session": False},
    )
    assert isinstance(result, CursorResult)
    return bool(result.rowcount)


async def source_ids_of(session: AsyncSession, answer_ids: Collection[uuid.UUID]) -> dict[uuid.UUID, list[uuid.UUID]]:
    """The sources of each merged answer among ``answer_ids``."""
    if not answer_ids:
        return {}
    rows = await session.execute(_source_ids(), {"ids": list(answer_ids)})
    sources: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
    for answer_id, source_id in rows:
        sources[answer_id].append(source_id)
    return dict(sources)


@functools.cache
def _source_ids() -> Select[uuid.UUID, uuid.UUID]:
    return (
        select(AnswerSource.answer_id, AnswerSource.source_id)
        .join(Answer, Answer.id == AnswerSource.source_id)
        .where(AnswerSource.answer_id.in_(bindparam("ids", expanding=True)))
        .order_by(Answer.created_at, Answer.id)
    )


def _submitted() -> ColumnElement[bool]:
    """Answers people submitted (a merged answer is the moderator's, not a submission)."""
    return Answer.id.not_in(select(AnswerSource.answer_id))


RoomQuestion = tuple[uuid.UUID, uuid.UUID]


async def submitted_count(session: AsyncSession, room_id: uuid.UUID, question_id: uuid.UUID) -> int:
    return (await submitted_counts(session, [(room_id, question_id)])).get((room_id, question_id), 0)


async def submitted_counts(session: AsyncSession, pairs: Collection[RoomQuestion]) -> dict[RoomQuestion, int]:
    """Submitted answers per (room, question); pairs without any are left out."""
    if not pairs:
        return {}
    rows = await session.execute(_submitted_counts(), {"pairs": list(pairs)})
    return {(room_id, question_id): count for room_id, question_id, count in rows}


@functools.cache
def _submitted_counts() -> Select[uuid.UUID, uuid.UUID, int]:
    return (
        select(Answer.room_id, Answer.question_id, func.count())
        .where(tuple_(Answer.room_id, Answer.question_id).in_(bindparam("pairs", expanding=True)), _submitted())
        .group_by(Answer.room_id, Answer.question_id)
    )


@dataclass(frozen=True, slots=True)
class AnswerCounts:
    submitted: int  # ``submitted_counts``
    answered: int  # ``answered_counts``


async def answer_counts(session: AsyncSession, pairs: Collection[RoomQuestion]) -> dict[RoomQuestion, AnswerCounts]:
    """``submitted_counts`` and ``answered_counts`` in one read (one pass over the pairs' answers);
    pairs without any submitted answer are left out."""
    if not pairs:
        return {}
    rows = await session.execute(_answer_counts(), {"pairs": list(pairs)})
    return {
        (room_id, question_id): AnswerCounts(submitted, answered) for room_id, question_id, submitted, answered in rows
    }


@functools.cache
def _answer_counts() -> Select[uuid.UUID, uuid.UUID, int, int]:
    # An author counts as having answered when they are a participant (role participant), as in
    # ``answered_counts``; the outer join keeps every submitted answer in ``submitted``.
    answering = case((Participant.role == Role.PARTICIPANT, Answer.author_id))
    return (
        select(Answer.room_id, Answer.question_id, func.count(), func.count(func.distinct(answering)))
        .outerjoin(Participant, Participant.id == Answer.author_id)
        .where(tuple_(Answer.room_id, Answer.question_id).in_(bindparam("pairs", expanding=True)), _submitted())
        .group_by(Answer.room_id, Answer.question_id)
    )


async def answering_authors(
    session: AsyncSession, pairs: Collection[RoomQuestion]
) -> dict[RoomQuestion, tuple[int, set[uuid.UUID]]]:
    """Per pair: its submitted answers, and the participants (role participant) among their
    authors: what ``answer_counts`` counts, with the authors named so that a count kept in memory
    can count each once. Pairs without any submitted answer are left out."""
    if not pairs:
        return {}
    rows = await session.execute(_answering_authors(), {"pairs": list(pairs)})
    found: dict[RoomQuestion, tuple[int, set[uuid.UUID]]] = {}
    for room_id, question_id, author_id, role, count in rows:
        submitted, authors = found.get((room_id, question_id), (0, set()))
        if author_id is not None and role == Role.PARTICIPANT:
            authors.add(author_id)
        found[(room_id, question_id)] = (submitted + count, authors)
    return found


@functools.cache
def _answering_authors() -> Select[uuid.UUID, uuid.UUID, uuid.UUID | None, str | None, int]:
    return (
        select(Answer.room_id, Answer.question_id, Answer.author_id, Participant.role, func.count())
        .outerjoin(Participant, Participant.id == Answer.author_id)
        .where(tuple_(Answer.room_id, Answer.question_id).in_(bindparam("pairs", expanding=True)), _submitted())
        .group_by(Answer.room_id, Answer.question_id, Answer.author_id, Participant.role)
    )


async def answered_count(session: AsyncSession, room_id: uuid.UUID, question_id: uuid.UUID) -> int:
    return (await answered_counts(session, [(room_id, question_id)])).get((room_id, question_id), 0)


async def answered_counts(session: AsyncSession, pairs: Collection[RoomQuestion]) -> dict[RoomQuestion, int]:
    """How many of the room's participants (role participant) answered the question, per pair."""
    if not pairs:
        return {}
    rows = await session.execute(_answered_counts(), {"pairs": list(pairs)})
    return {(room_id, question_id): count for room_id, question_id, count in rows}


@functools.cache
def _answered_counts() -> Select[uuid.UUID, uuid.UUID, int]:
    return (
        select(Answer.room_id, Answer.question_id, func.count(func.distinct(Answer.author_id)))
        .join(Participant, Participant.id == Answer.author_id)
        .where(
            tuple_(Answer.room_id, Answer.question_id).in_(bindparam("pairs", expanding=True)),
            _submitted(),
            Participant.role == Role.PARTICIPANT,
        )
        .group_by(Answer.room_id, Answer.question_id)
    )


async def assigned_count(session: AsyncSession, room_id: uuid.UUID) -> int:
    return (await assigned_counts(session, [room_id])).get(room_id, 0)


async def assigned_counts(session: AsyncSession, room_ids: Collection[uuid.UUID]) -> dict[uuid.UUID, int]:
    """The participants (role participant, not erased) assigned to each room."""
    if not room_ids:
        return {}
    rows = await session.execute(_assigned_counts(), {"ids": list(room_ids)})
    return {room_id: count for room_id, count in rows if room_id is not None}


@functools.cache
def _assigned_counts() -> Select[uuid.UUID | None, int]:
    return (
        select(Participant.room_id, func.count())
        .where(
            Participant.room_id.in_(bindparam("ids", expanding=True)),
            Participant.role == Role.PARTICIPANT,
            Participant.erased_at.is_(None),
        )
        .group_by(Participant.room_id)
    )


async def answers_by_client_ids(
    session: AsyncSession, keys: Collection[tuple[uuid.UUID, str]]
) -> dict[tuple[uuid.UUID, str], Answer]:
    """The answers made under these (author, client id) keys."""
    if not keys:
        return {}
    rows = await session.scalars(_answers_by_client_ids(), {"keys": list(keys)})
    return {(answer.author_id, answer.client_id): answer for answer in rows if answer.author_id is not None}


@functools.cache
def _answers_by_client_ids() -> Select[Answer]:
    return select(Answer).where(tuple_(Answer.author_id, Answer.client_id).in_(bindparam("keys", expanding=True)))


async def client_ids_of(session: AsyncSession, author_ids: Collection[uuid.UUID]) -> dict[uuid.UUID, set[str]]:
    """The client ids of every answer of each of these authors."""
    found: dict[uuid.UUID, set[str]] = {author_id: set() for author_id in author_ids}
    if found:
        for author_id, client_id in await session.execute(_client_ids_of(), {"ids": list(found)}):
            if author_id is not None:
                found[author_id].add(client_id)
    return found


@functools.cache
def _client_ids_of() -> Select[uuid.UUID | None, str]:
    return select(Answer.author_id, Answer.client_id).where(Answer.author_id.in_(bindparam("ids", expanding=True)))


async def placements(
    session: AsyncSession, pairs: Collection[RoomQuestion]
) -> dict[RoomQuestion, tuple[Allocation, Question]]:
    """The allocation of each (room, question) pair that has one, with its question."""
    if not pairs:
        return {}
    rows = await session.execute(_placements(), {"pairs": list(pairs)})
    return {(allocation.room_id, allocation.question_id): (allocation, question) for allocation, question in rows}


@functools.cache
def _placements() -> Select[Allocation, Question]:
    return (
        select(Allocation, Question)
        .join(Question, Question.id == Allocation.question_id)
        .where(tuple_(Allocation.room_id, Allocation.question_id).in_(bindparam("pairs", expanding=True)))
    )


async def lock_rooms(session: AsyncSession, room_ids: Collection[uuid.UUID]) -> None:
    """``rooms.repository.lock_room`` for several rooms, taken in id order so that two writers
    locking overlapping sets never wait on each other in a cycle (PostgreSQL; SQLite ignores it)."""
    if room_ids and _row_locks(session):
        await session.execute(_lock_rooms(), {"ids": list(room_ids)})


@functools.cache
def _lock_rooms() -> Executable:
    return select(Room.id).where(Room.id.in_(bindparam("ids", expanding=True))).order_by(Room.id).with_for_update()


def _row_locks(session: AsyncSession) -> bool:
    """Whether the database takes row locks: SQLite has none (its writer holds the database's
    lock for the whole transaction), so a locking read there only costs a statement."""
    return session.bind is None or session.bind.dialect.name != "sqlite"


async def lock_answers(session: AsyncSession, answer_ids: Collection[uuid.UUID]) -> None:
    """Lock the answers' rows in id order (PostgreSQL; SQLite's writer holds the database lock):
    votes on one answer then queue, so each count read after them includes every vote committed
    before, whichever process wrote it."""
    if answer_ids and _row_locks(session):
        await session.execute(_lock_answers(), {"ids": list(answer_ids)})


@functools.cache
def _lock_answers() -> Executable:
    return (
        select(Answer.id).where(Answer.id.in_(bindparam("ids", expanding=True))).order_by(Answer.id).with_for_update()
    )


async def mark_merged(session: AsyncSession, source_ids: Collection[uuid.UUID], merged_id: uuid.UUID) -> int:
    """Point the sources at the merged answer, only those not merged yet: the count tells whether a
    concurrent merge took one of them first."""
    result = await session.execute(
        update(Answer)
        .where(Answer.id.in_(list(source_ids)), Answer.merged_into_id.is_(None))
        .values(merged_into_id=merged_id)
        .execution_options(synchronize_session="fetch")
    )
    return int(result.rowcount)  # type: ignore[attr-defined]
