"""The report as Markdown (GitHub/pandoc flavour, footnotes as ``[^n]``).

Everything people typed is escaped and kept on one line, so an answer can never open a heading,
a link, a footnote or raw HTML in the document.
"""

from __future__ import annotations

import re

from app.plenary.schemas import Distribution
from app.reports.schemas import (
    FigureRow,
    ReportAnswer,
    ReportDocument,
    ReportFinding,
    ReportGroup,
    ReportQuestion,
    ReportTheme,
    RoomDistribution,
    SummaryPoint,
)
from app.reports.wording import Wording, report_language

_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~])")
# Control characters (NUL, BEL, ESC sequences a terminal would act on …) are dropped, as the DOCX
# writer drops what XML cannot carry; line breaks and tabs are folded into spaces first.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def md_escape(text: str) -> str:
    """One line of literal text: Markdown's structural characters escaped, line breaks folded."""
    return _SPECIAL.sub(r"\\\1", _CONTROL.sub("", " ".join(text.split())))


def agenda_line(title: str, speaker: str, minutes: int, w: Wording) -> str:
    """ "Title (speaker, 10 min)": a part that is not known (no speaker, no planned minutes) is left out."""
    details = ", ".join(part for part in (speaker, w("minutes", minutes=minutes) if minutes > 0 else "") if part)
    return f"{title} ({details})" if details else title


def figure_header(title: str, w: Wording) -> list[str]:
    return [title, *(w(f"col_{key}") for key in ("total", "female", "male", "another", "undisclosed"))]


def figure_values(rows: list[FigureRow], w: Wording) -> list[list[str]]:
    return [
        [row.label, *(w.number(str(n)) for n in (c.total, c.female, c.male, c.another, c.undisclosed))]
        for row in rows
        for c in [row.counts]
    ]


def distribution_rows(
    parts: list[RoomDistribution], overall: Distribution | None, w: Wording
) -> tuple[list[str], list[list[str]]]:
    """The distribution table of a choice or scale question: none when nobody answered."""
    rows = [*((part.room_name, part.distribution) for part in parts), *([(w("all_rooms"), overall)] if overall else [])]
    first = parts[0].distribution if parts else overall
    if first is None or not first.respondents:
        return [], []
    if first.options:
        header = [w("col_room"), w("col_answers"), *(option.label for option in first.options)]
        body = [[name, w.number(str(d.respondents)), *(w.number(str(o.count)) for o in d.options)] for name, d in rows]
    else:
        header = [
            w("col_room"),
            w("col_answers"),
            *(w.number(str(entry.value)) for entry in first.scale),
            w("col_mean"),
        ]
        body = [
            [
                name,
                w.number(str(d.respondents)),
                *(w.number(str(e.count)) for e in d.scale),
                w.decimal(d.mean, 2) if d.mean is not None else "—",
            ]
            for name, d in rows
        ]
    return header, body


def themed(groups: list[ReportGroup]) -> list[tuple[str | None, list[ReportGroup]]]:
    """A question's points under their computed themes, each theme where its first point stands."""
    buckets: dict[str | None, list[ReportGroup]] = {}
    for group in groups:
        buckets.setdefault(group.theme_label, []).append(group)
    return list(buckets.items())


def point_text(point: SummaryPoint) -> str:
    """A summary sentence as printed: the organiser's label as it is, a quoted finding or answer
    in quotation marks with its room."""
    if point.kind == "label":
        return point.text
    return f"“{point.text}” ({point.room_name})"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    """A pipe table of plain texts (escaped here)."""
    return _escaped_table([md_escape(h) for h in header], [[md_escape(value) for value in row] for row in rows])


def _escaped_table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(h or " " for h in header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(value or " " for value in row) + " |" for row in rows]
    return [*lines, ""]


def _answer_line(answer: ReportAnswer, w: Wording) -> str:
    votes = w.counted("votes", answer.votes)
    author = md_escape(answer.author or w("anonymous"))
    return f"“{md_escape(answer.text)}” — {author} · {votes} · {w('answer_ref', ref=answer.ref)}"


def _finding_line(finding: ReportFinding) -> str:
    note = f"[^{finding.note}]" if finding.note is not None else ""
    return f"- **{md_escape(finding.room_name)}:** {md_escape(finding.text)}{note}"


def _point_line(point: SummaryPoint) -> str:
    raised = f" — {point.raised_in}" if point.raised_in else ""
    note = f"[^{point.note}]" if point.note is not None else ""
    return f"- {md_escape(point_text(point))}{md_escape(raised)}{note}"


