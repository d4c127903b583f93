"""The report as data (``ReportDocument``, rendered to Markdown and DOCX and served as JSON on the
report link), the rows of the answers export, and the report link.

Authors: a name for named questions, the pseudonym for questions anonymous to peers, and for fully
anonymous ones nothing (``None``, printed "anonymous"). Gender appears only in aggregates.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from pydantic import BaseModel

from app.plenary.schemas import Distribution, Divergence
from app.vocabulary import Phase, QuestionKind


class GenderCounts(BaseModel):
    total: int = 0
    female: int = 0
    male: int = 0
    another: int = 0
    undisclosed: int = 0


class FigureRow(BaseModel):
    label: str
    counts: GenderCounts
    sentence: str


class ParticipationFigures(BaseModel):
    participants: GenderCounts
    participants_sentence: str
    by_organisation_type: list[FigureRow]
    by_role: list[FigureRow]
    answers: GenderCounts
    answers_sentence: str
    answers_by_organisation_type: list[FigureRow]
    counting_rule: str


class AgendaEntry(BaseModel):
    title: str
    kind: str
    speaker: str
    planned_minutes: int


class ReportMeeting(BaseModel):
    id: uuid.UUID
    title: str
    description: str
    held_on: date | None
    prepared_on: date
    languages: list[str]
    agenda: list[AgendaEntry]
    phase: Phase


class ReportAnswer(BaseModel):
    id: uuid.UUID
    # The first 8 hex digits of the id: enough to find the answer in the CSV export.
    ref: str
    room_name: str
    question_code: str
    text: str
    # None: anonymous (a fully anonymous question, or an answer nobody on the roster wrote).
    author: str | None
    votes: int


class ReportNote(BaseModel):
    """A footnote: where a finding or group comes from, down to the quoted answers."""

    number: int
    rooms: list[str]
    question_code: str | None
    answer_ids: list[uuid.UUID]
    text: str


class ReportFinding(BaseModel):
    room_name: str
    question_code: str | None
    text: str
    status: str
    answer_refs: list[str]
    note: int | None = None


class ReportGroup(BaseModel):
    label: str
    pinned: bool
    curated: bool
    rooms: list[str]
    room_count: int
    rooms_answered: int
    raised_in: str
    note: int


class RoomSideBySide(BaseModel):
    room_name: str
    answers: int
    participants: int
    findings: list[ReportFinding]
    top_answers: list[ReportAnswer]


class RoomDistribution(BaseModel):
    room_name: str
    distribution: Distribution


class ReportQuestion(BaseModel):
    code: str
    text: str
    kind: QuestionKind
    shared: bool
    rooms_answered: int
    groups: list[ReportGroup]
    findings: list[ReportFinding]
    rooms: list[RoomSideBySide]
    distributions: list[RoomDistribution]
    overall: Distribution | None
    divergence: Divergence | None
    divergence_sentence: str | None


class ReportTheme(BaseModel):
    theme: str
    questions: list[ReportQuestion]
    findings: list[ReportFinding]


class AnnexQuestion(BaseModel):
    code: str
    text: str
    answers: list[ReportAnswer]


class AnnexRoom(BaseModel):
    room_name: str
    theme: str
    findings: list[ReportFinding]
    questions: list[AnnexQuestion]


class ReportDocument(BaseModel):
    meeting: ReportMeeting
    generated_at: datetime
    participation: ParticipationFigures
    themes: list[ReportTheme]
    annex: list[AnnexRoom]
    notes: list[ReportNote]


class AnswerExportRow(BaseModel):
    answer_id: uuid.UUID
    room: str
    question_code: str
    question_text: str
    kind: QuestionKind
    text: str | None
    choice_ids: list[str] | None
    choices: list[str] | None
    scale_value: int | None
    # A name (named questions), a pseudonym (anonymous to peers), or None (fully anonymous).
    author: str | None
    votes: int
    hidden: bool
    pinned: bool
    merged_into: uuid.UUID | None
    merged_from: list[uuid.UUID]
    created_at: datetime


class ReportLinkRead(BaseModel):
    """The read-only report link; revoking it makes every copy of it answer 404."""

    url: str
    json_url: str
    markdown_url: str
    docx_url: str
    csv_url: str
