"""All SQL of the plenary feature: reads of the rooms' material (other features' tables, read only)
and the writes of its own tables (curated groups, the plenary state)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.answers.models import Answer, AnswerSource, Vote
from app.database import utcnow
from app.findings.models import Endorsement, Finding, FindingSource
from app.participants.models import Participant
from app.plenary.models import CuratedGroup, PlenaryState
from app.plenary.records import AnswerRecord
from app.questions.models import Allocation, Question
from app.rooms.models import Room
from app.vocabulary import FindingStatus

# Findings a room has shared: drafts belong to the room's staff and never reach the plenary.
SHARED_FINDING_STATUSES = (FindingStatus.PROPOSED.value, FindingStatus.CONFIRMED.value)


def _on_question(column: Any, question_id: uuid.UUID | None) -> list[ColumnElement[bool]]:
    """No condition for the whole meeting, or the one that keeps a single question."""
    return [] if question_id is None else [column == question_id]


async def rooms_of(session: AsyncSession, meeting_id: uuid.UUID) -> list[Room]:
    rows = await session.scalars(select(Room).where(Room.meeting_id == meeting_id).order_by(Room.position, Room.name))
    return list(rows)


async def questions_of(session: AsyncSession, meeting_id: uuid.UUID, question_id: uuid.UUID | None) -> list[Question]:
    statement = select(Question).where(Question.meeting_id == meeting_id).order_by(Question.position, Question.code)
    return list(await session.scalars(statement.where(*_on_question(Question.id, question_id))))


async def allocations_of(
    session: AsyncSession, meeting_id: uuid.UUID, question_id: uuid.UUID | None
) -> list[Allocation]:
    statement = select(Allocation).join(Room, Room.id == Allocation.room_id).where(Room.meeting_id == meeting_id)
    return list(await session.scalars(statement.where(*_on_question(Allocation.question_id, question_id))))


async def answers_of(session: AsyncSession, meeting_id: uuid.UUID, question_id: uuid.UUID | None) -> list[AnswerRecord]:
    statement = (
        select(
            Answer.id,
            Answer.room_id,
            Answer.question_id,
            Answer.author_id,
            Answer.text,
            Answer.choice_ids,
            Answer.scale_value,
            Answer.hidden,
            Answer.pinned,
            Answer.merged_into_id,
            Answer.created_at,
        )
        .where(Answer.meeting_id == meeting_id, *_on_question(Answer.question_id, question_id))
        .order_by(Answer.created_at, Answer.id)
    )
    return [
        AnswerRecord(
            id=id_,
            room_id=room_id,
            question_id=question,
            author_id=author_id,
            text=text,
            choice_ids=[str(choice) for choice in choices] if choices is not None else None,
            scale_value=scale_value,
            hidden=hidden,
            pinned=pinned,
            merged_into_id=merged_into_id,
            created_at=created_at,
        )
        for id_, room_id, question, author_id, text, choices, scale_value, hidden, pinned, merged_into_id, created_at in (
            await session.execute(statement)
        )
    ]


async def vote_counts(
    session: AsyncSession, meeting_id: uuid.UUID, question_id: uuid.UUID | None
) -> dict[uuid.UUID, int]:
    statement = (
        select(Vote.answer_id, func.count())
        .join(Answer, Answer.id == Vote.answer_id)
        .where(Answer.meeting_id == meeting_id)
        .group_by(Vote.answer_id)
    )
    rows = await session.execute(statement.where(*_on_question(Answer.question_id, question_id)))
    return {answer_id: int(count) for answer_id, count in rows}


async def merge_sources(
    session: AsyncSession, meeting_id: uuid.UUID, question_id: uuid.UUID | None
) -> dict[uuid.UUID, list[uuid.UUID]]:
    """The answers each merged answer was made from."""
    statement = (
        select(AnswerSource.answer_id, AnswerSource.source_id)
        .join(Answer, Answer.id == AnswerSource.answer_id)
        .where(Answer.meeting_id == meeting_id)
        .order_by(AnswerSource.answer_id, AnswerSource.source_id)
    )
    found: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
    for answer_id, source_id in await session.execute(statement.where(*_on_question(Answer.question_id, question_id))):
        found[answer_id].append(source_id)
    return dict(found)


async def roster_of(session: AsyncSession, meeting_id: uuid.UUID) -> dict[uuid.UUID, Participant]:
    rows = await session.scalars(select(Participant).where(Participant.meeting_id == meeting_id))
    return {participant.id: participant for participant in rows}


async def shared_findings(session: AsyncSession, meeting_id: uuid.UUID, question_id: uuid.UUID | None) -> list[Finding]:
    statement = (
        select(Finding)
        .where(Finding.meeting_id == meeting_id, Finding.status.in_(SHARED_FINDING_STATUSES))
        .order_by(Finding.position, Finding.created_at, Finding.id)
    )
    return list(await session.scalars(statement.where(*_on_question(Finding.question_id, question_id))))


async def finding_sources(session: AsyncSession, finding_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[uuid.UUID]]:
    found: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
    for start in range(0, len(finding_ids), 500):
        rows = await session.execute(
            select(FindingSource.finding_id, FindingSource.answer_id)
            .where(FindingSource.finding_id.in_(finding_ids[start : start + 500]))
            .order_by(FindingSource.finding_id, FindingSource.answer_id)
        )
        for finding_id, answer_id in rows:
            found[finding_id].append(answer_id)
    return dict(found)


async def endorsement_counts(session: AsyncSession, finding_ids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
    found: dict[uuid.UUID, int] = {}
    for start in range(0, len(finding_ids), 500):
        rows = await session.execute(
            select(Endorsement.finding_id, func.count())
            .where(Endorsement.finding_id.in_(finding_ids[start : start + 500]))
            .group_by(Endorsement.finding_id)
        )
        found.update({finding_id: int(count) for finding_id, count in rows})
    return found


async def curated_groups_of(
    session: AsyncSession, meeting_id: uuid.UUID, question_id: uuid.UUID | None
) -> list[CuratedGroup]:
    statement = (
        select(CuratedGroup)
        .where(CuratedGroup.meeting_id == meeting_id)
        .order_by(CuratedGroup.created_at, CuratedGroup.id)
    )
    return list(await session.scalars(statement.where(*_on_question(CuratedGroup.question_id, question_id))))


async def plenary_state(session: AsyncSession, meeting_id: uuid.UUID) -> PlenaryState | None:
    return await session.get(PlenaryState, meeting_id)


async def bump_version(session: AsyncSession, meeting_id: uuid.UUID, **focus: uuid.UUID | int | None) -> PlenaryState:
    """Move the plenary on by one version (and set the focus when given), in one statement.

    An upsert: the first writer creates the row, concurrent writers queue on it (PostgreSQL's row
    lock, SQLite's database lock), so versions never repeat.
    """
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    now = utcnow()
    statement = (
        insert(PlenaryState)
        .values(meeting_id=meeting_id, version=1, updated_at=now, **focus)
        .on_conflict_do_update(
            index_elements=["meeting_id"],
            set_={"version": PlenaryState.version + 1, "updated_at": now, **focus},
        )
        .returning(PlenaryState)
        .execution_options(populate_existing=True)
    )
    state: PlenaryState = (await session.scalars(statement)).one()
    return state
