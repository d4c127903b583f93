from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.answers.models import Answer
from app.questions.models import Allocation, Question
from app.rooms.models import Room
from app.vocabulary import QuestionState

BANK_ORDER = (Question.theme, Question.position, Question.code, Question.id)


async def questions_of_meeting(session: AsyncSession, meeting_id: uuid.UUID) -> list[Question]:
    rows = await session.scalars(select(Question).where(Question.meeting_id == meeting_id).order_by(*BANK_ORDER))
    return list(rows)


async def questions_allocated_to(session: AsyncSession, room_ids: Iterable[uuid.UUID]) -> list[Question]:
    allocated = select(Allocation.question_id).where(Allocation.room_id.in_(list(room_ids)))
    rows = await session.scalars(select(Question).where(Question.id.in_(allocated)).order_by(*BANK_ORDER))
    return list(rows)


async def is_allocated_to_any(session: AsyncSession, question_id: uuid.UUID, room_ids: Iterable[uuid.UUID]) -> bool:
    found = await session.scalar(
        select(Allocation.id).where(Allocation.question_id == question_id, Allocation.room_id.in_(list(room_ids)))
    )
    return found is not None


async def next_bank_position(session: AsyncSession, meeting_id: uuid.UUID, theme: str) -> int:
    highest = await session.scalar(
        select(func.max(Question.position)).where(Question.meeting_id == meeting_id, Question.theme == theme)
    )
    return 0 if highest is None else highest + 1


async def has_answers(session: AsyncSession, question_id: uuid.UUID, room_id: uuid.UUID | None = None) -> bool:
    condition = Answer.question_id == question_id
    if room_id is not None:
        condition = condition & (Answer.room_id == room_id)
    return bool(await session.scalar(select(exists().where(condition))))


async def allocations_of_question(session: AsyncSession, question_id: uuid.UUID) -> list[Allocation]:
    rows = await session.scalars(
        select(Allocation)
        .join(Room, Room.id == Allocation.room_id)
        .where(Allocation.question_id == question_id)
        .order_by(Room.position, Room.name, Room.id)
    )
    return list(rows)


async def room_questions(session: AsyncSession, room_id: uuid.UUID) -> list[tuple[Allocation, Question]]:
    rows = await session.execute(
        select(Allocation, Question)
        .join(Question, Question.id == Allocation.question_id)
        .where(Allocation.room_id == room_id)
        .order_by(Allocation.position, Question.code, Allocation.id)
    )
    return [(allocation, question) for allocation, question in rows]


async def allocation_of(session: AsyncSession, room_id: uuid.UUID, question_id: uuid.UUID) -> Allocation | None:
    found: Allocation | None = await session.scalar(
        select(Allocation).where(Allocation.room_id == room_id, Allocation.question_id == question_id)
    )
    return found


async def live_allocation(session: AsyncSession, room_id: uuid.UUID) -> Allocation | None:
    found: Allocation | None = await session.scalar(
        select(Allocation).where(Allocation.room_id == room_id, Allocation.state == QuestionState.LIVE)
    )
    return found


async def live_allocations_of_meeting(
    session: AsyncSession, meeting_id: uuid.UUID
) -> list[tuple[Allocation, Question]]:
    rows = await session.execute(
        select(Allocation, Question)
        .join(Question, Question.id == Allocation.question_id)
        .join(Room, Room.id == Allocation.room_id)
        .where(Room.meeting_id == meeting_id, Allocation.state == QuestionState.LIVE)
        .order_by(Allocation.room_id, Allocation.id)
    )
    return [(allocation, question) for allocation, question in rows]


async def is_live_anywhere(session: AsyncSession, question_id: uuid.UUID) -> bool:
    condition = (Allocation.question_id == question_id) & (Allocation.state == QuestionState.LIVE)
    return bool(await session.scalar(select(exists().where(condition))))


async def next_room_position(session: AsyncSession, room_id: uuid.UUID) -> int:
    highest = await session.scalar(select(func.max(Allocation.position)).where(Allocation.room_id == room_id))
    return 0 if highest is None else highest + 1


async def rooms_of_meeting(session: AsyncSession, meeting_id: uuid.UUID, room_ids: Iterable[uuid.UUID]) -> list[Room]:
    rows = await session.scalars(select(Room).where(Room.meeting_id == meeting_id, Room.id.in_(list(room_ids))))
    return list(rows)


async def room_ids_of_meeting(session: AsyncSession, meeting_id: uuid.UUID) -> list[uuid.UUID]:
    rows = await session.scalars(select(Room.id).where(Room.meeting_id == meeting_id))
    return list(rows)
