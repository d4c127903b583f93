"""The ``answer.vote`` commands of one group commit, decided together and written as a batch.

In a vote wave every participant of a room upvotes within seconds; one by one, each vote costs
a dozen statements and an ``answer.voted`` event. Here the same rules (``require_votable``,
``require_vote_change``, the ones ``service.vote_answer`` applies) decide every vote of the
batch from a few bulk reads, in order, each vote seeing the ones before it; the votes are then
inserted and deleted in one statement each, with the receipts in one more.

Results are those of running the commands one by one in their order: a repeat inside the batch
gets the first one's receipt, a refused vote writes nothing, and each ack's view carries the
vote count after that vote. One thing is coalesced: ``answer.voted`` is a level (the answer's
whole count), so each answer voted on gets one per batch, with the count after the batch, in the
order of the first vote on it.

What the preload cannot foresee (a vote of the same person inserted by another process
meanwhile) fails the insert with an ``IntegrityError``; the caller then rolls the batch back and
runs its commands one by one (``app.live.commands``).
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import BindParameter, Executable, Table, bindparam, delete, insert, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from app.answers import repository
from app.answers.decisions import DecisionMemory, decisions_of
from app.answers.models import Answer, Vote
from app.answers.service import require_votable, require_vote_change
from app.answers.views import AnswerContext, Facts, reader_for, view_of
from app.auth.access import Actor, MeetingAccess, room_accesses
from app.database import execute_direct, utcnow
from app.errors import DomainError, NotFound
from app.questions.models import Question
from app.realtime.eventlog import room_stream
from app.realtime.outbox import UnitOfWork
from app.realtime.protocol import Ack, AnswerVote, ErrorFrame, VotesChanged
from app.realtime.receipts import CommandReceipt, find_receipts, insert_receipts, new_receipt, replayed
from app.rooms.models import Room
from app.vocabulary import QuestionState

VoteKey = tuple[uuid.UUID, uuid.UUID]  # (answer, voter)


@dataclass(frozen=True, slots=True)
class Ballot:
    actor: Actor
    command: AnswerVote
    # The command's ``upvote`` read as the REST body, or why it does not read as one.
    upvote: bool | DomainError


async def vote_answers(uow: UnitOfWork, ballots: Sequence[Ballot]) -> list[Ack | ErrorFrame]:
    """Acks and error frames for the ballots, in their order, with every receipt written.

    Raises only what the rules could not foresee (``IntegrityError`` and the like): the caller's
    savepoint must then be rolled back, as nothing of the batch may stay.
    """
    session = uow.session
    memory = decisions_of(session)
    receipt_keys = {(b.actor.key, b.command.id) for b in ballots}
    if memory is not None:
        receipts = await memory.receipts(session, receipt_keys)
    else:
        receipts = await find_receipts(session, receipt_keys)
    await repository.lock_answers(session, {b.command.answer_id for b in ballots})
    answer_ids = {b.command.answer_id for b in ballots}
    if memory is not None:
        answers = await memory.answers_by_ids(session, answer_ids)
    else:
        answers = await repository.answers_by_ids(session, answer_ids)
    requests = {(b.actor, answers[b.command.answer_id].room_id) for b in ballots if b.command.answer_id in answers}
    if memory is not None:
        accesses = await memory.room_accesses(session, requests)
    else:
        accesses = await room_accesses(session, requests)
    contexts = await _contexts(session, list(answers.values()), memory)
    keys = {(b.command.answer_id, b.actor.participant_id) for b in ballots if b.actor.participant_id is not None}
    author_ids = {a.author_id for a in answers.values() if a.author_id}
    voters: dict[uuid.UUID, set[uuid.UUID]] | None = None
    if memory is not None:
        voters = await memory.voters(session, list(answers))
        stored = {(a, p): True for a, p in keys if p in voters.get(a, ())}
        counts = {answer_id: len(ids) for answer_id, ids in voters.items() if ids}
        authors = await memory.authors_by_id(session, author_ids)
        sources = await memory.source_ids_of(session, list(answers))
    else:
        stored = await _stored_votes(session, keys)
        counts = await repository.vote_counts(session, list(answers))
        authors = await repository.authors_by_id(session, author_ids)
        sources = await repository.source_ids_of(session, list(answers))

    voted = dict(stored)  # (answer, voter) -> voted now, as the ballots so far left it
    told: dict[uuid.UUID, Answer] = {}  # answers whose count changed, in the order of the first change
    outcomes: list[Ack | ErrorFrame] = []
    new_receipts: list[CommandReceipt] = []
    for ballot in ballots:
        actor, command = ballot.actor, ballot.command
        receipt = receipts.get((actor.key, command.id))
        if receipt is not None:
            outcomes.append(replayed(receipt, command))
            continue
        answer = answers.get(command.answer_id)
        try:
            if isinstance(ballot.upvote, DomainError):
                raise ballot.upvote
            access = _access(accesses, actor, answer)
            assert answer is not None, "no access without the answer"
            context, reader = contexts[answer.id], reader_for(access, answer.room_id)
            voter = require_votable(access, answer, context, reader)
            key = (answer.id, voter.id)
            require_vote_change(ballot.upvote, voted=voted.get(key, False))
        except DomainError as refused:
            outcomes.append(ErrorFrame(code=refused.code, message=refused.message, ref=command.id))
            continue
        voted[key] = ballot.upvote
        counts[answer.id] = counts.get(answer.id, 0) + (1 if ballot.upvote else -1)
        told.setdefault(answer.id, answer)
        facts = Facts(authors=authors, votes=counts, sources=sources, voted={answer.id} if ballot.upvote else set())
        result = view_of(answer, context, reader, facts).model_dump(mode="json")
        receipt = new_receipt(actor.key, command.id, command.type, {"result": result})
        receipts[(actor.key, command.id)] = receipt
        new_receipts.append(receipt)
        outcomes.append(Ack(ref=command.id, result=result))

    now = utcnow()
    added = [key for key, now_voted in voted.items() if now_voted and not stored.get(key, False)]
    withdrawn = [key for key, now_voted in voted.items() if not now_voted and stored.get(key, False)]
    if added:
        await execute_direct(
            session, _adding(), [{"answer_id": a, "participant_id": p, "created_at": now} for a, p in added]
        )
    if withdrawn:
        await session.execute(_withdrawing(), {"keys": withdrawn})
    if voters is not None:  # the memory's voters, as this transaction leaves them
        for answer_id, participant_id in added:
            voters[answer_id].add(participant_id)
        for answer_id, participant_id in withdrawn:
            voters[answer_id].discard(participant_id)
    await insert_receipts(session, new_receipts)
    if memory is not None:
        memory.received(new_receipts)
    for answer in told.values():
        await uow.emit(
            room_stream(answer.room_id),
            answer.meeting_id,
            "answer.voted",
            VotesChanged(answer_id=answer.id, votes=counts.get(answer.id, 0)),
        )
    return outcomes


def _access(
    accesses: dict[tuple[Actor, uuid.UUID], tuple[MeetingAccess, Room] | DomainError],
    actor: Actor,
    answer: Answer | None,
) -> MeetingAccess:
    """``answer_access``: strangers get the same 404 as for no answer."""
    found = accesses.get((actor, answer.room_id)) if answer is not None else None
    if found is None or isinstance(found, DomainError):
        raise NotFound("answer not found")
    return found[0]


async def _contexts(
    session: AsyncSession, answers: Collection[Answer], memory: DecisionMemory | None
) -> dict[uuid.UUID, AnswerContext]:
    """``context_of`` for every answer: its question, and whether that closed in its room."""
    pairs = {(answer.room_id, answer.question_id) for answer in answers}
    placed = await (memory.placements(session, pairs) if memory is not None else repository.placements(session, pairs))
    unplaced = {answer.question_id for answer in answers if (answer.room_id, answer.question_id) not in placed}
    questions = {question.id: question for _, question in placed.values()}
    if unplaced:
        questions.update((q.id, q) for q in await session.scalars(select(Question).where(Question.id.in_(unplaced))))
    contexts = {}
    for answer in answers:
        placement = placed.get((answer.room_id, answer.question_id))
        closed = placement is not None and placement[0].state == QuestionState.CLOSED
        contexts[answer.id] = AnswerContext(question=questions[answer.question_id], closed=closed)
    return contexts


async def _stored_votes(session: AsyncSession, keys: Collection[VoteKey]) -> dict[VoteKey, bool]:
    """The (answer, voter) keys among these that have a vote."""
    if not keys:
        return {}
    rows = await session.execute(_finding_votes(), {"keys": list(keys)})
    return {(answer_id, participant_id): True for answer_id, participant_id in rows}


# The batch's statements, built once (on first use); its writes on the votes' table, not through the ORM.
@functools.cache
def _finding_votes() -> Executable:
    # Of the mapped class: the ORM buffers the rows, which the writer thread's inline engine needs.
    keys: BindParameter[Any] = bindparam("keys", expanding=True)
    return select(Vote.answer_id, Vote.participant_id).where(tuple_(Vote.answer_id, Vote.participant_id).in_(keys))


@functools.cache
def _adding() -> Executable:
    return insert(_votes())


@functools.cache
def _withdrawing() -> Executable:
    votes = _votes()
    return delete(votes).where(tuple_(votes.c.answer_id, votes.c.participant_id).in_(bindparam("keys", expanding=True)))


def _votes() -> Table:
    return cast(Table, Vote.__table__)
