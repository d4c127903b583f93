"""How an answer reads to whom: which answers a reader may see, and whose name it carries.

Rules (one place, used by REST, acks and event payloads alike):

- Staff (the room's moderators, the meeting's organisers and moderators) see every answer,
  hidden and merged-away ones included, flagged as such.
- Everyone else (participants, observers, and every event's peer ``data``) sees neither hidden
  answers nor merged-away sources; for a question shown only after close, they see nothing of it
  until it closes in the room, except a participant their own answers.
- The author: ``named`` shows the display name (and id) to everyone; ``anonymous_to_peers`` shows
  it to staff only; ``fully_anonymous`` never shows it, to anyone, anywhere. ``mine`` tells the
  author which answers are theirs in their own responses; event payloads never carry it.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from app.answers import repository
from app.answers.models import Answer
from app.auth.access import MeetingAccess
from app.participants.models import Participant
from app.questions import repository as questions_repository
from app.questions.models import Question
from app.realtime.protocol import AnswerView
from app.vocabulary import Anonymity, QuestionState, Visibility


@dataclass(frozen=True, slots=True)
class Reader:
    staff: bool
    participant_id: uuid.UUID | None = None


# Who an event's ``data`` is for (every subscriber of the room stream), and its ``staff_data``.
PEERS = Reader(staff=False)
STAFF = Reader(staff=True)


def reader_for(access: MeetingAccess, room_id: uuid.UUID) -> Reader:
    participant_id = access.participant.id if access.participant is not None else None
    return Reader(staff=access.is_staff or access.moderates(room_id), participant_id=participant_id)


@dataclass(frozen=True, slots=True)
class AnswerContext:
    """What decides how an answer reads: its question, and whether that closed in the answer's room."""

    question: Question
    closed: bool

    @property
    def revealed(self) -> bool:
        return self.question.visibility == Visibility.LIVE or self.closed


async def context_of(session: AsyncSession, room_id: uuid.UUID, question: Question) -> AnswerContext:
    allocation = await questions_repository.allocation_of(session, room_id, question.id)
    return AnswerContext(question=question, closed=allocation is not None and allocation.state == QuestionState.CLOSED)


async def room_contexts(session: AsyncSession, room_id: uuid.UUID) -> dict[uuid.UUID, AnswerContext]:
    """The context of every question allocated to the room, by question id."""
    pairs = await questions_repository.room_questions(session, room_id)
    return {
        question.id: AnswerContext(question=question, closed=allocation.state == QuestionState.CLOSED)
        for allocation, question in pairs
    }


def may_see(answer: Answer, context: AnswerContext, reader: Reader) -> bool:
    if reader.staff:
        return True
    if answer.hidden or answer.merged_into_id is not None:
        return False
    return context.revealed or (reader.participant_id is not None and answer.author_id == reader.participant_id)


def shown_author(question: Question, author: Participant | None, reader: Reader) -> tuple[str | None, uuid.UUID | None]:
    if author is None or question.anonymity == Anonymity.FULLY_ANONYMOUS:
        return None, None
    if question.anonymity == Anonymity.ANONYMOUS_TO_PEERS and not reader.staff:
        return None, None
    # After erasure the pseudonym stands in for the name.
    return (author.pseudonym if author.erased_at is not None else author.display_name), author.id


async def answer_views(
    session: AsyncSession,
    answers: Sequence[Answer],
    contexts: dict[uuid.UUID, AnswerContext],
    reader: Reader,
) -> list[AnswerView]:
    """Views of the answers the reader may see, in the order given."""
    visible = [answer for answer in answers if may_see(answer, contexts[answer.question_id], reader)]
    facts = await _facts(session, visible, reader)
    return [view_of(answer, contexts[answer.question_id], reader, facts) for answer in visible]


async def answer_view(session: AsyncSession, answer: Answer, context: AnswerContext, reader: Reader) -> AnswerView:
    """The answer as the reader sees it, for a reader acting on it (its author, a voter, staff):
    the author is shown per the anonymity rules even where ``may_see`` would leave it out."""
    return view_of(answer, context, reader, await _facts(session, [answer], reader))


@dataclass(frozen=True, slots=True)
class AnswerViews:
    """One answer for everyone a command tells: the event's peers and staff, and the caller."""

    peers: AnswerView | None
    staff: AnswerView
    caller: AnswerView


async def views_for_event(session: AsyncSession, answer: Answer, context: AnswerContext, caller: Reader) -> AnswerViews:
    """The peers' view is None when they may not see the answer. One load serves all three."""
    return _event_views(answer, context, caller, await _facts(session, [answer], caller))


def new_answer_views(answer: Answer, context: AnswerContext, caller: Reader, author: Participant) -> AnswerViews:
    """``views_for_event`` for an answer not stored yet: it has no votes and no sources, and its
    author is at hand, so nothing needs loading."""
    return _event_views(answer, context, caller, Facts(authors={author.id: author}, votes={}, sources={}, voted=set()))


def _event_views(answer: Answer, context: AnswerContext, caller: Reader, facts: Facts) -> AnswerViews:
    return AnswerViews(
        peers=view_of(answer, context, PEERS, facts) if may_see(answer, context, PEERS) else None,
        staff=view_of(answer, context, STAFF, facts),
        caller=view_of(answer, context, caller, facts),
    )


@dataclass(frozen=True, slots=True)
class Facts:
    """What views need beyond the row, loaded in batch: a room's list costs four queries (or
    known already: a batch of votes counts them as it goes)."""

    authors: dict[uuid.UUID, Participant]
    votes: dict[uuid.UUID, int]
    sources: dict[uuid.UUID, list[uuid.UUID]]
    voted: set[uuid.UUID]


async def _facts(session: AsyncSession, answers: Sequence[Answer], reader: Reader) -> Facts:
    ids = [answer.id for answer in answers]
    return Facts(
        authors=await repository.authors_by_id(session, {a.author_id for a in answers if a.author_id is not None}),
        votes=await repository.vote_counts(session, ids),
        sources=await repository.source_ids_of(session, ids),
        voted=await repository.voted_by(session, reader.participant_id, ids) if reader.participant_id else set(),
    )


def view_of(answer: Answer, context: AnswerContext, reader: Reader, facts: Facts) -> AnswerView:
    author = facts.authors.get(answer.author_id) if answer.author_id is not None else None
    name, author_id = shown_author(context.question, author, reader)
    mine = reader.participant_id is not None and answer.author_id == reader.participant_id
    return AnswerView(
        id=answer.id,
        room_id=answer.room_id,
        question_id=answer.question_id,
        text=answer.text,
        choice_ids=list(answer.choice_ids) if answer.choice_ids is not None else None,
        scale_value=answer.scale_value,
        author=name,
        author_id=author_id,
        hidden=answer.hidden,
        pinned=answer.pinned,
        merged_into_id=answer.merged_into_id,
        source_ids=facts.sources.get(answer.id, []),
        votes=facts.votes.get(answer.id, 0),
        created_at=answer.created_at,
        updated_at=answer.updated_at,
        # Event views (PEERS, STAFF) have no participant, so these stay False there.
        mine=mine,
        voted=answer.id in facts.voted and reader.participant_id is not None,
    )
