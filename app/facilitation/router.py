from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, status

from app.auth.dependencies import ActorDep
from app.dependencies import ReadSessionDep, UowDep
from app.errors import ERROR_RESPONSES
from app.facilitation import service
from app.facilitation.schemas import (
    BroadcastCreate,
    BroadcastRead,
    HelpCreate,
    HelpRead,
    TimerCreate,
    TimerExtension,
    TimerRead,
)

router = APIRouter(prefix="/api", tags=["facilitation"], responses=ERROR_RESPONSES)


@router.post(
    "/meetings/{meeting_id}/timers",
    status_code=status.HTTP_201_CREATED,
    summary="Start a timer for the meeting (organisers) or a room (its moderators and the organisers)",
    description="The server keeps the deadline (`ends_at`, UTC); clients count down to it.",
)
async def start_timer(meeting_id: uuid.UUID, body: TimerCreate, uow: UowDep, actor: ActorDep) -> TimerRead:
    return await service.start_timer(uow, actor, meeting_id, body)


@router.get("/meetings/{meeting_id}/timers", summary="The running timers the caller may see")
async def list_timers(meeting_id: uuid.UUID, session: ReadSessionDep, actor: ActorDep) -> list[TimerRead]:
    return await service.list_timers(session, actor, meeting_id)


@router.post(
    "/timers/{timer_id}/extend",
    summary="Push a timer's deadline back",
    description="Adds to the deadline, or to now if it has run out; 409 `timer_stopped` once stopped.",
)
async def extend_timer(timer_id: uuid.UUID, body: TimerExtension, uow: UowDep, actor: ActorDep) -> TimerRead:
    return await service.extend_timer(uow, actor, timer_id, body)


@router.post("/timers/{timer_id}/stop", summary="Stop a timer (409 `timer_stopped` if already stopped)")
async def stop_timer(timer_id: uuid.UUID, uow: UowDep, actor: ActorDep) -> TimerRead:
    return await service.stop_timer(uow, actor, timer_id)


@router.post(
    "/meetings/{meeting_id}/broadcasts",
    status_code=status.HTTP_201_CREATED,
    summary="Show a banner message in every room (organisers)",
)
async def send_broadcast(meeting_id: uuid.UUID, body: BroadcastCreate, uow: UowDep, actor: ActorDep) -> BroadcastRead:
    return await service.send_broadcast(uow, actor, meeting_id, body)


@router.get("/meetings/{meeting_id}/broadcasts", summary="The meeting's broadcasts, oldest first")
async def list_broadcasts(meeting_id: uuid.UUID, session: ReadSessionDep, actor: ActorDep) -> list[BroadcastRead]:
    return await service.list_broadcasts(session, actor, meeting_id)


@router.post(
    "/rooms/{room_id}/help",
    status_code=status.HTTP_201_CREATED,
    summary="Call the organisers for help (the room's moderators and participants)",
    description="One open request per room: 409 `help_already_requested` (with its `help_id`) while one is open.",
)
async def request_help(room_id: uuid.UUID, body: HelpCreate, uow: UowDep, actor: ActorDep) -> HelpRead:
    return await service.request_help(uow, actor, room_id, body)


@router.post("/help/{help_id}/resolve", summary="Mark a help request resolved (organisers)")
async def resolve_help(help_id: uuid.UUID, uow: UowDep, actor: ActorDep) -> HelpRead:
    return await service.resolve_help(uow, actor, help_id)


@router.get(
    "/meetings/{meeting_id}/help",
    summary="Help requests (organisers: all rooms; moderators: their rooms)",
)
async def list_help(
    meeting_id: uuid.UUID,
    session: ReadSessionDep,
    actor: ActorDep,
    open: Annotated[bool | None, Query(description="true: only open ones; false: only resolved ones")] = None,
) -> list[HelpRead]:
    return await service.list_help(session, actor, meeting_id, open=open)
