"""The report checked against what is stored, mechanically, before any file is made of it.

- every answer a note quotes is verbatim the stored answer (folded onto one line, as quoted), was
  given in the room the note names, may be shown to the report's reader, and its quote stands in
  the note's text under the number the annex gives it in that room;
- the annex numbers each room's answers 1, 2, 3 … in its order, so that a note's "Room 2, S1,
  answer 7" leads to one answer;
- every finding the report prints is the stored finding's text, from its room, citing the numbers
  of the answers it cites;
- every "raised in n of m rooms" names exactly the rooms its members were given in, and m is the
  number of rooms that answered the question (or n, if more);
- every sentence of the executive summary and the key recommendations is the organiser's label of
  a curated group, or a stored finding or answer quoted verbatim.

A mismatch raises ``ProvenanceError``: it is a bug in the report's making, and no report goes out
with it (the export answers 500 and the error is logged).
"""

from __future__ import annotations

import uuid
from collections import defaultdict

from app.plenary.merge import PlenaryBuilder
from app.reports.schemas import ReportDocument, ReportFinding, ReportGroup, SummaryPoint
from app.reports.wording import Wording
from app.vocabulary import FindingStatus


class ProvenanceError(AssertionError):
    """The report says something its stored material does not bear out."""


def _folded(text: str) -> str:
    return " ".join(text.split())


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise ProvenanceError(message)


