from __future__ import annotations

import uuid

from fastapi import APIRouter, status

from app.auth.dependencies import ActorDep
from app.dependencies import ReadSessionDep, UowDep
from app.errors import ERROR_RESPONSES
from app.findings import service
from app.findings.schemas import FindingCreate, FindingDetail, FindingRead, FindingUpdate

router = APIRouter(prefix="/api", tags=["findings"], responses=ERROR_RESPONSES)


@router.post(
    "/rooms/{room_id}/findings",
    status_code=status.HTTP_201_CREATED,
    summary="Draft a finding of a room (its moderators and the organisers)",
    description="`answer_ids` must be answers of this room, and of `question_id` when it is given (else 422). "
    "A draft is visible to the room's staff only until it is proposed.",
)
async def draft_finding(room_id: uuid.UUID, body: FindingCreate, uow: UowDep, actor: ActorDep) -> FindingRead:
    return await service.draft_finding(uow, actor, room_id, body)


@router.get(
    "/rooms/{room_id}/findings",
    summary="A room's findings in order",
    description="Participants and observers see proposed and confirmed findings; the room's staff see drafts too.",
)
async def list_findings(room_id: uuid.UUID, session: ReadSessionDep, actor: ActorDep) -> list[FindingRead]:
    return await service.list_findings(session, actor, room_id)


@router.get(
    "/findings/{finding_id}",
    summary="A finding with its provenance",
    description="`sources` (the cited answers with their text) is given to the room's staff only; null for others.",
)
async def get_finding(finding_id: uuid.UUID, session: ReadSessionDep, actor: ActorDep) -> FindingDetail:
    return await service.get_finding(session, actor, finding_id)


@router.patch(
    "/findings/{finding_id}",
    summary="Reword, re-source or reorder a finding (the room's staff)",
    description="409 `finding_confirmed` once confirmed. Rewording a proposed finding clears its endorsements.",
)
async def edit_finding(finding_id: uuid.UUID, body: FindingUpdate, uow: UowDep, actor: ActorDep) -> FindingRead:
    return await service.edit_finding(uow, actor, finding_id, body)


@router.delete(
    "/findings/{finding_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Remove a draft or proposed finding (the room's staff)",
)
async def remove_finding(finding_id: uuid.UUID, uow: UowDep, actor: ActorDep) -> None:
    await service.remove_finding(uow, actor, finding_id)


@router.post(
    "/findings/{finding_id}/propose",
    summary="Put a draft to the room for endorsement (the room's staff)",
    description="409 `finding_not_draft` unless the finding is a draft.",
)
async def propose_finding(finding_id: uuid.UUID, uow: UowDep, actor: ActorDep) -> FindingRead:
    return await service.propose_finding(uow, actor, finding_id)


@router.post(
    "/findings/{finding_id}/endorse",
    summary="Endorse a proposed finding (the room's participants, once each)",
    description="409 `finding_not_proposed` unless proposed; 409 `already_endorsed` on a second endorsement.",
)
async def endorse_finding(finding_id: uuid.UUID, uow: UowDep, actor: ActorDep) -> FindingRead:
    return await service.endorse_finding(uow, actor, finding_id)


@router.post(
    "/findings/{finding_id}/confirm",
    summary="Confirm a proposed finding (the room's moderators and the organisers)",
    description="409 `finding_not_proposed` for a draft (propose it first), 409 `finding_confirmed` if already done.",
)
async def confirm_finding(finding_id: uuid.UUID, uow: UowDep, actor: ActorDep) -> FindingRead:
    return await service.confirm_finding(uow, actor, finding_id)
