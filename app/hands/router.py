from __future__ import annotations

import uuid

from fastapi import APIRouter, status

from app.auth.dependencies import ActorDep
from app.dependencies import ReadSessionDep, UowDep
from app.errors import ERROR_RESPONSES
from app.hands import service
from app.hands.schemas import RaisedHandRead

router = APIRouter(prefix="/api", tags=["hands"], responses=ERROR_RESPONSES)


@router.post(
    "/rooms/{room_id}/hands",
    status_code=status.HTTP_201_CREATED,
    summary="Raise a hand to ask the room's moderator for help (the room's participants, during breakouts)",
    description="One hand up per person: 409 `hand_already_raised` (with its `hand_id`) while one is up.",
)
async def raise_hand(room_id: uuid.UUID, uow: UowDep, actor: ActorDep) -> RaisedHandRead:
    return await service.raise_hand(uow, actor, room_id)


@router.get(
    "/rooms/{room_id}/hands",
    summary="The hands up in a room (its moderators and the organisers: all; a participant: their own)",
)
async def list_hands(room_id: uuid.UUID, session: ReadSessionDep, actor: ActorDep) -> list[RaisedHandRead]:
    return await service.list_hands(session, actor, room_id)


@router.post("/hands/{hand_id}/lower", summary="Take one's own hand down (409 `hand_down` once down)")
async def lower_hand(hand_id: uuid.UUID, uow: UowDep, actor: ActorDep) -> RaisedHandRead:
    return await service.lower_hand(uow, actor, hand_id)


@router.post(
    "/hands/{hand_id}/acknowledge",
    summary="Tell the owner their hand is being handled (the room's moderators and the organisers)",
    description="409 `hand_acknowledged` when it already is, `hand_down` once it is down.",
)
async def acknowledge_hand(hand_id: uuid.UUID, uow: UowDep, actor: ActorDep) -> RaisedHandRead:
    return await service.acknowledge_hand(uow, actor, hand_id)


@router.post(
    "/hands/{hand_id}/answer",
    summary="Answer a hand and take it down (the room's moderators and the organisers)",
)
async def answer_hand(hand_id: uuid.UUID, uow: UowDep, actor: ActorDep) -> RaisedHandRead:
    return await service.answer_hand(uow, actor, hand_id)
