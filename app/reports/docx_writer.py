"""The report as a Word document (python-docx).

python-docx cannot write real footnotes, so a finding carries a superscript ``[n]`` and the
"Sources" section at the end lists note n: its rooms, question and quoted answers (endnotes).
"""

from __future__ import annotations

import io
import re

from docx import Document
from docx.document import Document as DocxDocument
from docx.text.paragraph import Paragraph

from app.plenary.schemas import Distribution
from app.reports.assemble import ANONYMOUS
from app.reports.markdown import PHASE_NAMES, long_date
from app.reports.schemas import FigureRow, ReportDocument, ReportFinding, ReportQuestion, RoomDistribution

# Characters XML 1.0 cannot carry (python-docx refuses them): dropped from what people typed.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _safe(text: str) -> str:
    return _NOT_XML.sub("", text)


def _note_mark(paragraph: Paragraph, note: int | None) -> None:
    if note is not None:
        paragraph.add_run(f"[{note}]").font.superscript = True


def _table(document: DocxDocument, header: list[str], rows: list[list[str]]) -> None:
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = _safe(text)
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = _safe(text)
    document.add_paragraph()


def _figure_table(document: DocxDocument, title: str, rows: list[FigureRow]) -> None:
    _table(
        document,
        [title, "Total", "Female", "Male", "Another", "Undisclosed"],
        [
            [row.label, *(str(n) for n in (c.total, c.female, c.male, c.another, c.undisclosed))]
            for row in rows
            for c in [row.counts]
        ],
    )


def _finding(document: DocxDocument, finding: ReportFinding) -> None:
    paragraph = document.add_paragraph(style="List Bullet")
    paragraph.add_run(_safe(f"{finding.room_name}: ")).bold = True
    paragraph.add_run(_safe(finding.text))
    _note_mark(paragraph, finding.note)


def _distribution(document: DocxDocument, parts: list[RoomDistribution], overall: Distribution | None) -> None:
    rows = [*((p.room_name, p.distribution) for p in parts), *([("All rooms", overall)] if overall else [])]
    first = parts[0].distribution if parts else overall
    if first is None:
        return
    if first.options:
        header = ["Room", "Answers", *(option.label for option in first.options)]
        body = [[name, str(d.respondents), *(str(o.count) for o in d.options)] for name, d in rows]
    else:
        header = ["Room", "Answers", *(str(entry.value) for entry in first.scale), "Mean"]
        body = [
            [name, str(d.respondents), *(str(e.count) for e in d.scale), f"{d.mean:.2f}" if d.mean is not None else "—"]
            for name, d in rows
        ]
    _table(document, header, body)


def _question(document: DocxDocument, question: ReportQuestion) -> None:
    document.add_heading(_safe(f"{question.code} — {question.text}"), level=3)
    if question.groups:
        document.add_paragraph("Raised across rooms:")
        for group in question.groups:
            paragraph = document.add_paragraph(style="List Bullet")
            if group.pinned:
                paragraph.add_run("Headline: ").bold = True
            paragraph.add_run(_safe(f"{group.label} — {group.raised_in}"))
            _note_mark(paragraph, group.note)
    if question.shared and any(room.findings or room.top_answers for room in question.rooms):
        document.add_paragraph("The rooms side by side:")
        table = document.add_table(rows=1, cols=3)
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, ["Room", "Confirmed findings", "Top answers (votes)"], strict=True):
            cell.text = text
        for room in question.rooms:
            name, findings, answers = table.add_row().cells
            name.text = _safe(room.room_name)
            paragraph = findings.paragraphs[0]
            for finding in room.findings:
                paragraph.add_run(_safe(finding.text))
                _note_mark(paragraph, finding.note)
                paragraph.add_run(" ")
            answers.text = _safe(" / ".join(f"“{a.text}” ({a.votes})" for a in room.top_answers[:3]) or "—")
        document.add_paragraph()
    if question.findings:
        document.add_paragraph("Findings of the rooms:")
        for finding in question.findings:
            _finding(document, finding)
    _distribution(document, question.distributions, question.overall)
    if question.divergence_sentence:
        document.add_paragraph(_safe(question.divergence_sentence))


def render_docx(report: ReportDocument) -> bytes:
    meeting = report.meeting
    document = Document()
    document.core_properties.title = _safe(meeting.title)
    document.add_heading(_safe(meeting.title), level=0)
    phase = PHASE_NAMES.get(meeting.phase.value, meeting.phase.value)
    intro = document.add_paragraph()
    intro.add_run(
        f"Position paper — draft exported on {long_date(report.generated_at.date())} during the {phase} phase."
    ).italic = True
    held = long_date(meeting.held_on) if meeting.held_on else "not yet held"
    document.add_paragraph(f"Date: {held} (prepared on {long_date(meeting.prepared_on)})")
    document.add_paragraph(_safe(f"Languages: {', '.join(meeting.languages)}"))
    if meeting.description:
        document.add_paragraph(_safe(meeting.description))
    if meeting.agenda:
        document.add_heading("Agenda", level=2)
        for item in meeting.agenda:
            details = ", ".join(part for part in (item.speaker, f"{item.planned_minutes} min") if part)
            document.add_paragraph(_safe(f"{item.title} ({details})"), style="List Number")
    figures = report.participation
    document.add_heading("Participation", level=1)
    document.add_paragraph(f"{figures.participants_sentence}.")
    if figures.by_organisation_type:
        _figure_table(document, "Organisation type", figures.by_organisation_type)
    if figures.by_role:
        _figure_table(document, "Role", figures.by_role)
    document.add_paragraph(f"{figures.answers_sentence}.")
    if figures.answers_by_organisation_type:
        _figure_table(document, "Answers by organisation type", figures.answers_by_organisation_type)
    document.add_paragraph().add_run(figures.counting_rule).italic = True
    document.add_heading("Findings by theme", level=1)
    for theme in report.themes:
        document.add_heading(_safe(theme.theme or "General"), level=2)
        for question in theme.questions:
            _question(document, question)
        if theme.findings:
            document.add_paragraph("Other findings of the rooms:")
            for finding in theme.findings:
                _finding(document, finding)
    document.add_heading("Annex: every room's findings and answers", level=1)
    for room in report.annex:
        document.add_heading(_safe(f"{room.room_name} — {room.theme or 'General'}"), level=2)
        for finding in room.findings:
            refs = ", ".join(finding.answer_refs) or "none"
            document.add_paragraph(_safe(f"{finding.text} ({finding.status}; answers {refs})"), style="List Bullet")
        for asked in room.questions:
            document.add_heading(_safe(f"{asked.code} — {asked.text}"), level=3)
            for answer in asked.answers:
                votes = f"{answer.votes} vote{'' if answer.votes == 1 else 's'}"
                line = f"“{answer.text}” — {answer.author or ANONYMOUS} · {votes} · answer {answer.ref}"
                document.add_paragraph(_safe(line), style="List Bullet")
    if report.notes:
        document.add_heading("Sources", level=1)
        for note in report.notes:
            paragraph = document.add_paragraph()
            paragraph.add_run(f"[{note.number}] ").bold = True
            paragraph.add_run(_safe(note.text))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
