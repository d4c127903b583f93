"""Socket doors to pushing, closing and grouping a room's question: the same calls as the REST routes."""

from __future__ import annotations

from app.auth.access import Actor
from app.questions import allocations
from app.questions.schemas import AllocationRead
from app.realtime.outbox import UnitOfWork
from app.realtime.protocol import QuestionClose, QuestionGroup, QuestionPush
from app.socket_commands import SocketHandler


async def handle_question_push(uow: UnitOfWork, actor: Actor, command: QuestionPush) -> AllocationRead:
    return await allocations.push_question(uow, actor, command.room_id, command.question_id)


async def handle_question_close(uow: UnitOfWork, actor: Actor, command: QuestionClose) -> AllocationRead:
    return await allocations.close_question(uow, actor, command.room_id, command.question_id)


async def handle_question_group(uow: UnitOfWork, actor: Actor, command: QuestionGroup) -> AllocationRead:
    return await allocations.set_grouping(uow, actor, command.room_id, command.question_id, command.grouped)


SOCKET_COMMANDS: dict[str, SocketHandler] = {
    "question.push": handle_question_push,
    "question.close": handle_question_close,
    "question.group": handle_question_group,
}
