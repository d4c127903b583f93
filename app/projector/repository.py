"""The projector's reads: the meeting a projector link names, and each room's current question."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.meetings.models import Meeting
from app.questions.models import Allocation, Question
from app.rooms.models import Room
from app.vocabulary import QuestionState


async def meeting_by_projector_token(session: AsyncSession, token_id: uuid.UUID) -> Meeting | None:
    found: Meeting | None = await session.scalar(select(Meeting).where(Meeting.projector_token_id == token_id))
    return found


async def current_questions(session: AsyncSession, meeting_id: uuid.UUID) -> list[tuple[Room, Allocation, Question]]:
    """Per room (in the rooms' order), its live question, else the one closed last; rooms that
    have pushed nothing are left out."""
    rows = await session.execute(
        select(Room, Allocation, Question)
        .join(Allocation, Allocation.room_id == Room.id)
        .join(Question, Question.id == Allocation.question_id)
        .where(Room.meeting_id == meeting_id, Allocation.state != QuestionState.PENDING)
        .order_by(Room.position, Room.id)
    )
    current: dict[uuid.UUID, tuple[Room, Allocation, Question]] = {}
    for room, allocation, question in rows:
        held = current.get(room.id)
        if held is None or _ranks_above(allocation, held[1]):
            current[room.id] = (room, allocation, question)
    return list(current.values())


def _ranks_above(candidate: Allocation, held: Allocation) -> bool:
    return _rank(candidate) > _rank(held)


def _rank(allocation: Allocation) -> tuple[bool, datetime]:
    """Live first, then the latest closed."""
    return allocation.state == QuestionState.LIVE, allocation.closed_at or allocation.pushed_at or _LONG_AGO


_LONG_AGO = datetime.min.replace(tzinfo=UTC)
