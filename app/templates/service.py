"""Meeting templates: a meeting's preparation exported to a file, and a file imported as a new meeting."""

from __future__ import annotations

import heapq
import itertools
import uuid
from collections import defaultdict
from typing import Any

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.access import Actor, meeting_access
from app.errors import Conflict, Forbidden, NotAuthenticated
from app.meetings.service import meeting_read, new_join_code
from app.questions.models import Allocation, Question
from app.questions.service import emit_room_questions
from app.questions.shape import CHOICE_KINDS
from app.realtime.eventlog import meeting_stream
from app.realtime.outbox import UnitOfWork
from app.realtime.protocol import MeetingChanged, MeetingView, RoomChanged, RoomView
from app.templates import repository
from app.templates.document import TemplateFormat, parse_template
from app.templates.repository import MeetingStructure
from app.templates.schemas import TEMPLATE_FORMAT, TEMPLATE_VERSION, MeetingTemplate
from app.vocabulary import QuestionKind


def _require_account(actor: Actor | None) -> uuid.UUID:
    if actor is None:
        raise NotAuthenticated("sign in first")
    if actor.account_id is None:
        raise Forbidden("only organisers with an account import meetings")
    return actor.account_id


async def import_template(uow: UnitOfWork, actor: Actor | None, template: MeetingTemplate) -> MeetingView:
    """Create a new meeting (in draft) with the template's agenda, rooms, questions and allocations.

    Emits ``meeting.created`` and one ``room.created`` per room on the meeting stream, then one
    ``question.allocated`` per room that asks questions on that room's stream."""
    owner_id = _require_account(actor)
    imported = await repository.insert_template(uow.session, owner_id, await new_join_code(uow.session), template)
    meeting_id = imported.meeting.id
    view = meeting_read(imported.meeting, imported.agenda)
    await uow.emit(meeting_stream(meeting_id), meeting_id, "meeting.created", MeetingChanged(meeting=view))
    for room in imported.rooms:
        await uow.emit(
            meeting_stream(meeting_id), meeting_id, "room.created", RoomChanged(room=RoomView.model_validate(room))
        )
    # Each room's question list, as a room hears of it when questions are allocated one by one.
    for room_id in dict.fromkeys(allocation.room_id for allocation in imported.allocations):
        await emit_room_questions(uow, meeting_id, room_id)
    return view


async def import_template_file(
    uow: UnitOfWork, actor: Actor | None, data: bytes, source: TemplateFormat
) -> MeetingView:
    _require_account(actor)  # before reading the file: a stranger learns nothing from its errors
    return await import_template(uow, actor, parse_template(data, source))


def _question_order(questions: list[Question], allocations: list[Allocation]) -> list[Question]:
    """The bank in an order that keeps every room's own question order, since a template states one
    order for all rooms. Ties, and rooms whose orders contradict each other, fall back to the bank's."""
    rank = {question.id: index for index, question in enumerate(questions)}
    after: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
    waiting = dict.fromkeys(rank, 0)
    by_room: dict[uuid.UUID, list[Allocation]] = defaultdict(list)
    for allocation in allocations:
        by_room[allocation.room_id].append(allocation)
    for room_allocations in by_room.values():
        room_allocations.sort(key=lambda allocation: (allocation.position, rank[allocation.question_id]))
        for first, then in itertools.pairwise(room_allocations):
            after[first.question_id].append(then.question_id)
            waiting[then.question_id] += 1
    ready = [rank[question_id] for question_id, count in waiting.items() if count == 0]
    heapq.heapify(ready)
    ordered: list[Question] = []
    while ready:
        question = questions[heapq.heappop(ready)]
        ordered.append(question)
        for later in after[question.id]:
            waiting[later] -= 1
            if waiting[later] == 0:
                heapq.heappush(ready, rank[later])
    placed = {question.id for question in ordered}
    return ordered + [question for question in questions if question.id not in placed]


def template_of(structure: MeetingStructure) -> MeetingTemplate:
    meeting = structure.meeting
    room_names = {room.id: room.name for room in structure.rooms}
    rooms_of: dict[uuid.UUID, list[str]] = defaultdict(list)
    for allocation in structure.allocations:
        rooms_of[allocation.question_id].append(room_names[allocation.room_id])
    document: dict[str, Any] = {
        "format": TEMPLATE_FORMAT,
        "version": TEMPLATE_VERSION,
        "meeting": {
            "title": meeting.title,
            "description": meeting.description,
            "languages": list(meeting.languages),
            "default_anonymity": meeting.default_anonymity,
        },
        "agenda": [
            {"title": item.title, "kind": item.kind, "speaker": item.speaker, "planned_minutes": item.planned_minutes}
            for item in structure.agenda
        ],
        "rooms": [{"name": room.name, "theme": room.theme, "capacity": room.capacity} for room in structure.rooms],
        "questions": [
            {
                "code": question.code,
                "theme": question.theme,
                "text": question.text,
                "kind": question.kind,
                # Options and scales only mean something for their kinds: leftovers are not carried.
                "options": list(question.options) if question.kind in CHOICE_KINDS else [],
                "scale": {"min": question.scale_min, "max": question.scale_max, "labels": dict(question.scale_labels)}
                if question.kind == QuestionKind.SCALE
                else None,
                "anonymity": question.anonymity,
                "visibility": question.visibility,
                "rooms": rooms_of[question.id],
            }
            for question in _question_order(structure.questions, structure.allocations)
        ],
    }
    try:
        return MeetingTemplate.model_validate(document)
    except ValidationError as error:
        # The meeting was edited into something a template cannot hold (two rooms of one name …).
        first = error.errors(include_url=False)[0]
        where = ".".join(str(part) for part in first["loc"])
        raise Conflict(
            f"this meeting cannot be written as a template: {where}: {first['msg']}", code="not_exportable"
        ) from None


async def export_template(session: AsyncSession, actor: Actor | None, meeting_id: uuid.UUID) -> MeetingTemplate:
    access = await meeting_access(session, actor, meeting_id)
    access.require_organiser()
    return template_of(await repository.meeting_structure(session, access.meeting))
