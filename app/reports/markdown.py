"""The report as Markdown (GitHub/pandoc flavour, footnotes as ``[^n]``).

Everything people typed is escaped and kept on one line, so an answer can never open a heading,
a link, a footnote or raw HTML in the document.
"""

from __future__ import annotations

import re
from datetime import date

from app.plenary.schemas import Distribution
from app.reports.assemble import ANONYMOUS
from app.reports.schemas import (
    FigureRow,
    ReportAnswer,
    ReportDocument,
    ReportFinding,
    ReportQuestion,
    ReportTheme,
    RoomDistribution,
)

_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~])")
# Control characters (NUL, BEL, ESC sequences a terminal would act on …) are dropped, as the DOCX
# writer drops what XML cannot carry; line breaks and tabs are folded into spaces first.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
PHASE_NAMES = {
    "draft": "draft",
    "lobby": "lobby",
    "plenary": "plenary",
    "breakouts": "breakouts",
    "report_back": "report-back",
    "closed": "closed",
}


def md_escape(text: str) -> str:
    """One line of literal text: Markdown's structural characters escaped, line breaks folded."""
    return _SPECIAL.sub(r"\\\1", _CONTROL.sub("", " ".join(text.split())))


def long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    """A pipe table of plain texts (escaped here)."""
    return _escaped_table([md_escape(h) for h in header], [[md_escape(value) for value in row] for row in rows])


def _escaped_table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(h or " " for h in header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(value or " " for value in row) + " |" for row in rows]
    return [*lines, ""]


def _figure_table(title: str, rows: list[FigureRow]) -> list[str]:
    header = [title, "Total", "Female", "Male", "Another", "Undisclosed"]
    values = [
        [row.label, *(str(n) for n in (c.total, c.female, c.male, c.another, c.undisclosed))]
        for row in rows
        for c in [row.counts]
    ]
    return _table(header, values)


def _answer_line(answer: ReportAnswer) -> str:
    votes = f"{answer.votes} vote{'' if answer.votes == 1 else 's'}"
    return f"“{md_escape(answer.text)}” — {md_escape(answer.author or ANONYMOUS)} · {votes} · answer {answer.ref}"


def _finding_line(finding: ReportFinding) -> str:
    note = f"[^{finding.note}]" if finding.note is not None else ""
    return f"- **{md_escape(finding.room_name)}:** {md_escape(finding.text)}{note}"


def _distribution_rows(
    parts: list[RoomDistribution], overall: Distribution | None
) -> tuple[list[str], list[list[str]]]:
    rows = [*((part.room_name, part.distribution) for part in parts), *([("All rooms", overall)] if overall else [])]
    first = parts[0].distribution if parts else overall
    if first is None:
        return [], []
    if first.options:
        header = ["Room", "Answers", *(option.label for option in first.options)]
        body = [[name, str(d.respondents), *(str(option.count) for option in d.options)] for name, d in rows]
    else:
        header = ["Room", "Answers", *(f"{entry.value}" for entry in first.scale), "Mean"]
        body = [
            [name, str(d.respondents), *(str(e.count) for e in d.scale), f"{d.mean:.2f}" if d.mean is not None else "—"]
            for name, d in rows
        ]
    return header, body


def _question(question: ReportQuestion) -> list[str]:
    lines = [f"### {md_escape(question.code)} — {md_escape(question.text)}", ""]
    if question.groups:
        lines += ["Raised across rooms:", ""]
        for group in question.groups:
            headline = "**Headline:** " if group.pinned else ""
            lines.append(f"- {headline}{md_escape(group.label)} — {group.raised_in}[^{group.note}]")
        lines.append("")
    if question.shared and any(room.findings or room.top_answers for room in question.rooms):
        lines += ["The rooms side by side:", ""]
        rows = [
            [
                md_escape(room.room_name),
                " / ".join(f"{md_escape(f.text)}[^{f.note}]" for f in room.findings) or "—",
                " / ".join(f"“{md_escape(a.text)}” ({a.votes})" for a in room.top_answers[:3]) or "—",
            ]
            for room in question.rooms
        ]
        lines += _escaped_table(["Room", "Confirmed findings", "Top answers (votes)"], rows)
    if question.findings:
        lines += ["Findings of the rooms:", "", *(_finding_line(finding) for finding in question.findings), ""]
    header, body = _distribution_rows(question.distributions, question.overall)
    if header:
        lines += _table(header, body)
    if question.divergence_sentence:
        lines += [md_escape(question.divergence_sentence), ""]
    if not (question.groups or question.findings or header):
        lines += ["No confirmed findings yet.", ""]
    return lines


def _theme(theme: ReportTheme) -> list[str]:
    lines = [f"## {md_escape(theme.theme or 'General')}", ""]
    for question in theme.questions:
        lines += _question(question)
    if theme.findings:
        lines += ["Other findings of the rooms:", "", *(_finding_line(finding) for finding in theme.findings), ""]
    return lines


def render_markdown(report: ReportDocument) -> str:
    meeting = report.meeting
    phase = PHASE_NAMES.get(meeting.phase.value, meeting.phase.value)
    held = long_date(meeting.held_on) if meeting.held_on else "not yet held"
    lines = [
        f"# {md_escape(meeting.title)}",
        "",
        f"*Position paper — draft exported on {long_date(report.generated_at.date())} during the {phase} phase.*",
        "",
        f"- **Date:** {held} (prepared on {long_date(meeting.prepared_on)})",
        f"- **Languages:** {md_escape(', '.join(meeting.languages))}",
        "",
    ]
    if meeting.description:
        lines += [md_escape(meeting.description), ""]
    if meeting.agenda:
        lines += ["**Agenda**", ""]
        for number, item in enumerate(meeting.agenda, start=1):
            details = ", ".join(part for part in (item.speaker, f"{item.planned_minutes} min") if part)
            lines.append(f"{number}. {md_escape(item.title)} ({md_escape(details)})")
        lines.append("")
    figures = report.participation
    lines += ["## Participation", "", f"{figures.participants_sentence}.", ""]
    if figures.by_organisation_type:
        lines += _figure_table("Organisation type", figures.by_organisation_type)
    if figures.by_role:
        lines += _figure_table("Role", figures.by_role)
    lines += [f"{figures.answers_sentence}.", ""]
    if figures.answers_by_organisation_type:
        lines += _figure_table("Answers by organisation type", figures.answers_by_organisation_type)
    lines += [f"*{md_escape(figures.counting_rule)}*", ""]
    lines += ["# Findings by theme", ""]
    for theme in report.themes:
        lines += _theme(theme)
    if not report.themes:
        lines += ["No findings or answers yet.", ""]
    lines += ["# Annex: every room's findings and answers", ""]
    for room in report.annex:
        lines += [f"## {md_escape(room.room_name)} — {md_escape(room.theme or 'General')}", ""]
        if room.findings:
            lines.append("Findings:")
            lines.append("")
            for finding in room.findings:
                refs = ", ".join(finding.answer_refs) or "none"
                lines.append(f"- {md_escape(finding.text)} ({finding.status}; answers {refs})")
            lines.append("")
        for question in room.questions:
            lines += [f"### {md_escape(question.code)} — {md_escape(question.text)}", ""]
            lines += [f"- {_answer_line(answer)}" for answer in question.answers]
            lines.append("")
    if report.notes:
        lines += ["# Sources", ""]
        lines += [f"[^{note.number}]: {md_escape(note.text)}" for note in report.notes]
        lines.append("")
    return "\n".join(lines)