def _question(question: ReportQuestion, w: Wording) -> list[str]:
    lines = [f"#### {md_escape(question.code)} — {md_escape(question.text)}", ""]
    if question.groups:
        lines += [w("raised_across"), ""]
        for theme, groups in themed(question.groups):
            indent = ""
            if theme:
                lines.append(f"- *{md_escape(theme)}*")
                indent = "  "
            for group in groups:
                headline = f"**{w('headline')}:** " if group.pinned else ""
                lines.append(
                    f"{indent}- {headline}{md_escape(group.label)} — {md_escape(group.raised_in)}[^{group.note}]"
                )
        lines.append("")
    if question.shared and question.ungrouped_answers:
        lines += [md_escape(w.counted("ungrouped", question.ungrouped_answers)), ""]
    if question.shared and any(room.findings or room.top_answers for room in question.rooms):
        lines += [w("side_by_side"), ""]
        rows = [
            [
                md_escape(room.room_name),
                " / ".join(f"{md_escape(f.text)}[^{f.note}]" for f in room.findings) or "—",
                " / ".join(f"“{md_escape(a.text)}” ({w.number(str(a.votes))})" for a in room.top_answers[:3]) or "—",
            ]
            for room in question.rooms
        ]
        lines += _escaped_table([w("col_room"), w("col_findings"), w("col_top_answers")], rows)
    if question.findings:
        lines += [w("room_findings"), "", *(_finding_line(finding) for finding in question.findings), ""]
    header, body = distribution_rows(question.distributions, question.overall, w)
    if header:
        lines += _table(header, body)
    if question.divergence_sentence:
        lines += [md_escape(question.divergence_sentence), ""]
    if not (question.groups or question.findings or header):
        lines += [w("no_findings"), ""]
    return lines


def _theme(theme: ReportTheme, w: Wording) -> list[str]:
    lines = [f"### {md_escape(theme.theme or w('general'))}", ""]
    for question in theme.questions:
        lines += _question(question, w)
    if theme.findings:
        lines += [w("other_findings"), "", *(_finding_line(finding) for finding in theme.findings), ""]
    return lines


def _summary(report: ReportDocument, w: Wording) -> list[str]:
    summary = report.summary
    lines = [f"## {w('executive_summary')}", "", f"{md_escape(report.participation.participants_sentence)}."]
    if summary.findings_sentence:
        lines.append(md_escape(summary.findings_sentence))
    lines.append("")
    if summary.points:
        lines += [w("summary_points"), "", *(_point_line(point) for point in summary.points), ""]
    elif not summary.findings_sentence:
        lines += [w("summary_none"), ""]
    lines += [f"## {w('key_recommendations')}", ""]
    if summary.recommendations:
        lines += [f"{n}. {_point_line(point)[2:]}" for n, point in enumerate(summary.recommendations, start=1)]
    else:
        lines.append(w("recommendations_none"))
    return [*lines, ""]


def render_markdown(report: ReportDocument) -> str:
    w = Wording(report_language([report.language]))
    meeting = report.meeting
    held = w.long_date(meeting.held_on) if meeting.held_on else w("not_held")
    lines = [
        f"# {md_escape(meeting.title)}",
        "",
        f"*{w('draft_note', date=w.long_date(report.generated_at.date()), phase=w.phase(meeting.phase.value))}*",
        "",
    ]
    lines += _summary(report, w)
    lines += [
        f"## {w('about')}",
        "",
        f"- {md_escape(w('date_line', held=held, prepared=w.long_date(meeting.prepared_on)))}",
        f"- {md_escape(w('languages_line', languages=', '.join(meeting.languages)))}",
        "",
    ]
    if meeting.description:
        lines += [md_escape(meeting.description), ""]
    if meeting.agenda:
        lines += [f"### {w('agenda')}", ""]
        for number, item in enumerate(meeting.agenda, start=1):
            line = agenda_line(item.title, item.speaker, item.planned_minutes, w)
            lines.append(f"{number}. {md_escape(line)}")
        lines.append("")
    figures = report.participation
    lines += [f"## {w('participation')}", "", f"{md_escape(figures.participants_sentence)}.", ""]
    if figures.by_organisation_type:
        lines += _table(figure_header(w("organisation_type"), w), figure_values(figures.by_organisation_type, w))
    if figures.by_role:
        lines += _table(figure_header(w("role"), w), figure_values(figures.by_role, w))
    lines += [f"{md_escape(figures.answers_sentence)}.", ""]
    if figures.answers_by_organisation_type:
        header = figure_header(w("answers_by_organisation_type"), w)
        lines += _table(header, figure_values(figures.answers_by_organisation_type, w))
    lines += [f"*{md_escape(figures.counting_rule)}*", ""]
    lines += [f"## {w('findings_by_theme')}", ""]
    for theme in report.themes:
        lines += _theme(theme, w)
    if not report.themes:
        lines += [w("nothing_yet"), ""]
    lines += [f"## {w('annex')}", ""]
    for room in report.annex:
        lines += [f"### {md_escape(room.room_name)} — {md_escape(room.theme or w('general'))}", ""]
        if room.findings:
            lines += [w("annex_findings"), ""]
            for finding in room.findings:
                refs = w("answers_refs", refs=", ".join(finding.answer_refs) or w("none"))
                status = w(f"finding_status_{finding.status}")
                lines.append(f"- {md_escape(finding.text)} ({status}; {refs})")
            lines.append("")
        for question in room.questions:
            lines += [f"#### {md_escape(question.code)} — {md_escape(question.text)}", ""]
            lines += [f"- {_answer_line(answer, w)}" for answer in question.answers]
            lines.append("")
    if report.notes:
        lines += [f"## {w('sources')}", ""]
        lines += [f"[^{note.number}]: {md_escape(note.text)}" for note in report.notes]
        lines.append("")
    return "\n".join(lines)
