"""What answer and vote batches decide from, kept between batches on SQLite's writer thread.

Every batch of ``answer.submit`` or ``answer.vote`` commands needs who may act in each room (the
rooms, meetings, roster entries and the rooms they moderate: ``room_accesses``), the allocation
of each (room, question) pair with its question (``placements``) and, for answers, each pair's
counts and each room's assigned participants. Read every time, those were half of a small
batch's statements, and the counts a scan of every answer of the pairs. On SQLite the
pipeline's thread is the only writer on its connection, so they are kept here between batches
and read again only when they may have changed. A meeting's accesses are read for its whole
roster at once, the first time a batch asks about one of its rooms (``access.roster_accesses``):
in a burst of answers most people answer for the first time, and each newcomer's access was a
few statements in the batch that brought them. Someone not on the roster (an organiser's
account, an entry added since) is read alone, as before.

- **another connection committed** (this process's REST writes and admissions, another
  process, a migration): the connection's ``PRAGMA data_version`` moved. It is read at the
  start of every batch, after ``BEGIN IMMEDIATE`` took the write lock, so nobody commits between
  the check and the batch's commit;
- **the pipeline ran anything but an answer or vote batch** (any other command, a REST write
  through the pipeline, a batch that fell back to one by one): it may change anything, so the
  memory is forgotten before it runs (``app.live.commands``);
- **the batch's transaction failed**: what it advanced may not be stored; forgotten.

Answer and vote batches change nothing kept here except the answer counts, which an answer
batch advances by the answers it inserts (each pair keeps the participants who answered it, so
that each is counted once, as ``repository.answered_counts`` does). Anything missing is read
(and then kept); the database's constraints stay the last word.

On PostgreSQL several processes write without telling each other: there is no memory there, and
every batch reads (``decisions_of`` gives None).

The objects kept (rooms, meetings, roster entries, allocations, questions) are detached from the
session that loaded them; the rules only read their columns, loaded at once (no relationship is
mapped on them).
"""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.answers import repository
from app.answers.models import Answer
from app.answers.repository import AnswerCounts, RoomQuestion
from app.auth.access import (
    Actor,
    MeetingAccess,
    composed_room_accesses,
    meeting_accesses,
    rooms_by_id,
    roster_accesses,
)
from app.errors import DomainError
from app.participants.models import Participant
from app.questions.models import Allocation, Question
from app.realtime.receipts import CommandReceipt, find_receipts, receipt_ids
from app.rooms.models import Room

# The key of the memory in the writer's sessions' ``info``.
DECISIONS_KEY = "breakouts.decisions"
# Entries kept at most per kind before the memory starts afresh: a meeting of a few thousand people
# in a few hundred rooms needs a few thousand; a stream of strangers must not grow it for ever.
MEMORY_LIMIT = 50_000

RoomAccess = tuple[MeetingAccess, Room] | DomainError
Placement = tuple[Allocation, Question]


@dataclass(slots=True)
class PairCount:
    """A (room, question) pair's submitted answers, and the participants (role participant) who
    answered it: ``repository.answer_counts`` kept current."""

    submitted: int
    answering: set[uuid.UUID] = field(default_factory=set)

    def counts(self) -> AnswerCounts:
        return AnswerCounts(self.submitted, len(self.answering))


