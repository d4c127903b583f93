from __future__ import annotations

import uuid

from fastapi import APIRouter, Request, Response, status

from app.auth.dependencies import ActorDep
from app.dependencies import StateDep, UowDep
from app.errors import ERROR_RESPONSES
from app.plenary import service
from app.plenary.schemas import (
    GroupAccept,
    GroupMerge,
    GroupSplit,
    GroupUpdate,
    PlenaryFocus,
    PlenaryFocusUpdate,
    PlenaryGroupsRead,
    PlenaryRead,
    ThemeRename,
)
from app.plenary.shared_view import view_response

router = APIRouter(prefix="/api", tags=["plenary"], responses=ERROR_RESPONSES)


@router.get(
    "/meetings/{meeting_id}/plenary",
    summary="The merged plenary view: every room's findings and answers per theme and question",
    description="Organisers and moderators at any time; participants and observers from report-back on "
    "(403 `plenary_not_open` before). Authors appear only as each question's anonymity allows the reader. "
    "With `question_id`, only that question's part (findings tied to no question are left out). "
    "Built once per change and shared by every reader; 503 `overloaded` (with `Retry-After`) when too many "
    "readers wait at once.",
    response_model=PlenaryRead,
)
async def get_plenary(
    meeting_id: uuid.UUID, request: Request, state: StateDep, actor: ActorDep, question_id: uuid.UUID | None = None
) -> Response:
    built = await state.plenary_views.read(actor, meeting_id, question_id)
    return view_response(built, request.headers.get("accept-encoding"), request.headers.get("if-none-match"))


@router.put(
    "/meetings/{meeting_id}/plenary/focus",
    summary="Show a room and/or question on the projector (organisers)",
    description="Emits `plenary.changed` on the meeting stream; both ids null return to the overview.",
)
async def set_focus(meeting_id: uuid.UUID, body: PlenaryFocusUpdate, uow: UowDep, actor: ActorDep) -> PlenaryFocus:
    return await service.set_focus(uow, actor, meeting_id, body)


@router.post(
    "/meetings/{meeting_id}/plenary/groups",
    status_code=status.HTTP_201_CREATED,
    summary="Accept a cross-room group: its members stay together whatever is recomputed (organisers)",
)
async def accept_group(meeting_id: uuid.UUID, body: GroupAccept, uow: UowDep, actor: ActorDep) -> PlenaryGroupsRead:
    return await service.accept_group(uow, actor, meeting_id, body)


@router.patch(
    "/meetings/{meeting_id}/plenary/groups/{group_id}",
    summary="Rename or pin a curated group, or move it to another theme (`theme_label`)",
)
async def update_group(
    meeting_id: uuid.UUID, group_id: uuid.UUID, body: GroupUpdate, uow: UowDep, actor: ActorDep
) -> PlenaryGroupsRead:
    return await service.update_group(uow, actor, meeting_id, group_id, body)


@router.post(
    "/meetings/{meeting_id}/plenary/themes/rename",
    summary="Name a theme of a question: its groups keep the name whatever is recomputed (organisers)",
    description="Computed groups of the theme are accepted as curated groups in the named theme; "
    "404 `not_found` when the question has no theme of that id. A group moves to another theme with "
    "`theme_label` on PATCH (curated) or POST (accept) of a group.",
)
async def rename_theme(meeting_id: uuid.UUID, body: ThemeRename, uow: UowDep, actor: ActorDep) -> PlenaryGroupsRead:
    return await service.rename_theme(uow, actor, meeting_id, body)


@router.post(
    "/meetings/{meeting_id}/plenary/groups/{group_id}/split",
    status_code=status.HTTP_201_CREATED,
    summary="Move some members of a curated group out into a new group",
)
async def split_group(
    meeting_id: uuid.UUID, group_id: uuid.UUID, body: GroupSplit, uow: UowDep, actor: ActorDep
) -> PlenaryGroupsRead:
    return await service.split_group(uow, actor, meeting_id, group_id, body)


@router.post(
    "/meetings/{meeting_id}/plenary/groups/{group_id}/merge",
    summary="Merge another curated group of the same question into this one",
)
async def merge_groups(
    meeting_id: uuid.UUID, group_id: uuid.UUID, body: GroupMerge, uow: UowDep, actor: ActorDep
) -> PlenaryGroupsRead:
    return await service.merge_groups(uow, actor, meeting_id, group_id, body)


@router.delete(
    "/meetings/{meeting_id}/plenary/groups/{group_id}",
    summary="Release a curated group (its members return to the computed groups)",
)
async def release_group(meeting_id: uuid.UUID, group_id: uuid.UUID, uow: UowDep, actor: ActorDep) -> PlenaryGroupsRead:
    return await service.release_group(uow, actor, meeting_id, group_id)
