"""The ``answer.submit`` commands of one group commit, decided together and written as a batch.

``service.submit_answer`` costs some two dozen statements per answer; a burst of answers (a
question just pushed to every room) would spend its time compiling them. Here the same rules
run over many commands at once: what they need is loaded in a few bulk queries, every refusal is
decided in Python with the rule functions ``submit_answer`` uses (``room_accesses``,
``require_room_member``, ``require_same_question``, ``new_answer``), and the accepted answers and
their receipts are inserted in one flush. The number of statements does not grow with the batch.

Results are those of running the commands one by one in their order: a command repeated inside
the batch gets the first one's receipt, a refused command writes nothing (no answer, no receipt,
no event), and each ``answer.submitted`` carries the count that includes it and the answers
before it. One thing is coalesced: ``room.progress`` is a level (the room's whole count), so each
room gets one per batch, carrying the counts after the batch, instead of one per answer.

A choice or scale question takes one answer per person: a command that answers one again
replaces the earlier answer's value (stored before the batch, or made earlier in it), as
``submit_answer`` does, and its ``answer.edited`` follows the batch's ``answer.submitted`` events.

What the preload cannot foresee (a writer in another process or a REST request inserting the
same answer meanwhile) fails the flush with an ``IntegrityError``; the caller then rolls the
batch back and runs its commands one by one, as ``app.live.commands`` does.
"""

from __future__ import annotations

import functools
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

from sqlalchemy import Executable, Table, insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.answers import repository
from app.answers.decisions import DecisionMemory, decisions_of
from app.answers.groups import emit_groupings
from app.answers.models import Answer
from app.answers.progress import LiveRoom, emit_live_progress
from app.answers.schemas import AnswerCreate
from app.answers.service import (
    apply_choice,
    emit_submitted,
    new_answer,
    original_answer,
    require_same_question,
    takes_one_answer,
)
from app.answers.tally import emit_tallies
from app.answers.views import AnswerContext, AnswerViews, new_answer_views, reader_for, views_for_event
from app.auth.access import Actor, MeetingAccess, room_accesses
from app.database import execute_direct
from app.errors import DomainError
from app.participants.models import Participant
from app.questions.models import Allocation, Question
from app.realtime.eventlog import room_stream
from app.realtime.outbox import UnitOfWork
from app.realtime.protocol import Ack, AnswerChanged, AnswerSubmit, AnswerView, ErrorFrame
from app.realtime.receipts import CommandReceipt, find_receipts, insert_receipts, new_receipt, replayed
from app.rooms.models import Room
from app.vocabulary import Role


@dataclass(frozen=True, slots=True)
class Submission:
    actor: Actor
    command: AnswerSubmit
    # The command read as the REST body, or why it does not read as one.
    body: AnswerCreate | DomainError


@dataclass(frozen=True, slots=True)
class _Made:
    meeting_id: uuid.UUID
    answer: Answer
    views: AnswerViews
    # Whether its author counts in the pair's answered participants (role participant).
    answering: bool = False


SoleKey = tuple[uuid.UUID, uuid.UUID, uuid.UUID]  # (author, room, question)