class DecisionMemory:
    """The writer thread's memory; used on that thread only (no lock)."""

    def __init__(self) -> None:
        # Rooms (None: no such room) and accesses to meetings; the access of every roster entry
        # of a meeting is read at once, the first time one of its rooms is asked about.
        self._rooms: dict[uuid.UUID, Room | None] = {}
        self._accesses: dict[tuple[Actor, uuid.UUID], MeetingAccess | DomainError] = {}
        self._rosters: set[uuid.UUID] = set()
        self._placements: dict[RoomQuestion, Placement | None] = {}
        self._counts: dict[RoomQuestion, PairCount] = {}
        self._assigned: dict[uuid.UUID, int] = {}
        # What vote batches read of the answers voted on: the rows, their voters, the authors
        # (their names are in the views) and the sources of merged answers.
        self._answers: dict[uuid.UUID, Answer] = {}
        self._voters: dict[uuid.UUID, set[uuid.UUID]] = {}
        self._authors: dict[uuid.UUID, Participant] = {}
        self._sources: dict[uuid.UUID, list[uuid.UUID]] = {}
        # Of each actor (their receipts' key) the command ids that have a receipt, and of each
        # author the client ids of their answers: every one of them, so that a batch reads a
        # receipt or a stored answer only for an id that has one (a command sent again), where it
        # read both for every command.
        self._command_ids: dict[str, set[str]] = {}
        self._client_ids: dict[uuid.UUID, set[str]] = {}
        # The connection and its data version the memory is valid for.
        self._connection: Any = None
        self._version: int | None = None

    def forget(self) -> None:
        self._rooms.clear()
        self._accesses.clear()
        self._rosters.clear()
        self._placements.clear()
        self._counts.clear()
        self._assigned.clear()
        self._answers.clear()
        self._voters.clear()
        self._authors.clear()
        self._sources.clear()
        self._command_ids.clear()
        self._client_ids.clear()

    def forget_answers(self, answer_ids: Collection[uuid.UUID]) -> None:
        """Answers an answer batch changed (a choice answered again replaces the stored value)."""
        for answer_id in answer_ids:
            self._answers.pop(answer_id, None)

    async def begin(self, session: AsyncSession) -> None:
        """Start of a batch's transaction: takes the write lock (``BEGIN IMMEDIATE``), then
        forgets everything if another connection committed since the last batch."""
        connection = await session.connection()
        raw = (await connection.get_raw_connection()).driver_connection
        assert raw is not None, "a checked-out connection has its driver's"
        (version,) = raw.execute("PRAGMA data_version").fetchone()
        if raw is not self._connection or version != self._version:
            self.forget()
            self._connection, self._version = raw, version
        kinds = (
            self._rooms,
            self._accesses,
            self._placements,
            self._counts,
            self._assigned,
            self._answers,
            self._voters,
        )
        if max(len(kind) for kind in kinds) > MEMORY_LIMIT:
            self.forget()

    async def room_accesses(
        self, session: AsyncSession, requests: Collection[tuple[Actor, uuid.UUID]]
    ) -> dict[tuple[Actor, uuid.UUID], RoomAccess]:
        """``access.room_accesses``, reading only what is not kept: the rooms not seen yet, the
        roster of a meeting seen for the first time (everyone's access at once, so that a person's
        first command reads nothing), and the accesses of anyone else (an organiser's account, an
        entry added since)."""
        unseen = {room_id for _, room_id in requests if room_id not in self._rooms}
        if unseen:
            found = await rooms_by_id(session, unseen)
            self._rooms.update({room_id: found.get(room_id) for room_id in unseen})
        rooms = {room_id: room for _, room_id in requests if (room := self._rooms[room_id]) is not None}
        meetings = {room.meeting_id for room in rooms.values()}
        if not meetings <= self._rosters:
            unread = meetings - self._rosters
            self._accesses.update(await roster_accesses(session, unread))
            self._rosters |= unread
        pairs = {(actor, rooms[room_id].meeting_id) for actor, room_id in requests if room_id in rooms}
        missing = [pair for pair in pairs if pair not in self._accesses]
        if missing:
            self._accesses.update(await meeting_accesses(session, missing))
        return composed_room_accesses(requests, rooms, {pair: self._accesses[pair] for pair in pairs})

    async def receipts(
        self, session: AsyncSession, keys: Collection[tuple[str, str]]
    ) -> dict[tuple[str, str], CommandReceipt]:
        """``receipts.find_receipts``, reading only receipts that exist: the command ids of the
        actors not kept are read first (one statement for all of them, then kept)."""
        unknown = {actor_key for actor_key, _ in keys if actor_key not in self._command_ids}
        if unknown:
            self._command_ids.update(await receipt_ids(session, unknown))
        held = [(actor_key, command_id) for actor_key, command_id in keys if command_id in self._command_ids[actor_key]]
        return await find_receipts(session, held)

    def received(self, receipts: Collection[CommandReceipt]) -> None:
        """Receipts a batch inserts, in the same transaction."""
        for receipt in receipts:
            if (ids := self._command_ids.get(receipt.actor_key)) is not None:
                ids.add(receipt.command_id)

    async def answers_by_client_ids(
        self, session: AsyncSession, keys: Collection[tuple[uuid.UUID, str]]
    ) -> dict[tuple[uuid.UUID, str], Answer]:
        """``repository.answers_by_client_ids``, reading only answers that exist: the client ids
        of the authors not kept are read first."""
        unknown = {author_id for author_id, _ in keys if author_id not in self._client_ids}
        if unknown:
            self._client_ids.update(await repository.client_ids_of(session, unknown))
        held = [(author_id, client_id) for author_id, client_id in keys if client_id in self._client_ids[author_id]]
        return await repository.answers_by_client_ids(session, held)

    def answered(self, answers: Collection[Answer]) -> None:
        """Answers a batch inserts, in the same transaction."""
        for answer in answers:
            if answer.author_id is not None and (ids := self._client_ids.get(answer.author_id)) is not None:
                ids.add(answer.client_id)

    async def placements(self, session: AsyncSession, pairs: Collection[RoomQuestion]) -> dict[RoomQuestion, Placement]:
        """``repository.placements``, reading only the pairs not kept (a pair without an
        allocation is kept as such)."""
        missing = [pair for pair in pairs if pair not in self._placements]
        if missing:
            found = await repository.placements(session, missing)
            self._placements.update({pair: found.get(pair) for pair in missing})
        return {pair: placement for pair in pairs if (placement := self._placements[pair]) is not None}

    async def pair_counts(
        self, session: AsyncSession, pairs: Collection[RoomQuestion]
    ) -> dict[RoomQuestion, PairCount]:
        """The pairs' counts as stored (read before the batch inserts its answers); the caller
        advances them by what it inserts, in the same transaction."""
        missing = [pair for pair in pairs if pair not in self._counts]
        if missing:
            found = await repository.answering_authors(session, missing)
            for pair in missing:
                submitted, authors = found.get(pair, (0, set()))
                self._counts[pair] = PairCount(submitted, authors)
        return {pair: self._counts[pair] for pair in pairs}

    async def assigned_counts(self, session: AsyncSession, room_ids: Collection[uuid.UUID]) -> dict[uuid.UUID, int]:
        """``repository.assigned_counts``, reading only the rooms not kept."""
        missing = [room_id for room_id in room_ids if room_id not in self._assigned]
        if missing:
            found = await repository.assigned_counts(session, missing)
            self._assigned.update({room_id: found.get(room_id, 0) for room_id in missing})
        return {room_id: self._assigned[room_id] for room_id in room_ids}

    async def answers_by_ids(self, session: AsyncSession, answer_ids: Collection[uuid.UUID]) -> dict[uuid.UUID, Answer]:
        """``repository.answers_by_ids``, reading only those not kept (an id not found is read
        again next time: an answer batch may make it)."""
        missing = [answer_id for answer_id in answer_ids if answer_id not in self._answers]
        if missing:
            self._answers.update(await repository.answers_by_ids(session, missing))
        return {answer_id: self._answers[answer_id] for answer_id in answer_ids if answer_id in self._answers}

    async def voters(self, session: AsyncSession, answer_ids: Collection[uuid.UUID]) -> dict[uuid.UUID, set[uuid.UUID]]:
        """Who voted for each answer, as stored; the caller changes the sets by the votes it
        inserts and deletes, in the same transaction."""
        missing = [answer_id for answer_id in answer_ids if answer_id not in self._voters]
        if missing:
            found = await repository.voters_by_answer(session, missing)
            self._voters.update({answer_id: found.get(answer_id, set()) for answer_id in missing})
        return {answer_id: self._voters[answer_id] for answer_id in answer_ids}

    async def authors_by_id(self, session: AsyncSession, ids: Collection[uuid.UUID]) -> dict[uuid.UUID, Participant]:
        missing = [author_id for author_id in ids if author_id not in self._authors]
        if missing:
            self._authors.update(await repository.authors_by_id(session, missing))
        return {author_id: self._authors[author_id] for author_id in ids if author_id in self._authors}

    async def source_ids_of(
        self, session: AsyncSession, answer_ids: Collection[uuid.UUID]
    ) -> dict[uuid.UUID, list[uuid.UUID]]:
        """``repository.source_ids_of``: only merged answers have sources (a merge is no vote)."""
        missing = [answer_id for answer_id in answer_ids if answer_id not in self._sources]
        if missing:
            found = await repository.source_ids_of(session, missing)
            self._sources.update({answer_id: found.get(answer_id, []) for answer_id in missing})
        return {answer_id: self._sources[answer_id] for answer_id in answer_ids if self._sources[answer_id]}


def decisions_of(session: AsyncSession) -> DecisionMemory | None:
    """The memory of the writer thread whose session this is; None elsewhere (PostgreSQL, the REST
    door, tests that build their own sessions)."""
    memory = session.info.get(DECISIONS_KEY)
    return memory if isinstance(memory, DecisionMemory) else None