class _Checker:
    def __init__(self, plenary: PlenaryBuilder, wording: Wording) -> None:
        self.plenary = plenary
        self.material = plenary.material
        self.wording = wording
        self.room_names = {room.id: room.name for room in self.material.rooms}
        self.findings = {finding.id: finding for finding in self.material.findings}
        self.question_by_code = {question.code: question for question in self.material.questions}
        # answer id → (room name, number) in the report's annex (``annex``).
        self.numbered: dict[uuid.UUID, tuple[str, str]] = {}
        self.curated = {str(row.id): row for row in self.material.curated}
        self.answered: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
        for room_id, question_id in plenary.by_room_question:
            self.answered[question_id].add(room_id)
        for finding in self.material.findings:
            if finding.status == FindingStatus.CONFIRMED and finding.question_id is not None:
                self.answered[finding.question_id].add(finding.room_id)

    def annex(self, report: ReportDocument) -> None:
        """Every room's answers numbered 1, 2, 3 … in the annex's order; ``numbered`` keeps them."""
        for room in report.annex:
            answers = [answer for question in room.questions for answer in question.answers]
            for number, answer in enumerate(answers, start=1):
                _require(
                    answer.ref == self.wording.number(str(number)),
                    f"the annex of {room.room_name} numbers its answer {number} as {answer.ref!r}",
                )
                _require(
                    answer.id not in self.numbered, f"answer {answer.ref} of {room.room_name} is in the annex twice"
                )
                self.numbered[answer.id] = (room.room_name, answer.ref)

    def quotes(self, report: ReportDocument) -> None:
        for note in report.notes:
            for quote in note.quotes:
                stored = self.material.answer_by_id.get(quote.answer_id)
                _require(stored is not None, f"note {note.number} quotes an answer that is not stored")
                assert stored is not None
                _require(quote.answer_id in self.plenary.shown_by_id, f"note {note.number} quotes a hidden answer")
                if stored.text:
                    _require(
                        quote.text == _folded(stored.text),
                        f"note {note.number}: answer {quote.answer_id.hex[:8]} is quoted as {quote.text!r}, "
                        f"stored as {stored.text!r}",
                    )
                _require(
                    self.room_names.get(stored.room_id) == quote.room_name,
                    f"note {note.number}: answer {quote.answer_id.hex[:8]} is placed in the wrong room",
                )
                _require(f"“{quote.text}”" in note.text, f"note {note.number} does not quote its answer as stored")
                room_name, ref = self.numbered.get(quote.answer_id, (None, ""))
                _require(
                    room_name == quote.room_name
                    and f"{self.wording('answer_ref', ref=ref)}: “{quote.text}”" in note.text,
                    f"note {note.number} does not cite its answer by its number in the annex of {quote.room_name}",
                )

    def finding(self, finding: ReportFinding) -> None:
        stored = self.findings.get(finding.id)
        _require(stored is not None, f"finding {finding.id} is not stored")
        assert stored is not None
        _require(finding.text == stored.text, f"finding {finding.id} is printed as {finding.text!r}")
        _require(self.room_names.get(stored.room_id) == finding.room_name, f"finding {finding.id}: wrong room")
        cited = [self.numbered.get(answer.id, (None, ""))[1] for answer in self.plenary.cited_answers(stored)]
        _require(finding.answer_refs == cited, f"finding {finding.id} cites answers {finding.answer_refs}, not {cited}")

    def group(self, group: ReportGroup, question_code: str) -> None:
        rooms: set[uuid.UUID] = set()
        for answer_id in group.member_answer_ids:
            answer = self.plenary.shown_by_id.get(answer_id)
            _require(answer is not None, f"group {group.label!r} holds an answer that may not be shown")
            assert answer is not None
            rooms.add(answer.room_id)
        for finding_id in group.member_finding_ids:
            finding = self.findings.get(finding_id)
            _require(finding is not None, f"group {group.label!r} holds a finding that is not stored")
            assert finding is not None
            rooms.add(finding.room_id)
        names = sorted(self.room_names[room_id] for room_id in rooms)
        _require(
            sorted(group.rooms) == names, f"group {group.label!r} names rooms {group.rooms}, members are in {names}"
        )
        _require(group.room_count == len(rooms), f"group {group.label!r} counts {group.room_count} rooms")
        question = self.question_by_code.get(question_code)
        _require(question is not None, f"group {group.label!r} belongs to no stored question")
        assert question is not None
        answered = max(len(self.answered[question.id]), len(rooms))
        _require(group.rooms_answered == answered, f"group {group.label!r}: {answered} rooms answered")
        expected = self.wording.raised_in(len(rooms), answered)
        _require(group.raised_in == expected, f"group {group.label!r} says {group.raised_in!r}, not {expected!r}")

    def point(self, point: SummaryPoint, groups: dict[int, ReportGroup], findings: dict[str, ReportFinding]) -> None:
        if point.kind == "label":
            row = self.curated.get(point.source_id)
            _require(row is not None and row.label == point.text, f"summary: {point.text!r} is no organiser's label")
        elif point.kind == "finding":
            finding = self.findings.get(uuid.UUID(point.source_id))
            _require(finding is not None and finding.text == point.text, f"summary: {point.text!r} is no finding")
            _require(point.source_id in findings, f"summary: the finding {point.text!r} is not in the report")
        else:
            answer = self.plenary.shown_by_id.get(uuid.UUID(point.source_id))
            stored = answer.text if answer is not None else None
            _require(stored is not None and _folded(stored) == point.text, f"summary: {point.text!r} is no answer")
        if point.raised_in is None:
            return
        group = groups.get(point.note) if point.note is not None else None
        if group is None and point.kind == "finding":
            # A recommendation carries its finding's note: the point is a group holding the finding.
            finding_id = uuid.UUID(point.source_id)
            holding = [g for g in groups.values() if finding_id in g.member_finding_ids]
            group = next((g for g in holding if g.raised_in == point.raised_in), None)
        _require(
            group is not None
            and point.raised_in == group.raised_in
            and (point.room_count, point.rooms_answered) == (group.room_count, group.rooms_answered),
            f"summary: {point.text!r} says {point.raised_in!r}, which no group of it bears out",
        )


def check_provenance(report: ReportDocument, plenary: PlenaryBuilder, wording: Wording) -> None:
    checker = _Checker(plenary, wording)
    checker.annex(report)
    checker.quotes(report)
    groups: dict[int, ReportGroup] = {}
    findings: dict[str, ReportFinding] = {}
    for theme in report.themes:
        for question in theme.questions:
            for group in question.groups:
                checker.group(group, question.code)
                groups[group.note] = group
            for finding in question.findings:
                checker.finding(finding)
                findings[str(finding.id)] = finding
        for finding in theme.findings:
            checker.finding(finding)
            findings[str(finding.id)] = finding
    for room in report.annex:
        for finding in room.findings:
            checker.finding(finding)
    for point in [*report.summary.points, *report.summary.recommendations]:
        checker.point(point, groups, findings)
