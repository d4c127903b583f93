"""Socket doors to the findings service: each command maps onto the REST body, then the same call."""

from __future__ import annotations

from app.auth.access import Actor
from app.findings import service
from app.findings.schemas import FindingCreate, FindingRead, FindingUpdate
from app.realtime.outbox import UnitOfWork
from app.realtime.protocol import FindingConfirm, FindingDraft, FindingEdit, FindingEndorse, FindingPropose
from app.socket_commands import SocketHandler, command_body, command_fields


async def handle_finding_draft(uow: UnitOfWork, actor: Actor, command: FindingDraft) -> FindingRead:
    body = command_body(FindingCreate, command_fields(command, "text", "question_id", "answer_ids"))
    return await service.draft_finding(uow, actor, command.room_id, body)


async def handle_finding_edit(uow: UnitOfWork, actor: Actor, command: FindingEdit) -> FindingRead:
    body = command_body(FindingUpdate, command_fields(command, "text", "answer_ids"))
    return await service.edit_finding(uow, actor, command.finding_id, body)


async def handle_finding_propose(uow: UnitOfWork, actor: Actor, command: FindingPropose) -> FindingRead:
    return await service.propose_finding(uow, actor, command.finding_id)


async def handle_finding_endorse(uow: UnitOfWork, actor: Actor, command: FindingEndorse) -> FindingRead:
    return await service.endorse_finding(uow, actor, command.finding_id)


async def handle_finding_confirm(uow: UnitOfWork, actor: Actor, command: FindingConfirm) -> FindingRead:
    return await service.confirm_finding(uow, actor, command.finding_id)


SOCKET_COMMANDS: dict[str, SocketHandler] = {
    "finding.draft": handle_finding_draft,
    "finding.edit": handle_finding_edit,
    "finding.propose": handle_finding_propose,
    "finding.endorse": handle_finding_endorse,
    "finding.confirm": handle_finding_confirm,
}
