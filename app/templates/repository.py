"""Template import and export against the tables of meetings, rooms and questions.

Import is a bulk insert of a fresh meeting's structure (ids are made here so that children can
name their parents before anything is flushed); export reads the same structure back in its stored order.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.meetings.models import AgendaItem, Meeting
from app.meetings.repository import agenda_of
from app.questions.models import Allocation, Question
from app.rooms.models import Room
from app.templates.schemas import MeetingTemplate


@dataclass(frozen=True, slots=True)
class MeetingStructure:
    """What a template holds of a meeting, as rows, each list in its stored order."""

    meeting: Meeting
    agenda: list[AgendaItem]
    rooms: list[Room]
    questions: list[Question]
    allocations: list[Allocation]


async def insert_template(
    session: AsyncSession, owner_id: uuid.UUID, join_code: str, template: MeetingTemplate
) -> MeetingStructure:
    details = template.meeting
    meeting = Meeting(
        id=uuid.uuid4(),
        owner_id=owner_id,
        title=details.title,
        description=details.description,
        languages=list(details.languages),
        default_anonymity=details.default_anonymity,
        join_code=join_code,
    )
    agenda = [
        AgendaItem(
            meeting_id=meeting.id,
            title=item.title,
            kind=item.kind,
            speaker=item.speaker,
            planned_minutes=item.planned_minutes,
            position=position,
        )
        for position, item in enumerate(template.agenda)
    ]
    rooms = [
        Room(
            id=uuid.uuid4(),
            meeting_id=meeting.id,
            name=room.name,
            theme=room.theme,
            capacity=room.capacity,
            position=position,
        )
        for position, room in enumerate(template.rooms)
    ]
    room_by_name = {room.name: room for room in rooms}
    questions: list[Question] = []
    allocations: list[Allocation] = []
    next_position = dict.fromkeys(room_by_name, 0)
    for position, entry in enumerate(template.questions):
        question = Question(
            id=uuid.uuid4(),
            meeting_id=meeting.id,
            code=entry.code,
            theme=entry.theme,
            text=entry.text,
            kind=entry.kind,
            options=[option.model_dump() for option in entry.options],
            scale_min=entry.scale.min if entry.scale else None,
            scale_max=entry.scale.max if entry.scale else None,
            scale_labels={str(point): label for point, label in entry.scale.labels.items()} if entry.scale else {},
            anonymity=entry.anonymity or details.default_anonymity,
            visibility=entry.visibility,
            position=position,
        )
        questions.append(question)
        # Each room asks its questions in the order of the file.
        for name in entry.room_names():
            allocations.append(
                Allocation(room_id=room_by_name[name].id, question_id=question.id, position=next_position[name])
            )
            next_position[name] += 1
    # Without relationships between the models the flush does not order inserts by foreign key:
    # parents go first, one batch per level.
    for level in ([meeting], [*agenda, *rooms, *questions], allocations):
        session.add_all(level)
        await session.flush()
    return MeetingStructure(meeting, agenda, rooms, questions, allocations)


async def meeting_structure(session: AsyncSession, meeting: Meeting) -> MeetingStructure:
    rooms = list(
        await session.scalars(select(Room).where(Room.meeting_id == meeting.id).order_by(Room.position, Room.id))
    )
    questions = list(
        await session.scalars(
            select(Question)
            .where(Question.meeting_id == meeting.id)
            # Imported questions hold their place in the file; those added later their place in
            # their theme, which keeps each theme's order either way.
            .order_by(Question.position, Question.theme, Question.code, Question.id)
        )
    )
    allocations = list(
        await session.scalars(
            select(Allocation)
            .join(Room, Room.id == Allocation.room_id)
            .where(Room.meeting_id == meeting.id)
            .order_by(Allocation.room_id, Allocation.position, Allocation.id)
        )
    )
    return MeetingStructure(meeting, await agenda_of(session, meeting.id), rooms, questions, allocations)