@dataclass(slots=True)
class _Batch:
    """What the batch's rules read, loaded up front, and what its accepted commands made so far."""

    session: AsyncSession
    receipts: dict[tuple[str, str], CommandReceipt]
    accesses: dict[tuple[Actor, uuid.UUID], tuple[MeetingAccess, Room] | DomainError]
    stored: dict[tuple[uuid.UUID, str], Answer]
    placements: dict[tuple[uuid.UUID, uuid.UUID], tuple[Allocation, Question]]
    made: dict[tuple[uuid.UUID, str], _Made]
    new_receipts: list[CommandReceipt]
    # The one answer per person of choice and scale questions: stored, or made in this batch.
    sole: dict[SoleKey, Answer]
    # Replaced choices, in order: told after the batch's new answers.
    edits: list[_Made]

    async def caller_view(self, submission: Submission) -> AnswerView:
        """``submit_answer``'s checks, in its order, against the loaded state."""
        actor, command, body = submission.actor, submission.command, submission.body
        if isinstance(body, DomainError):
            raise body
        found = self.accesses[(actor, command.room_id)]
        if isinstance(found, DomainError):
            raise found
        access, _ = found
        author = access.require_room_member(command.room_id)
        earlier = self.made.get((author.id, body.client_id))
        if earlier is not None:
            require_same_question(earlier.answer, command.room_id, command.question_id)
            return earlier.views.caller
        existing = self.stored.get((author.id, body.client_id))
        if existing is not None:
            # Made before this batch without a receipt (through REST): rare enough to read singly.
            return (await original_answer(self.session, access, existing, command.room_id, command.question_id)).answer
        placement = self.placements.get((command.room_id, command.question_id))
        answer, question = new_answer(access, author, command.room_id, placement, body)
        context, reader = AnswerContext(question=question, closed=False), reader_for(access, command.room_id)
        if answer.sole_question_id is not None:
            key = (author.id, command.room_id, question.id)
            chosen = self.sole.get(key)
            if chosen is not None:
                return await self._replace(access, author, chosen, answer, context)
            self.sole[key] = answer
        views = new_answer_views(answer, context, reader, author)
        answering = author.role == Role.PARTICIPANT
        self.made[(author.id, body.client_id)] = _Made(access.meeting_id, answer, views, answering)
        return views.caller

    async def _replace(
        self, access: MeetingAccess, author: Participant, chosen: Answer, answer: Answer, context: AnswerContext
    ) -> AnswerView:
        """``replace_choice`` against the batch: ``chosen`` is stored, or made earlier in the batch."""
        apply_choice(chosen, answer)
        reader = reader_for(access, chosen.room_id)
        if chosen in self.session:
            views = await views_for_event(self.session, chosen, context, reader)
        else:
            views = new_answer_views(chosen, context, reader, author)
        self.edits.append(_Made(access.meeting_id, chosen, views))
        return views.caller


async def submit_answers(uow: UnitOfWork, submissions: Sequence[Submission]) -> list[Ack | ErrorFrame]:
    """Acks and error frames for the submissions, in their order, with every receipt written.

    Raises only what the rules could not foresee (``IntegrityError`` and the like): the caller's
    savepoint must then be rolled back, as nothing of the batch may stay.
    """
    session = uow.session
    memory = decisions_of(session)
    pairs = {(s.command.room_id, s.command.question_id) for s in submissions}
    requests = {(s.actor, s.command.room_id) for s in submissions}
    if memory is not None:
        placements = await memory.placements(session, pairs)
        accesses = await memory.room_accesses(session, requests)
    else:
        placements = await repository.placements(session, pairs)
        accesses = await room_accesses(session, requests)
    keys = {(s.actor.key, s.command.id) for s in submissions}
    client_keys = {(s.actor.participant_id, s.command.id) for s in submissions if s.actor.participant_id is not None}
    if memory is not None:
        receipts = await memory.receipts(session, keys)
        stored = await memory.answers_by_client_ids(session, client_keys)
    else:
        receipts = await find_receipts(session, keys)
        stored = await repository.answers_by_client_ids(session, client_keys)
    batch = _Batch(
        session=session,
        receipts=receipts,
        accesses=accesses,
        stored=stored,
        placements=placements,
        made={},
        new_receipts=[],
        # Read only for questions that take one answer per person (none for open text).
        sole=await repository.sole_answers(
            session,
            {
                (s.actor.participant_id, s.command.room_id, s.command.question_id)
                for s in submissions
                if s.actor.participant_id is not None
                and _takes_one((s.command.room_id, s.command.question_id), placements)
            },
        ),
        edits=[],
    )
    outcomes: list[Ack | ErrorFrame] = []
    for submission in submissions:
        actor, command = submission.actor, submission.command
        receipt = batch.receipts.get((actor.key, command.id))
        if receipt is not None:
            outcomes.append(replayed(receipt, command))
            continue
        try:
            view = await batch.caller_view(submission)
        except DomainError as refused:
            outcomes.append(ErrorFrame(code=refused.code, message=refused.message, ref=command.id))
            continue
        result = view.model_dump(mode="json")
        receipt = new_receipt(actor.key, command.id, command.type, {"result": result})
        batch.receipts[(actor.key, command.id)] = receipt
        batch.new_receipts.append(receipt)
        outcomes.append(Ack(ref=command.id, result=result))
    await _write(uow, list(batch.made.values()), batch.new_receipts, memory)
    for edit in batch.edits:
        await _emit_edited(uow, edit)
    if memory is not None and batch.edits:
        memory.forget_answers([edit.answer.id for edit in batch.edits])
    # Tallies and groups are levels: one per room and question for the whole batch, after its answers.
    answered = [
        (item.meeting_id, item.answer.room_id, batch.placements[(item.answer.room_id, item.answer.question_id)][1])
        for item in (*batch.made.values(), *batch.edits)
    ]
    await emit_tallies(uow, answered)
    # Whether each pair's grouping is on was read with its allocation (the batch changes no allocation).
    await emit_groupings(
        uow, answered, on={pair for pair, (allocation, _) in batch.placements.items() if allocation.grouped}
    )
    return outcomes


