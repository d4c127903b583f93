"""The report as data (``ReportDocument``, rendered to Markdown and DOCX and served as JSON on the
report link), the rows of the answers export, and the report link.

Authors: a name for named questions, the pseudonym for questions anonymous to peers, and for fully
anonymous ones nothing (``None``, printed "anonymous"). Gender appears only in aggregates.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

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
    # The organising organisation(s): the organisations of the organisers on the roster, else the
    # organiser's account name (the DOCX's author and company).
    organisation: str
    description: str
    held_on: date | None
    prepared_on: date
    languages: list[str]
    agenda: list[AgendaEntry]
    phase: Phase


class ReportAnswer(BaseModel):
    id: uuid.UUID
    # Its number within its room, 1, 2, … in the annex's order (in the reader's digits): the notes'
    # "Room 2, S1, answer 7" is the seventh answer under Room 2 in the annex.
    ref: str
    room_name: str
    question_code: str
    text: str
    # None: anonymous (a fully anonymous question, or an answer nobody on the roster wrote).
    author: str | None
    votes: int


class ReportQuote(BaseModel):
    """An answer as a note quotes it: checked against the stored answer when the report is built."""

    answer_id: uuid.UUID
    room_name: str
    text: str


class ReportNote(BaseModel):
    """A footnote: where a finding or group comes from, down to the quoted answers."""

    number: int
    rooms: list[str]
    question_code: str | None
    answer_ids: list[uuid.UUID]
    quotes: list[ReportQuote] = []
    text: str


class ReportFinding(BaseModel):
    id: uuid.UUID
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
    # The label is the organiser's own words (a curated group they renamed).
    renamed: bool = False
    # The computed theme holding this point (none for curated groups).
    theme_label: str | None = None
    rooms: list[str]
    room_count: int
    rooms_answered: int
    raised_in: str
    member_answer_ids: list[uuid.UUID] = []
    member_finding_ids: list[uuid.UUID] = []
    note: int


class SummaryPoint(BaseModel):
    """One sentence of the executive summary or the key recommendations, taken, never written:
    the organiser's label for a group (``label``), or a room's confirmed finding or an answer
    quoted verbatim (``finding``, ``answer``), with the note that traces it."""

    kind: Literal["label", "finding", "answer"]
    # The curated group's id, the finding's or the answer's.
    source_id: str
    text: str
    room_name: str | None
    theme: str
    raised_in: str | None
    # The counts behind ``raised_in`` (a page in another language words them itself).
    room_count: int | None = None
    rooms_answered: int | None = None
    note: int | None


class ReportSummary(BaseModel):
    findings_sentence: str
    points: list[SummaryPoint]
    recommendations: list[SummaryPoint]


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
    # Answers with text in no group of the plenary (each is in the annex, under its room).
    ungrouped_answers: int = 0
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
    # The language of the report's own words: the meeting's first language with a catalogue.
    language: str = "en"
    meeting: ReportMeeting
    generated_at: datetime
    summary: ReportSummary
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
    pdf_url: str
    csv_url: str
