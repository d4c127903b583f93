"""The plenary view's reader checks, made together: the readers that arrived while one batch of
checks was running are checked in the next batch, in one read session and a handful of queries.

Each reader of the plenary view needs its access to the meeting (the meeting, its roster entry,
the rooms it moderates), the question it asked for, and the view's current version (the heads of
the meeting's streams). Made one reader at a time, that is five statements per phone; at
report-back two thousand phones ask within a second. Here a batch checks all of its readers with
the same statements over all of them (``meeting_accesses``, one version read per batch).

Exact: a batch starts after each of its readers arrived, so every reader's access and version are
read after its request came in, as when it read them alone; the same rules decide (the per-pair
answers of ``meeting_accesses``, ``plenary_disclosure``, ``require_question``), in the same order,
and each reader gets its own answer or its own error.

Admission (``app.admission``): a batch holds one of the readers' slots while it runs, so it is
refused (every reader in it gets 503 ``overloaded``) when the slots are taken and the line is
full or the wait too long; a line of readers longer than ``limits.waiting`` is refused at once.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.admission import Admission
from app.auth.access import Actor, meeting_accesses
from app.batching import Batches
from app.database import Database
from app.errors import DomainError, InvalidInput, NotAuthenticated, Overloaded
from app.plenary.disclosure import Disclosure
from app.plenary.service import plenary_disclosure
from app.questions.models import Question
from app.realtime.eventlog import StreamHead

BATCH_MAX = 1000  # readers checked in one batch (bounds the statements' parameter lists)

Version = tuple[int, int, int]  # streams, the sum of their heads, the sum of their epochs
# Checks a reader's right to the view in the batch's session: the meeting and what it may see
# (a reader not signed in as an actor, such as a projector's link).
Admit = Callable[[AsyncSession], Awaitable[tuple[uuid.UUID, Disclosure]]]


@dataclass(frozen=True, slots=True)
class ReaderRequest:
    """A signed-in actor asking for a meeting's view, or a reader that ``admit`` resolves."""

    question_id: uuid.UUID | None
    actor: Actor | None = None
    meeting_id: uuid.UUID | None = None
    admit: Admit | None = None


@dataclass(frozen=True, slots=True)
class Checked:
    meeting_id: uuid.UUID
    disclosure: Disclosure
    version: Version


Outcome = Checked | DomainError


async def plenary_versions(session: AsyncSession, meeting_ids: set[uuid.UUID]) -> dict[uuid.UUID, Version]:
    """Each meeting's version: it moves whenever an event is written on any stream of the meeting
    (or a stream is reset). A meeting with no stream yet is at (0, 0, 0)."""
    rows = await session.execute(
        select(
            StreamHead.meeting_id,
            func.count(),
            func.coalesce(func.sum(StreamHead.head_seq), 0),
            func.coalesce(func.sum(StreamHead.epoch), 0),
        )
        .where(StreamHead.meeting_id.in_(meeting_ids))
        .group_by(StreamHead.meeting_id)
    )
    versions = {meeting_id: (0, 0, 0) for meeting_id in meeting_ids}
    for meeting_id, streams, heads, epochs in rows:
        versions[meeting_id] = (int(streams), int(heads), int(epochs))
    return versions


class ReaderChecks:
    def __init__(self, database: Database, admission: Admission) -> None:
        self.database = database
        self.admission = admission
        self._line = Batches(self._check_batch, most=BATCH_MAX, name="plenary reader checks")

    @property
    def batches(self) -> int:
        """Batches run since start."""
        return self._line.batches

    async def check(self, request: ReaderRequest) -> Checked:
        """This reader's meeting, what it may see and the view's version; raises its error."""
        if self._line.running and self._line.waiting >= max(self.admission.limits.waiting, 1):
            self.admission.refused += 1
            raise Overloaded("too many plenary requests at once; retry shortly")
        return await self._line.submit(request)

    async def _check_batch(self, requests: list[ReaderRequest]) -> list[Outcome]:
        # Every reader of a refused batch gets 503 ``overloaded``.
        async with self.admission.slot(), self.database.reading() as session:
            return await _check(session, requests)


async def _check(session: AsyncSession, requests: list[ReaderRequest]) -> list[Outcome]:
    pairs = {
        (request.actor, request.meeting_id)
        for request in requests
        if request.actor is not None and request.meeting_id is not None
    }
    accesses = await meeting_accesses(session, pairs) if pairs else {}
    admitted: list[tuple[uuid.UUID, Disclosure] | DomainError] = []
    for request in requests:
        try:
            if request.admit is not None:
                admitted.append(await request.admit(session))
            elif request.actor is None or request.meeting_id is None:
                raise NotAuthenticated("sign in or open your invite link first")
            else:
                access = accesses[(request.actor, request.meeting_id)]
                if isinstance(access, DomainError):
                    raise access
                admitted.append((request.meeting_id, plenary_disclosure(access)))
        except DomainError as error:
            admitted.append(error)

    question_ids = {
        request.question_id
        for request, found in zip(requests, admitted, strict=True)
        if request.question_id is not None and not isinstance(found, DomainError)
    }
    question_meetings: dict[uuid.UUID, uuid.UUID] = {}
    if question_ids:
        rows = await session.execute(select(Question.id, Question.meeting_id).where(Question.id.in_(question_ids)))
        question_meetings = {question_id: meeting_id for question_id, meeting_id in rows}
    meeting_ids = {found[0] for found in admitted if not isinstance(found, DomainError)}
    versions = await plenary_versions(session, meeting_ids) if meeting_ids else {}

    outcomes: list[Outcome] = []
    for request, found in zip(requests, admitted, strict=True):
        if isinstance(found, DomainError):
            outcomes.append(found)
        elif request.question_id is not None and question_meetings.get(request.question_id) != found[0]:
            outcomes.append(InvalidInput("question_id: no such question in this meeting"))
        else:
            outcomes.append(Checked(found[0], found[1], versions[found[0]]))
    return outcomes
