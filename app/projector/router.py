from __future__ import annotations

import uuid

from fastapi import APIRouter, Request, Response, status

from app.auth.dependencies import ActorDep
from app.dependencies import ReadSessionDep, SettingsDep, StateDep, UowDep
from app.errors import ERROR_RESPONSES
from app.live.schemas import TicketRead
from app.plenary.schemas import PlenaryRead
from app.plenary.shared_view import view_response
from app.projector import service
from app.projector.schemas import ProjectorLinkRead, ProjectorRead, ProjectorRoomQuestion
from app.realtime.protocol import StreamSnapshot

router = APIRouter(prefix="/api", tags=["projector"], responses=ERROR_RESPONSES)


@router.post(
    "/meetings/{meeting_id}/projector-link",
    status_code=status.HTTP_201_CREATED,
    summary="The projector link: present mode on a computer without signing in (organisers)",
    description="Made now if there is none; asking again returns the same link. Read-only: it shows "
    "what the room may see, without names.",
)
async def create_projector_link(
    meeting_id: uuid.UUID, uow: UowDep, settings: SettingsDep, actor: ActorDep
) -> ProjectorLinkRead:
    return await service.create_link(uow, settings, actor, meeting_id)


@router.get(
    "/meetings/{meeting_id}/projector-link",
    summary="The projector link; its url is null while there is none (organisers)",
)
async def get_projector_link(
    meeting_id: uuid.UUID, session: ReadSessionDep, settings: SettingsDep, actor: ActorDep
) -> ProjectorLinkRead:
    return await service.get_link(session, settings, actor, meeting_id)


@router.delete(
    "/meetings/{meeting_id}/projector-link",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Revoke the projector link: its copies answer 404 and its sockets close (organisers)",
)
async def revoke_projector_link(meeting_id: uuid.UUID, uow: UowDep, actor: ActorDep) -> None:
    await service.revoke_link(uow, actor, meeting_id)


@router.get("/projector/{token}", summary="The meeting a projector link presents and how people join it")
async def get_projector(token: str, session: ReadSessionDep, settings: SettingsDep) -> ProjectorRead:
    return await service.projector_read(session, settings, token)


@router.get(
    "/projector/{token}/snapshot",
    summary="The meeting stream's snapshot for the projector (the one stream it follows)",
)
async def get_projector_snapshot(token: str, session: ReadSessionDep, settings: SettingsDep) -> StreamSnapshot:
    return await service.projector_snapshot(session, settings, token)


@router.post(
    "/projector/{token}/tickets",
    status_code=status.HTTP_201_CREATED,
    summary="A socket ticket for the projector: the meeting stream only, no commands",
)
async def create_projector_ticket(token: str, state: StateDep) -> TicketRead:
    async with state.database.reading() as session:
        return await service.projector_ticket(session, state.settings, token)


@router.get(
    "/projector/{token}/questions",
    summary="Each room's current question with its results, where the room may see them",
)
async def get_projector_questions(
    token: str, session: ReadSessionDep, settings: SettingsDep
) -> list[ProjectorRoomQuestion]:
    return await service.room_questions(session, settings, token)


@router.get(
    "/projector/{token}/plenary",
    summary="The merged plenary view as the projector shows it (no authors)",
    description="With `question_id`, only that question's part. Built once per change and shared by every "
    "reader; 503 `overloaded` (with `Retry-After`) when too many readers wait at once.",
    response_model=PlenaryRead,
)
async def get_projector_plenary(
    token: str, request: Request, state: StateDep, settings: SettingsDep, question_id: uuid.UUID | None = None
) -> Response:
    built = await state.plenary_views.read_admitted(service.screen_admission(settings, token), question_id)
    return view_response(built, request.headers.get("accept-encoding"), request.headers.get("if-none-match"))
