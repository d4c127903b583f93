"""Moderation by the room's moderators and the organisers: hide, pin, and merge duplicates.

A merge makes a new answer (authored by the moderator; an organiser's account leaves the author
empty) that lists its sources; the sources point at it with ``merged_into_id`` and drop out of
participants' lists, and every distinct voter of a source votes for the merged answer once.
Only answers to open questions merge (a choice or a number has no duplicate to fold).
"""

from __future__ import annotations

import uuid

from app.answers import repository
from app.answers.groups import emit_groups
from app.answers.models import Answer, AnswerSource, Vote
from app.answers.schemas import AnswerMergeRequest, AnswerModeration, AnswerRead
from app.answers.service import answer_access, answer_question, emit_answer_changed
from app.answers.tally import emit_tally
from app.answers.views import answer_view, context_of, reader_for, views_for_event
from app.auth.access import Actor, room_access
from app.errors import Conflict, InvalidInput
from app.questions.models import Question
from app.realtime.eventlog import room_stream
from app.realtime.outbox import UnitOfWork
from app.realtime.protocol import AnswersMerged
from app.vocabulary import QuestionKind


async def moderate_answer(
    uow: UnitOfWork, actor: Actor | None, answer_id: uuid.UUID, request: AnswerModeration
) -> AnswerRead:
    """Set ``hidden`` and/or ``pinned``; setting what is already so changes nothing and emits nothing."""
    access, answer = await answer_access(uow.session, actor, answer_id)
    access.require_room_moderation(answer.room_id)
    changed = False
    hidden_before = answer.hidden
    for name, value in (("hidden", request.hidden), ("pinned", request.pinned)):
        if value is not None and getattr(answer, name) != value:
            setattr(answer, name, value)
            changed = True
    await uow.session.flush()
    context = await context_of(uow.session, answer.room_id, await answer_question(uow.session, answer))
    reader = reader_for(access, answer.room_id)
    if changed:
        view = await emit_answer_changed(uow, "answer.moderated", answer, context, reader)
        if answer.hidden != hidden_before:  # a hidden answer leaves the tally, a shown one rejoins it
            await emit_tally(uow, answer.meeting_id, answer.room_id, context.question)
            await emit_groups(uow, answer.meeting_id, answer.room_id, context.question)
        return view
    return await answer_view(uow.session, answer, context, reader)


async def merge_answers(
    uow: UnitOfWork, actor: Actor | None, room_id: uuid.UUID, request: AnswerMergeRequest
) -> AnswerRead:
    access, room = await room_access(uow.session, actor, room_id)
    access.require_room_moderation(room_id)
    ids = request.answer_ids
    if len(set(ids)) != len(ids):
        raise InvalidInput("answer_ids: each answer may be named once")
    found = await repository.answers_by_ids(uow.session, ids)
    missing = [answer_id for answer_id in ids if answer_id not in found or found[answer_id].room_id != room_id]
    if missing:
        raise InvalidInput(f"answer_ids: no answer {missing[0]} in this room")
    sources = [found[answer_id] for answer_id in ids]
    if len({source.question_id for source in sources}) != 1:
        raise InvalidInput("answer_ids: merged answers must all answer the same question")
    question = await uow.session.get(Question, sources[0].question_id)
    assert question is not None, "answers.question_id is a foreign key"
    if question.kind != QuestionKind.OPEN:
        raise InvalidInput("answer_ids: only answers to open questions can be merged")
    already = [source for source in sources if source.merged_into_id is not None]
    if already:
        raise Conflict(f"answer {already[0].id} was merged into another already", code="already_merged")
    text = request.text if request.text is not None else sources[0].text
    if text is None or not text.strip():
        raise InvalidInput("text: the merged answer needs a text")
    merged = Answer(
        meeting_id=room.meeting_id,
        room_id=room_id,
        question_id=question.id,
        author_id=access.participant.id if access.participant is not None else None,
        # Not a client's id: merged answers are never retried by a client.
        client_id=f"merge:{uuid.uuid4().hex}",
        text=text,
        pinned=any(source.pinned for source in sources),
    )
    uow.session.add(merged)
    await uow.session.flush()
    if await repository.mark_merged(uow.session, ids, merged.id) != len(ids):
        raise Conflict("one of these answers was merged into another at the same moment", code="already_merged")
    uow.session.add_all([AnswerSource(answer_id=merged.id, source_id=answer_id) for answer_id in ids])
    voters = await repository.voters_of(uow.session, ids)
    uow.session.add_all([Vote(answer_id=merged.id, participant_id=voter) for voter in sorted(voters)])
    await uow.session.flush()
    context = await context_of(uow.session, room_id, question)
    views = await views_for_event(uow.session, merged, context, reader_for(access, room_id))
    await uow.emit(
        room_stream(room_id),
        room.meeting_id,
        "answer.merged",
        AnswersMerged(merged=views.peers, source_ids=ids),
        staff_data=AnswersMerged(merged=views.staff, source_ids=ids),
    )
    await emit_groups(uow, room.meeting_id, room_id, question)
    return views.caller
