from __future__ import annotations

import uuid

from fastapi import APIRouter, Response, status

from app.answers import moderation, service
from app.answers.schemas import (
    AnswerCreate,
    AnswerMergeRequest,
    AnswerModeration,
    AnswerRead,
    AnswerUpdate,
    VoteRequest,
)
from app.auth.dependencies import ActorDep
from app.dependencies import ReadSessionDep, UowDep
from app.errors import ERROR_RESPONSES

router = APIRouter(prefix="/api", tags=["answers"], responses=ERROR_RESPONSES)


@router.post(
    "/rooms/{room_id}/questions/{question_id}/answers",
    status_code=status.HTTP_201_CREATED,
    summary="Answer the room's live question",
    description="Idempotent by `client_id`: the first submit returns 201, a retry with the same `client_id` "
    "returns the original answer with 200 and creates nothing, even if the retry's content differs. A choice or "
    "scale question takes one answer per person: answering it again (a new `client_id`) while it is live replaces "
    "the earlier choice and returns that answer with 200.",
    responses={
        200: {
            "model": AnswerRead,
            "description": "A retry (the answer this client_id made before), or a changed choice (the person's one answer)",
        }
    },
)
async def submit_answer(
    room_id: uuid.UUID, question_id: uuid.UUID, body: AnswerCreate, response: Response, uow: UowDep, actor: ActorDep
) -> AnswerRead:
    submitted = await service.submit_answer(uow, actor, room_id, question_id, body)
    if not submitted.created:
        response.status_code = status.HTTP_200_OK
    return submitted.answer


@router.patch("/answers/{answer_id}", summary="Edit one's own answer while its question is live")
async def edit_answer(answer_id: uuid.UUID, body: AnswerUpdate, uow: UowDep, actor: ActorDep) -> AnswerRead:
    return await service.edit_answer(uow, actor, answer_id, body)


@router.get(
    "/rooms/{room_id}/answers",
    summary="The room's answers as the caller may see them",
    description="Participants and observers see neither hidden nor merged-away answers, and answers to a "
    "question shown after close only once it closed (their own before). Authors per the question's anonymity.",
)
async def list_answers(
    room_id: uuid.UUID, session: ReadSessionDep, actor: ActorDep, question_id: uuid.UUID | None = None
) -> list[AnswerRead]:
    return await service.list_answers(session, actor, room_id, question_id)


@router.post("/answers/{answer_id}/moderation", summary="Hide or pin an answer (room moderators, organisers)")
async def moderate_answer(answer_id: uuid.UUID, body: AnswerModeration, uow: UowDep, actor: ActorDep) -> AnswerRead:
    return await moderation.moderate_answer(uow, actor, answer_id, body)


@router.post(
    "/rooms/{room_id}/answers/merge",
    status_code=status.HTTP_201_CREATED,
    summary="Merge duplicate answers into one (room moderators, organisers)",
)
async def merge_answers(room_id: uuid.UUID, body: AnswerMergeRequest, uow: UowDep, actor: ActorDep) -> AnswerRead:
    return await moderation.merge_answers(uow, actor, room_id, body)


@router.post(
    "/answers/{answer_id}/vote",
    summary="Upvote an answer, or withdraw the upvote",
    description="One upvote per participant per answer (409 `already_voted`); withdrawing a vote not given is "
    "409 `not_voted`; no votes on one's own, hidden or merged-away answers.",
)
async def vote_answer(answer_id: uuid.UUID, body: VoteRequest, uow: UowDep, actor: ActorDep) -> AnswerRead:
    return await service.vote_answer(uow, actor, answer_id, body)