def _takes_one(
    pair: tuple[uuid.UUID, uuid.UUID], placements: dict[tuple[uuid.UUID, uuid.UUID], tuple[Allocation, Question]]
) -> bool:
    """Whether the pair's question takes one answer per person; a pair without a placement is
    refused before its answer is looked at."""
    placement = placements.get(pair)
    return placement is not None and takes_one_answer(placement[1])


async def _emit_edited(uow: UnitOfWork, edit: _Made) -> None:
    answer, views = edit.answer, edit.views
    await uow.emit(
        room_stream(answer.room_id),
        edit.meeting_id,
        "answer.edited",
        AnswerChanged(answer_id=answer.id, answer=views.peers),
        staff_data=AnswerChanged(answer_id=answer.id, answer=views.staff),
    )


@functools.cache
def _inserting() -> Executable:
    return insert(cast(Table, Answer.__table__))


async def _write(
    uow: UnitOfWork, made: list[_Made], receipts: list[CommandReceipt], memory: DecisionMemory | None
) -> None:
    """Insert the answers and receipts, then tell the rooms, with the counts read under the
    rooms' locks (as ``submit_answer`` does: a count never goes backwards), or kept in the
    writer thread's memory and advanced here by the answers inserted."""
    session = uow.session
    await repository.lock_rooms(session, {item.answer.room_id for item in made})
    await session.flush()  # choices replaced in stored answers
    pairs = [(item.answer.room_id, item.answer.question_id) for item in made]
    kept = await memory.pair_counts(session, set(pairs)) if memory is not None and made else None
    if made:
        # One executemany on the table, not an ORM flush per answer nor the ORM's bulk insert
        # (each answer is complete: id and times set).
        table = cast(Table, Answer.__table__)
        columns = [column.key for column in table.columns]
        await execute_direct(
            session, _inserting(), [{key: getattr(item.answer, key) for key in columns} for item in made]
        )
    await insert_receipts(session, receipts)
    if memory is not None:
        memory.received(receipts)
        memory.answered([item.answer for item in made])
    if not made:
        return
    if kept is not None:
        for item, pair in zip(made, pairs, strict=True):
            kept[pair].submitted += 1
            if item.answering and item.answer.author_id is not None:
                kept[pair].answering.add(item.answer.author_id)
        counts = {pair: count.counts() for pair, count in kept.items()}
    else:
        counts = await repository.answer_counts(session, set(pairs))  # submitted and answered, one read
    after = Counter(pairs)  # this batch's answers of each pair not yet told
    for item, pair in zip(made, pairs, strict=True):
        after[pair] -= 1
        submitted = counts[pair].submitted if pair in counts else 0
        await emit_submitted(uow, item.meeting_id, item.answer, item.views, submitted - after[pair])
    live: dict[uuid.UUID, LiveRoom] = {}
    for item in made:  # a room has one live question, so its answers here all answer that one
        live.setdefault(item.answer.room_id, LiveRoom(item.meeting_id, item.answer.question_id))
    answered = {pair: count.answered for pair, count in counts.items()}
    assigned = await memory.assigned_counts(session, list(live)) if memory is not None else None
    await emit_live_progress(uow, live, answered=answered, assigned=assigned)
