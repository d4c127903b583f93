from __future__ import annotations

import uuid

from fastapi import APIRouter, status

from app.auth.dependencies import ActorDep
from app.dependencies import ReadSessionDep, UowDep
from app.errors import ERROR_RESPONSES
from app.questions import allocations, service
from app.questions.schemas import (
    AllocationRead,
    AllocationsUpdate,
    GroupingUpdate,
    QuestionCreate,
    QuestionRead,
    QuestionUpdate,
    RoomQuestionOrder,
    RoomQuestionsRead,
)

router = APIRouter(prefix="/api", tags=["questions"], responses=ERROR_RESPONSES)


@router.post(
    "/meetings/{meeting_id}/questions",
    status_code=status.HTTP_201_CREATED,
    summary="Add a question to the meeting's bank (organisers)",
)
async def create_question(meeting_id: uuid.UUID, body: QuestionCreate, uow: UowDep, actor: ActorDep) -> QuestionRead:
    return await service.create_question(uow, actor, meeting_id, body)


@router.get(
    "/meetings/{meeting_id}/questions",
    summary="The question bank, by theme then position",
    description="Organisers and moderators read the whole bank; participants and observers the questions "
    "allocated to the rooms they can read.",
)
async def list_questions(meeting_id: uuid.UUID, session: ReadSessionDep, actor: ActorDep) -> list[QuestionRead]:
    return await service.list_questions(session, actor, meeting_id)


@router.get("/questions/{question_id}", summary="One question of the bank")
async def get_question(question_id: uuid.UUID, session: ReadSessionDep, actor: ActorDep) -> QuestionRead:
    return await service.get_question(session, actor, question_id)


@router.patch(
    "/questions/{question_id}",
    summary="Change a question (organisers)",
    description="409 `question_answered` when answers exist and the kind, options or scale would change, "
    "or the anonymity would weaken.",
)
async def update_question(question_id: uuid.UUID, body: QuestionUpdate, uow: UowDep, actor: ActorDep) -> QuestionRead:
    return await service.update_question(uow, actor, question_id, body)


@router.delete(
    "/questions/{question_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Remove a question without answers from the bank (organisers)",
)
async def delete_question(question_id: uuid.UUID, uow: UowDep, actor: ActorDep) -> None:
    await service.delete_question(uow, actor, question_id)


@router.put(
    "/questions/{question_id}/allocations",
    summary="Allocate a question to exactly these rooms (organisers)",
    description="Kept allocations keep their state; removing one that is live or has answers is refused (409).",
)
async def set_allocations(
    question_id: uuid.UUID, body: AllocationsUpdate, uow: UowDep, actor: ActorDep
) -> list[AllocationRead]:
    return await allocations.set_allocations(uow, actor, question_id, body)


@router.get("/rooms/{room_id}/questions", summary="The room's questions in order, with their state there")
async def room_questions(room_id: uuid.UUID, session: ReadSessionDep, actor: ActorDep) -> RoomQuestionsRead:
    return await allocations.room_questions(session, actor, room_id)


@router.put("/rooms/{room_id}/questions/order", summary="Reorder the room's questions (its moderators, organisers)")
async def order_room_questions(
    room_id: uuid.UUID, body: RoomQuestionOrder, uow: UowDep, actor: ActorDep
) -> RoomQuestionsRead:
    return await allocations.order_room_questions(uow, actor, room_id, body)


@router.post(
    "/rooms/{room_id}/questions/{question_id}/push",
    summary="Make a question live in the room",
    description="One live question per room: 409 `another_question_live` names the live one; 409 "
    "`question_closed` for a closed one; 409 `wrong_phase` outside plenary and breakouts.",
)
async def push_question(room_id: uuid.UUID, question_id: uuid.UUID, uow: UowDep, actor: ActorDep) -> AllocationRead:
    return await allocations.push_question(uow, actor, room_id, question_id)


@router.post(
    "/rooms/{room_id}/questions/{question_id}/close",
    summary="Close the room's live question (reveals answers shown only after close)",
)
async def close_question(room_id: uuid.UUID, question_id: uuid.UUID, uow: UowDep, actor: ActorDep) -> AllocationRead:
    return await allocations.close_question(uow, actor, room_id, question_id)


@router.put(
    "/rooms/{room_id}/questions/{question_id}/grouping",
    summary="Show the room's answers to an open question grouped by similarity, or not",
    description="The room's moderators and the organisers; 409 `question_not_open` for a choice or scale question.",
)
async def set_grouping(
    room_id: uuid.UUID, question_id: uuid.UUID, body: GroupingUpdate, uow: UowDep, actor: ActorDep
) -> AllocationRead:
    return await allocations.set_grouping(uow, actor, room_id, question_id, body.grouped)
