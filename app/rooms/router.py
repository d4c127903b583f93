from __future__ import annotations

import uuid

from fastapi import APIRouter, status

from app.auth.dependencies import ActorDep
from app.dependencies import ReadSessionDep, UowDep
from app.errors import ERROR_RESPONSES
from app.rooms import finishing, service
from app.rooms.schemas import RoomCallRead, RoomCreate, RoomFinishing, RoomModeratorsSet, RoomRead, RoomUpdate

router = APIRouter(prefix="/api", tags=["rooms"], responses=ERROR_RESPONSES)


@router.post("/meetings/{meeting_id}/rooms", status_code=status.HTTP_201_CREATED, summary="Add a breakout room")
async def create_room(meeting_id: uuid.UUID, body: RoomCreate, uow: UowDep, actor: ActorDep) -> RoomRead:
    return await service.create_room(uow, actor, meeting_id, body)


@router.get("/meetings/{meeting_id}/rooms", summary="The meeting's rooms in order (everyone in the meeting)")
async def list_rooms(meeting_id: uuid.UUID, session: ReadSessionDep, actor: ActorDep) -> list[RoomRead]:
    return await service.list_rooms(session, actor, meeting_id)


@router.get("/rooms/{room_id}", summary="One room with its moderators")
async def get_room(room_id: uuid.UUID, session: ReadSessionDep, actor: ActorDep) -> RoomRead:
    return await service.get_room(session, actor, room_id)


@router.get(
    "/rooms/{room_id}/call",
    summary="The room's video call link (its participants, its moderators, observers, organisers)",
    description="Room views sent to the whole meeting carry no call link; people of other rooms get 403.",
)
async def get_room_call(room_id: uuid.UUID, session: ReadSessionDep, actor: ActorDep) -> RoomCallRead:
    return await service.get_room_call(session, actor, room_id)


@router.patch(
    "/rooms/{room_id}",
    summary="Rename, re-theme, resize or reorder a room, or set its call link",
    description="`capacity: null` makes the room unlimited. Lowering the capacity below the participants "
    "already in the room is refused with 409 `room_over_capacity`. `call_url` takes an http(s) address "
    "(at most 500 characters); `null` or blank removes it.",
)
async def update_room(room_id: uuid.UUID, body: RoomUpdate, uow: UowDep, actor: ActorDep) -> RoomRead:
    return await service.update_room(uow, actor, room_id, body)


@router.put(
    "/rooms/{room_id}/finished",
    summary="Finish the room early, or open it again (its moderators, organisers; while the rooms are open)",
    description="Finishing closes the room's live question; pushing there is refused with 409 `room_finished` "
    "until it is opened again. Outside breakouts: 409 `wrong_phase`. A new round of breakouts opens every room.",
)
async def finish_room(room_id: uuid.UUID, body: RoomFinishing, uow: UowDep, actor: ActorDep) -> RoomRead:
    return await finishing.finish_room(uow, actor, room_id, body)


@router.delete(
    "/rooms/{room_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Remove a room (its people become unassigned)",
    description="Refused with 409 `room_has_contributions` when answers or findings were made in the room.",
)
async def delete_room(room_id: uuid.UUID, uow: UowDep, actor: ActorDep) -> None:
    await service.delete_room(uow, actor, room_id)


@router.put(
    "/rooms/{room_id}/moderators",
    summary="Set the room's moderators",
    description="Replaces the set. Each must be on the roster with role moderator; one moderator may steer "
    "several rooms.",
)
async def set_moderators(room_id: uuid.UUID, body: RoomModeratorsSet, uow: UowDep, actor: ActorDep) -> RoomRead:
    return await service.set_moderators(uow, actor, room_id, body)
