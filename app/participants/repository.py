from __future__ import annotations

import uuid

from sqlalchemy import CompoundSelect, Select, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.answers.models import Answer, Vote
from app.auth.models import AuthSession, Invite
from app.facilitation.models import HelpRequest
from app.findings.models import Endorsement, Finding
from app.participants.models import Participant
from app.questions.models import Question
from app.realtime.receipts import CommandReceipt
from app.rooms.models import RoomModerator
from app.vocabulary import QuestionKind, Role


async def roster_of(session: AsyncSession, meeting_id: uuid.UUID) -> list[Participant]:
    rows = await session.scalars(
        select(Participant)
        .where(Participant.meeting_id == meeting_id)
        .order_by(Participant.created_at, Participant.display_name, Participant.id)
    )
    return list(rows)


async def roster_of_rooms(
    session: AsyncSession, meeting_id: uuid.UUID, room_ids: frozenset[uuid.UUID]
) -> list[Participant]:
    """Everyone placed in these rooms or moderating one of them (erased people have left)."""
    if not room_ids:
        return []
    moderating = select(RoomModerator.participant_id).where(RoomModerator.room_id.in_(room_ids))
    rows = await session.scalars(
        select(Participant)
        .where(
            Participant.meeting_id == meeting_id,
            Participant.erased_at.is_(None),
            Participant.room_id.in_(room_ids) | Participant.id.in_(moderating),
        )
        .order_by(Participant.created_at, Participant.display_name, Participant.id)
    )
    return list(rows)


async def by_import_key(session: AsyncSession, meeting_id: uuid.UUID) -> dict[str, Participant]:
    rows = await session.scalars(
        select(Participant).where(Participant.meeting_id == meeting_id, Participant.import_key.is_not(None))
    )
    return {participant.import_key: participant for participant in rows if participant.import_key is not None}


async def import_key_taken(
    session: AsyncSession, meeting_id: uuid.UUID, import_key: str, except_id: uuid.UUID | None
) -> bool:
    found = await session.scalar(
        select(Participant.id).where(Participant.meeting_id == meeting_id, Participant.import_key == import_key)
    )
    return found is not None and found != except_id


async def assignable_participants(
    session: AsyncSession, meeting_id: uuid.UUID, *, lock: bool = True
) -> list[Participant]:
    """Who a balanced assignment places: people with role participant who have not been erased,
    locked until commit in id order (an entry a racing match removes is left out). A preview
    reads them without the lock."""
    query = (
        select(Participant)
        .where(
            Participant.meeting_id == meeting_id,
            Participant.role == Role.PARTICIPANT,
            Participant.erased_at.is_(None),
        )
        .order_by(Participant.id)
    )
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    rows = await session.scalars(query)
    return list(rows)


async def pseudonym_taken(session: AsyncSession, meeting_id: uuid.UUID, pseudonym: str) -> bool:
    found = await session.scalar(
        select(Participant.id).where(Participant.meeting_id == meeting_id, Participant.pseudonym == pseudonym)
    )
    return found is not None


async def pseudonyms_of(session: AsyncSession, meeting_id: uuid.UUID) -> set[str]:
    return set(await session.scalars(select(Participant.pseudonym).where(Participant.meeting_id == meeting_id)))


async def by_email_for_update(session: AsyncSession, meeting_id: uuid.UUID, email: str) -> list[Participant]:
    """The meeting's entries with this address, locked until commit so that two joins racing for
    one of them cannot both take it."""
    rows = await session.scalars(
        select(Participant)
        .where(Participant.meeting_id == meeting_id, func.lower(Participant.email) == email.strip().lower())
        .order_by(Participant.id)
        .with_for_update()
    )
    return list(rows)


async def lock_participants(session: AsyncSession, participant_ids: list[uuid.UUID]) -> dict[uuid.UUID, Participant]:
    """These entries, locked until commit (in id order, so two lockers never wait on each other)
    and read afresh: an entry deleted meanwhile is missing from the result."""
    rows = await session.scalars(
        select(Participant)
        .where(Participant.id.in_(participant_ids))
        .order_by(Participant.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return {row.id: row for row in rows}


async def match_overlaps(session: AsyncSession, walk_in_id: uuid.UUID, entry_id: uuid.UUID) -> dict[str, list[str]]:
    """What both people did that one person can do only once (answer a choice or scale question,
    send the same answer command, upvote an answer, agree to a finding), by kind; empty when they
    never overlap."""
    single = (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE, QuestionKind.SCALE)

    def answered(author_id: uuid.UUID) -> Select[uuid.UUID]:
        return (
            select(Answer.question_id)
            .join(Question, Question.id == Answer.question_id)
            .where(Answer.author_id == author_id, Question.kind.in_(single))
        )

    queries: dict[str, CompoundSelect[uuid.UUID] | CompoundSelect[str]] = {
        "question_ids": answered(walk_in_id).intersect(answered(entry_id)),
        "answer_ids": select(Vote.answer_id)
        .where(Vote.participant_id == walk_in_id)
        .intersect(select(Vote.answer_id).where(Vote.participant_id == entry_id)),
        # Command ids are made by each person's device: the same one twice would be one answer.
        "answer_client_ids": select(Answer.client_id)
        .where(Answer.author_id == walk_in_id)
        .intersect(select(Answer.client_id).where(Answer.author_id == entry_id)),
        "finding_ids": select(Endorsement.finding_id)
        .where(Endorsement.participant_id == walk_in_id)
        .intersect(select(Endorsement.finding_id).where(Endorsement.participant_id == entry_id)),
    }
    overlaps: dict[str, list[str]] = {}
    for name, query in queries.items():
        values = sorted(str(value) for value in (await session.execute(query)).scalars())
        if values:
            overlaps[name] = values
    return overlaps


async def hand_over_records(session: AsyncSession, walk_in_id: uuid.UUID, entry_id: uuid.UUID) -> None:
    """Everything the walk-in did or holds becomes the entry's: answers, votes, agreements,
    findings and help requests they wrote, their sessions (their phone signs in as the entry),
    invites and command receipts (a socket ticket names the walk-in until it expires, and opens
    nothing then: the walk-in is gone). Call after
    ``match_overlaps`` found nothing (votes and agreements would collide)."""
    for model, column in (
        (Answer, Answer.author_id),
        (Vote, Vote.participant_id),
        (Endorsement, Endorsement.participant_id),
        (Finding, Finding.author_id),
        (HelpRequest, HelpRequest.requested_by),
        (AuthSession, AuthSession.participant_id),
        (Invite, Invite.participant_id),
    ):
        await session.execute(update(model).where(column == walk_in_id).values({column.key: entry_id}))
    old_key, new_key = f"participant:{walk_in_id}", f"participant:{entry_id}"
    # A retried command finds its receipt under the person it now signs in as (the ids are
    # client-made and random, so the entry never holds one of the walk-in's; if it did, its own stays).
    theirs = select(CommandReceipt.command_id).where(CommandReceipt.actor_key == new_key)
    await session.execute(
        delete(CommandReceipt).where(CommandReceipt.actor_key == old_key, CommandReceipt.command_id.in_(theirs))
    )
    await session.execute(update(CommandReceipt).where(CommandReceipt.actor_key == old_key).values(actor_key=new_key))
