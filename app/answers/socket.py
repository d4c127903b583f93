"""Socket doors to the answers services: each command maps onto the REST body, then the same call.

For ``answer.submit`` the command's ``id`` is the answer's ``client_id``, so a command resent
after a lost ack finds the same answer whether or not the dispatcher kept a receipt.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from app.answers import batch, moderation, service, voting
from app.answers.schemas import (
    AnswerCreate,
    AnswerMergeRequest,
    AnswerModeration,
    AnswerRead,
    AnswerUpdate,
    VoteRequest,
)
from app.auth.access import Actor
from app.errors import DomainError
from app.realtime.outbox import UnitOfWork
from app.realtime.protocol import Ack, AnswerEdit, AnswerMerge, AnswerModerate, AnswerSubmit, AnswerVote, ErrorFrame
from app.socket_commands import SocketHandler, command_body, command_fields

VALUE_FIELDS = ("text", "choice_ids", "scale_value")


def submit_body(command: AnswerSubmit) -> AnswerCreate:
    return command_body(AnswerCreate, {"client_id": command.id, **command_fields(command, *VALUE_FIELDS)})


async def handle_answer_submit(uow: UnitOfWork, actor: Actor, command: AnswerSubmit) -> AnswerRead:
    submitted = await service.submit_answer(uow, actor, command.room_id, command.question_id, submit_body(command))
    return submitted.answer


async def handle_answer_submits(uow: UnitOfWork, commands: Sequence[tuple[Actor, Any]]) -> list[Ack | ErrorFrame]:
    """The ``answer.submit`` commands of one group commit, as one batch (receipts included)."""
    submissions = []
    for actor, command in commands:
        body: AnswerCreate | DomainError
        try:
            body = submit_body(command)
        except DomainError as invalid:
            body = invalid
        submissions.append(batch.Submission(actor, command, body))
    return await batch.submit_answers(uow, submissions)


async def handle_answer_edit(uow: UnitOfWork, actor: Actor, command: AnswerEdit) -> AnswerRead:
    body = command_body(AnswerUpdate, command_fields(command, *VALUE_FIELDS))
    return await service.edit_answer(uow, actor, command.answer_id, body)


async def handle_answer_vote(uow: UnitOfWork, actor: Actor, command: AnswerVote) -> AnswerRead:
    body = command_body(VoteRequest, command_fields(command, "upvote"))
    return await service.vote_answer(uow, actor, command.answer_id, body)


async def handle_answer_votes(uow: UnitOfWork, commands: Sequence[tuple[Actor, Any]]) -> list[Ack | ErrorFrame]:
    """The ``answer.vote`` commands of one group commit, as one batch (receipts included)."""
    ballots = []
    for actor, command in commands:
        upvote: bool | DomainError
        try:
            upvote = command_body(VoteRequest, command_fields(command, "upvote")).upvote
        except DomainError as invalid:
            upvote = invalid
        ballots.append(voting.Ballot(actor, command, upvote))
    return await voting.vote_answers(uow, ballots)


async def handle_answer_moderate(uow: UnitOfWork, actor: Actor, command: AnswerModerate) -> AnswerRead:
    body = command_body(AnswerModeration, command_fields(command, "hidden", "pinned"))
    return await moderation.moderate_answer(uow, actor, command.answer_id, body)


async def handle_answer_merge(uow: UnitOfWork, actor: Actor, command: AnswerMerge) -> AnswerRead:
    body = command_body(AnswerMergeRequest, command_fields(command, "answer_ids", "text"))
    return await moderation.merge_answers(uow, actor, command.room_id, body)


SOCKET_COMMANDS: dict[str, SocketHandler] = {
    "answer.submit": handle_answer_submit,
    "answer.edit": handle_answer_edit,
    "answer.vote": handle_answer_vote,
    "answer.moderate": handle_answer_moderate,
    "answer.merge": handle_answer_merge,
}

# Commands whose group-commit neighbours of the same type run as one batch (see app.live.commands).
SOCKET_BATCHES = {"answer.submit": handle_answer_submits, "answer.vote": handle_answer_votes}
