"""Everything the rooms produced that the plenary view and the reports are built from, loaded in a
fixed number of queries whatever the meeting's size."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from app.findings.models import Finding
from app.meetings.models import Meeting
from app.participants.models import Participant
from app.plenary import repository
from app.plenary.models import CuratedGroup, PlenaryState
from app.plenary.records import AnswerRecord
from app.questions.models import Allocation, Question
from app.rooms.models import Room
from app.vocabulary import QuestionState


@dataclass(slots=True)
class Material:
    meeting: Meeting
    rooms: list[Room]
    questions: list[Question]
    allocations: list[Allocation]
    # Every answer, hidden and merged-away ones included: the disclosure decides what shows.
    answers: list[AnswerRecord]
    votes: dict[uuid.UUID, int]
    merge_sources: dict[uuid.UUID, list[uuid.UUID]]
    roster: dict[uuid.UUID, Participant]
    # Proposed and confirmed findings (never drafts).
    findings: list[Finding]
    finding_sources: dict[uuid.UUID, list[uuid.UUID]]
    endorsements: dict[uuid.UUID, int]
    curated: list[CuratedGroup]
    state: PlenaryState | None
    room_by_id: dict[uuid.UUID, Room] = field(init=False)
    question_by_id: dict[uuid.UUID, Question] = field(init=False)
    answer_by_id: dict[uuid.UUID, AnswerRecord] = field(init=False)

    def __post_init__(self) -> None:
        self.room_by_id = {room.id: room for room in self.rooms}
        self.question_by_id = {question.id: question for question in self.questions}
        self.answer_by_id = {answer.id: answer for answer in self.answers}

    def closed_rooms(self) -> dict[uuid.UUID, frozenset[uuid.UUID]]:
        """For each question, the rooms where it is closed (its answers are revealed there)."""
        closed: dict[uuid.UUID, set[uuid.UUID]] = {}
        for allocation in self.allocations:
            if allocation.state == QuestionState.CLOSED:
                closed.setdefault(allocation.question_id, set()).add(allocation.room_id)
        return {question_id: frozenset(rooms) for question_id, rooms in closed.items()}


async def load_material(session: AsyncSession, meeting: Meeting, question_id: uuid.UUID | None = None) -> Material:
    """The meeting's material, or only what concerns one question (rooms and roster are whole)."""
    meeting_id = meeting.id
    findings = await repository.shared_findings(session, meeting_id, question_id)
    finding_ids = [finding.id for finding in findings]
    return Material(
        meeting=meeting,
        rooms=await repository.rooms_of(session, meeting_id),
        questions=await repository.questions_of(session, meeting_id, question_id),
        allocations=await repository.allocations_of(session, meeting_id, question_id),
        answers=await repository.answers_of(session, meeting_id, question_id),
        votes=await repository.vote_counts(session, meeting_id, question_id),
        merge_sources=await repository.merge_sources(session, meeting_id, question_id),
        roster=await repository.roster_of(session, meeting_id),
        findings=findings,
        finding_sources=await repository.finding_sources(session, finding_ids),
        endorsements=await repository.endorsement_counts(session, finding_ids),
        curated=await repository.curated_groups_of(session, meeting_id, question_id),
        state=await repository.plenary_state(session, meeting_id),
    )
