"""Socket doors to the answers services: each command maps onto the REST body, then the same call.

For ``answer.submit`` the command's ``id`` is the answer's ``client_id``, so a command resent
after a lost ack finds the same answer whether or not the dispatcher kept a receipt.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from app.answers import moderation, service
from app.answers.schemas import (
    AnswerCreate,
    AnswerMergeRequest,
    AnswerModeration,
    AnswerRead,
    AnswerUpdate,
    VoteRequest,
)
from app.auth.access import Actor
from app.errors import InvalidInput
from app.realtime.outbox import UnitOfWork
from app.realtime.protocol import AnswerEdit, AnswerMerge, AnswerModerate, AnswerSubmit, AnswerVote

SocketHandler = Callable[[UnitOfWork, Actor, Any], Awaitable[BaseModel | list[BaseModel] | None]]
Body = TypeVar("Body", bound=BaseModel)
VALUE_FIELDS = ("text", "choice_ids", "scale_value")


def _body(schema: type[Body], values: dict[str, Any]) -> Body:
    """Validate the command's fields exactly as REST validates its body, as a domain error."""
    try:
        return schema.model_validate(values)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "command"
        raise InvalidInput(f"{where}: {first['msg']}") from None


def _fields(command: BaseModel, *names: str) -> dict[str, Any]:
    return command.model_dump(include=set(names), exclude_unset=True)


async def handle_answer_submit(uow: UnitOfWork, actor: Actor, command: AnswerSubmit) -> AnswerRead:
    body = _body(AnswerCreate, {"client_id": command.id, **_fields(command, *VALUE_FIELDS)})
    submitted = await service.submit_answer(uow, actor, command.room_id, command.question_id, body)
    return submitted.answer


async def handle_answer_edit(uow: UnitOfWork, actor: Actor, command: AnswerEdit) -> AnswerRead:
    body = _body(AnswerUpdate, _fields(command, *VALUE_FIELDS))
    return await service.edit_answer(uow, actor, command.answer_id, body)


async def handle_answer_vote(uow: UnitOfWork, actor: Actor, command: AnswerVote) -> AnswerRead:
    body = _body(VoteRequest, _fields(command, "upvote"))
    return await service.vote_answer(uow, actor, command.answer_id, body)


async def handle_answer_moderate(uow: UnitOfWork, actor: Actor, command: AnswerModerate) -> AnswerRead:
    body = _body(AnswerModeration, _fields(command, "hidden", "pinned"))
    return await moderation.moderate_answer(uow, actor, command.answer_id, body)


async def handle_answer_merge(uow: UnitOfWork, actor: Actor, command: AnswerMerge) -> AnswerRead:
    body = _body(AnswerMergeRequest, _fields(command, "answer_ids", "text"))
    return await moderation.merge_answers(uow, actor, command.room_id, body)


SOCKET_COMMANDS: dict[str, SocketHandler] = {
    "answer.submit": handle_answer_submit,
    "answer.edit": handle_answer_edit,
    "answer.vote": handle_answer_vote,
    "answer.moderate": handle_answer_moderate,
    "answer.merge": handle_answer_merge,
}
