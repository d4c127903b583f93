from __future__ import annotations

import uuid

from fastapi import APIRouter, status

from app.auth.dependencies import ActorDep
from app.dependencies import ReadSessionDep, UowDep
from app.errors import ERROR_RESPONSES
from app.meetings import service
from app.meetings.schemas import (
    AgendaItemCreate,
    AgendaItemRead,
    AgendaItemUpdate,
    CountdownExtension,
    CurrentItemChange,
    MeetingCreate,
    MeetingRead,
    MeetingUpdate,
    PhaseChange,
)

router = APIRouter(prefix="/api/meetings", tags=["meetings"], responses=ERROR_RESPONSES)


@router.post("", status_code=status.HTTP_201_CREATED, summary="Create a meeting (organisers)")
async def create_meeting(body: MeetingCreate, uow: UowDep, actor: ActorDep) -> MeetingRead:
    return await service.create_meeting(uow, actor, body)


@router.get("", summary="The caller's meetings (organisers)")
async def list_meetings(session: ReadSessionDep, actor: ActorDep) -> list[MeetingRead]:
    return await service.list_meetings(session, actor)


@router.get("/{meeting_id}", summary="A meeting with its agenda, phase and current item")
async def get_meeting(meeting_id: uuid.UUID, session: ReadSessionDep, actor: ActorDep) -> MeetingRead:
    return await service.get_meeting(session, actor, meeting_id)


@router.patch("/{meeting_id}", summary="Change a meeting's details")
async def update_meeting(meeting_id: uuid.UUID, body: MeetingUpdate, uow: UowDep, actor: ActorDep) -> MeetingRead:
    return await service.update_meeting(uow, actor, meeting_id, body)


@router.post(
    "/{meeting_id}/phase",
    summary="Move the meeting to another phase",
    description="Refused with 409 `phase_not_allowed` when the phase machine does not allow the step; "
    "the message names the allowed ones.",
)
async def change_phase(meeting_id: uuid.UUID, body: PhaseChange, uow: UowDep, actor: ActorDep) -> MeetingRead:
    return await service.change_phase(uow, actor, meeting_id, body)


@router.post(
    "/{meeting_id}/countdown/cancel",
    summary="Stop the rooms from closing by themselves",
    description="Cancels the running close countdown, or the planned end that would start one; the rooms "
    "stay open. Refused with 409 `no_countdown` when neither is set.",
)
async def cancel_countdown(meeting_id: uuid.UUID, uow: UowDep, actor: ActorDep) -> MeetingRead:
    return await service.cancel_countdown(uow, actor, meeting_id)


@router.post(
    "/{meeting_id}/countdown/extend",
    summary="Give the rooms more time",
    description="Adds `seconds` to the running close countdown (ending at most 600 s from now), or else to "
    "the planned end. Refused with 409 `no_countdown` when neither is set.",
)
async def extend_countdown(
    meeting_id: uuid.UUID, body: CountdownExtension, uow: UowDep, actor: ActorDep
) -> MeetingRead:
    return await service.extend_countdown(uow, actor, meeting_id, body)


@router.put("/{meeting_id}/current-item", summary="Set the agenda item shown to everyone as current")
async def set_current_item(meeting_id: uuid.UUID, body: CurrentItemChange, uow: UowDep, actor: ActorDep) -> MeetingRead:
    return await service.set_current_item(uow, actor, meeting_id, body)


@router.post("/{meeting_id}/agenda", status_code=status.HTTP_201_CREATED, summary="Add an agenda item")
async def add_agenda_item(
    meeting_id: uuid.UUID, body: AgendaItemCreate, uow: UowDep, actor: ActorDep
) -> AgendaItemRead:
    return await service.add_agenda_item(uow, actor, meeting_id, body)


@router.patch("/{meeting_id}/agenda/{item_id}", summary="Change or reorder an agenda item")
async def update_agenda_item(
    meeting_id: uuid.UUID, item_id: uuid.UUID, body: AgendaItemUpdate, uow: UowDep, actor: ActorDep
) -> AgendaItemRead:
    return await service.update_agenda_item(uow, actor, meeting_id, item_id, body)


@router.delete(
    "/{meeting_id}/agenda/{item_id}", status_code=status.HTTP_204_NO_CONTENT, summary="Remove an agenda item"
)
async def delete_agenda_item(meeting_id: uuid.UUID, item_id: uuid.UUID, uow: UowDep, actor: ActorDep) -> None:
    await service.delete_agenda_item(uow, actor, meeting_id, item_id)
