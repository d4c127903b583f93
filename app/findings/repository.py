from __future__ import annotations

import uuid
from collections import defaultdict

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.answers.models import Answer
from app.findings.models import Endorsement, Finding, FindingSource
from app.questions.models import Allocation


async def finding_for_update(session: AsyncSession, finding_id: uuid.UUID) -> Finding | None:
    """Locks the row on PostgreSQL so that concurrent steps of one finding (endorse, confirm, edit)
    queue instead of racing past each other's state checks; SQLite already serialises writers."""
    statement = select(Finding).where(Finding.id == finding_id).with_for_update()
    return (await session.scalars(statement)).one_or_none()


async def findings_of_room(session: AsyncSession, room_id: uuid.UUID) -> list[Finding]:
    rows = await session.scalars(
        select(Finding).where(Finding.room_id == room_id).order_by(Finding.position, Finding.created_at, Finding.id)
    )
    return list(rows)


async def next_position(session: AsyncSession, room_id: uuid.UUID) -> int:
    highest = await session.scalar(select(func.max(Finding.position)).where(Finding.room_id == room_id))
    return 0 if highest is None else highest + 1


async def source_ids_of(session: AsyncSession, finding_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[uuid.UUID]]:
    if not finding_ids:
        return {}
    rows = await session.execute(
        select(FindingSource.finding_id, FindingSource.answer_id)
        .join(Answer, Answer.id == FindingSource.answer_id)
        .where(FindingSource.finding_id.in_(finding_ids))
        .order_by(Answer.created_at, Answer.id)
    )
    sources: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
    for finding_id, answer_id in rows:
        sources[finding_id].append(answer_id)
    return sources


async def endorsement_counts(session: AsyncSession, finding_ids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
    if not finding_ids:
        return {}
    rows = await session.execute(
        select(Endorsement.finding_id, func.count())
        .where(Endorsement.finding_id.in_(finding_ids))
        .group_by(Endorsement.finding_id)
    )
    return {finding_id: int(count) for finding_id, count in rows}


async def answers_by_id(session: AsyncSession, answer_ids: list[uuid.UUID]) -> dict[uuid.UUID, Answer]:
    if not answer_ids:
        return {}
    rows = await session.scalars(select(Answer).where(Answer.id.in_(answer_ids)))
    return {answer.id: answer for answer in rows}


async def source_answers(session: AsyncSession, finding_id: uuid.UUID) -> list[Answer]:
    rows = await session.scalars(
        select(Answer)
        .join(FindingSource, FindingSource.answer_id == Answer.id)
        .where(FindingSource.finding_id == finding_id)
        .order_by(Answer.created_at, Answer.id)
    )
    return list(rows)


async def replace_sources(session: AsyncSession, finding_id: uuid.UUID, answer_ids: list[uuid.UUID]) -> None:
    await session.execute(delete(FindingSource).where(FindingSource.finding_id == finding_id))
    session.add_all(FindingSource(finding_id=finding_id, answer_id=answer_id) for answer_id in answer_ids)
    await session.flush()


async def is_allocated(session: AsyncSession, room_id: uuid.UUID, question_id: uuid.UUID) -> bool:
    found = await session.scalar(
        select(Allocation.id).where(Allocation.room_id == room_id, Allocation.question_id == question_id)
    )
    return found is not None


async def has_endorsed(session: AsyncSession, finding_id: uuid.UUID, participant_id: uuid.UUID) -> bool:
    found = await session.scalar(
        select(Endorsement.finding_id).where(
            Endorsement.finding_id == finding_id, Endorsement.participant_id == participant_id
        )
    )
    return found is not None


async def clear_endorsements(session: AsyncSession, finding_id: uuid.UUID) -> None:
    await session.execute(delete(Endorsement).where(Endorsement.finding_id == finding_id))
