"""The report as a Word document (python-docx): A4, a table of contents, page numbers in the
footer, real footnotes (``word_markup``), the document's properties (title, organisation, date,
language), heading levels 1 to 3 under the title without a jump.

Each finding and group carries a footnote naming its rooms, question and quoted answers; a summary
point repeats the footnote of the group or finding it is taken from.
"""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, time

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm
from docx.text.paragraph import Paragraph

from app.reports.docx_blocks import Blocks, add_run
from app.reports.markdown import agenda_line, distribution_rows, figure_header, figure_values, point_text, themed
from app.reports.schemas import ReportDocument, ReportFinding, ReportQuestion, SummaryPoint
from app.reports.word_markup import (
    Footnotes,
    add_bookmark,
    add_page_number_field,
    add_table_of_contents,
)
from app.reports.wording import Wording, report_language

# Characters XML 1.0 cannot carry (python-docx refuses them): dropped from what people typed.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
A4_WIDTH_MM, A4_HEIGHT_MM = 210, 297
MARGIN_MM = 25


def _safe(text: str) -> str:
    return _NOT_XML.sub("", text)


class _Writer:
    def __init__(self, report: ReportDocument, *, contents_paged: bool = False) -> None:
        self.report = report
        self.contents_paged = contents_paged
        self.w = Wording(report_language([report.language]))
        self.document: DocxDocument = Document()
        self.blocks = Blocks(self.document)
        self.footnotes = Footnotes(self.document)
        self.notes = {note.number: note.text for note in report.notes}
        # (level, text, bookmark) of every heading, for the written table of contents.
        self.headings: list[tuple[int, str, str]] = []

    # --- pieces --------------------------------------------------------------------------------

    def heading(self, text: str, level: int) -> Paragraph:
        paragraph: Paragraph = self.blocks.heading(_safe(text), level=level)
        anchor = f"_Heading{len(self.headings) + 1}"
        add_bookmark(paragraph, anchor, len(self.headings) + 1)
        self.headings.append((level, _safe(text), anchor))
        return paragraph

    def note(self, paragraph: Paragraph, number: int | None) -> None:
        if number is not None and number in self.notes:
            self.footnotes.add(paragraph, _safe(self.notes[number]))

    def table(self, header: list[str], rows: list[list[str]]) -> None:
        table = self.document.add_table(rows=1, cols=len(header))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, header, strict=True):
            cell.text = _safe(text)
            for run in cell.paragraphs[0].runs:
                run.bold = True
        for row in rows:
            for cell, text in zip(table.add_row().cells, row, strict=True):
                cell.text = _safe(text)
        self.blocks.paragraph()

    def finding(self, finding: ReportFinding) -> None:
        paragraph = self.blocks.paragraph(style="List Bullet")
        add_run(paragraph, _safe(f"{finding.room_name}: ")).bold = True
        add_run(paragraph, _safe(finding.text))
        self.note(paragraph, finding.note)

    def point(self, point: SummaryPoint, style: str) -> None:
        paragraph = self.blocks.paragraph(style=style)
        add_run(paragraph, _safe(point_text(point)))
        if point.raised_in:
            add_run(paragraph, _safe(f" — {point.raised_in}"))
        self.note(paragraph, point.note)

    # --- sections ------------------------------------------------------------------------------

    def summary(self) -> None:
        w, summary = self.w, self.report.summary
        self.heading(w("executive_summary"), 1)
        self.blocks.paragraph(_safe(f"{self.report.participation.participants_sentence}."))
        if summary.findings_sentence:
            self.blocks.paragraph(_safe(summary.findings_sentence))
        if summary.points:
            self.blocks.paragraph(w("summary_points"))
            for point in summary.points:
                self.point(point, "List Bullet")
        elif not summary.findings_sentence:
            self.blocks.paragraph(w("summary_none"))
        self.heading(w("key_recommendations"), 1)
        for point in summary.recommendations:
            self.point(point, "List Number")
        if not summary.recommendations:
            self.blocks.paragraph(w("recommendations_none"))

    def about(self) -> None:
        w, meeting = self.w, self.report.meeting
        self.heading(w("about"), 1)
        held = w.long_date(meeting.held_on) if meeting.held_on else w("not_held")
        self.blocks.paragraph(w("date_line", held=held, prepared=w.long_date(meeting.prepared_on)))
        self.blocks.paragraph(_safe(w("languages_line", languages=", ".join(meeting.languages))))
        if meeting.description:
            self.blocks.paragraph(_safe(meeting.description))
        if meeting.agenda:
            self.heading(w("agenda"), 2)
            for item in meeting.agenda:
                line = agenda_line(item.title, item.speaker, item.planned_minutes, w)
                self.blocks.paragraph(_safe(line), style="List Number 2")

    def participation(self) -> None:
        w, figures = self.w, self.report.participation
        self.heading(w("participation"), 1)
        self.blocks.paragraph(_safe(f"{figures.participants_sentence}."))
        if figures.by_organisation_type:
            self.table(figure_header(w("organisation_type"), w), figure_values(figures.by_organisation_type, w))
        if figures.by_role:
            self.table(figure_header(w("role"), w), figure_values(figures.by_role, w))
        self.blocks.paragraph(_safe(f"{figures.answers_sentence}."))
        if figures.answers_by_organisation_type:
            header = figure_header(w("answers_by_organisation_type"), w)
            self.table(header, figure_values(figures.answers_by_organisation_type, w))
        add_run(self.blocks.paragraph(), _safe(figures.counting_rule)).italic = True

    def question(self, question: ReportQuestion) -> None:
        w = self.w
        self.heading(f"{question.code} — {question.text}", 3)
        if question.groups:
            self.blocks.paragraph(w("raised_across"))
            for theme, groups in themed(question.groups):
                if theme:
                    add_run(self.blocks.paragraph(style="List Bullet"), _safe(theme)).italic = True
                for group in groups:
                    paragraph = self.blocks.paragraph(style="List Bullet 2" if theme else "List Bullet")
                    if group.pinned:
                        add_run(paragraph, f"{w('headline')}: ").bold = True
                    add_run(paragraph, _safe(f"{group.label} — {group.raised_in}"))
                    self.note(paragraph, group.note)
        if question.shared and question.ungrouped_answers:
            self.blocks.paragraph(_safe(w.counted("ungrouped", question.ungrouped_answers)))
        if question.shared and any(room.findings or room.top_answers for room in question.rooms):
            self.blocks.paragraph(w("side_by_side"))
            table = self.document.add_table(rows=1, cols=3)
            table.style = "Table Grid"
            header = [w("col_room"), w("col_findings"), w("col_top_answers")]
            for cell, text in zip(table.rows[0].cells, header, strict=True):
                cell.text = text
            for room in question.rooms:
                name, findings, answers = table.add_row().cells
                name.text = _safe(room.room_name)
                paragraph = findings.paragraphs[0]
                for finding in room.findings:
                    add_run(paragraph, _safe(finding.text))
                    self.note(paragraph, finding.note)
                    add_run(paragraph, " ")
                top = " / ".join(f"“{a.text}” ({w.number(str(a.votes))})" for a in room.top_answers[:3])
                answers.text = _safe(top or "—")
            self.blocks.paragraph()
        if question.findings:
            self.blocks.paragraph(w("room_findings"))
            for finding in question.findings:
                self.finding(finding)
        header, body = distribution_rows(question.distributions, question.overall, w)
        if header:
            self.table(header, body)
        if question.divergence_sentence:
            self.blocks.paragraph(_safe(question.divergence_sentence))
        if not (question.groups or question.findings or header):
            self.blocks.paragraph(w("no_findings"))

    def themes(self) -> None:
        w = self.w
        self.heading(w("findings_by_theme"), 1)
        for theme in self.report.themes:
            self.heading(theme.theme or w("general"), 2)
            for question in theme.questions:
                self.question(question)
            if theme.findings:
                self.blocks.paragraph(w("other_findings"))
                for finding in theme.findings:
                    self.finding(finding)
        if not self.report.themes:
            self.blocks.paragraph(w("nothing_yet"))

    def annex(self) -> None:
        w = self.w
        self.heading(w("annex"), 1)
        for room in self.report.annex:
            self.heading(f"{room.room_name} — {room.theme or w('general')}", 2)
            for finding in room.findings:
                refs = w("answers_refs", refs=", ".join(finding.answer_refs) or w("none"))
                line = f"{finding.text} ({w(f'finding_status_{finding.status}')}; {refs})"
                self.blocks.paragraph(_safe(line), style="List Bullet")
            for asked in room.questions:
                self.heading(f"{asked.code} — {asked.text}", 3)
                for answer in asked.answers:
                    votes = w.counted("votes", answer.votes)
                    author = answer.author or w("anonymous")
                    line = f"“{answer.text}” — {author} · {votes} · {w('answer_ref', ref=answer.ref)}"
                    self.blocks.paragraph(_safe(line), style="List Bullet")

    # --- the document --------------------------------------------------------------------------

    def page_setup(self) -> None:
        for section in self.document.sections:
            section.page_width, section.page_height = Mm(A4_WIDTH_MM), Mm(A4_HEIGHT_MM)
            section.left_margin = section.right_margin = Mm(MARGIN_MM)
            section.top_margin = section.bottom_margin = Mm(MARGIN_MM)
            footer = section.footer.paragraphs[0]
            footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
            add_page_number_field(footer)

    def properties(self) -> None:
        meeting, properties = self.report.meeting, self.document.core_properties
        properties.title = _safe(meeting.title)
        properties.subject = self.w("position_paper")
        properties.author = _safe(meeting.organisation)
        properties.last_modified_by = _safe(meeting.organisation)
        properties.language = self.w.language
        properties.keywords = _safe(", ".join(theme.theme for theme in self.report.themes if theme.theme))
        day = meeting.held_on or self.report.generated_at.date()
        properties.created = datetime.combine(day, time(), tzinfo=UTC)
        properties.modified = self.report.generated_at
        properties.revision = 1
        properties.comments = self.draft_note()

    def draft_note(self) -> str:
        w = self.w
        return w(
            "draft_note",
            date=w.long_date(self.report.generated_at.date()),
            phase=w.phase(self.report.meeting.phase.value),
        )

    def render(self) -> bytes:
        meeting = self.report.meeting
        self.page_setup()
        self.properties()
        self.blocks.heading(_safe(meeting.title), level=0)
        add_run(self.blocks.paragraph(), self.draft_note()).italic = True
        if meeting.organisation:
            self.blocks.paragraph(_safe(meeting.organisation))
        # The table of contents goes here, once the headings are known.
        marker = self.blocks.paragraph()
        self.summary()
        self.about()
        self.participation()
        self.themes()
        self.annex()
        self._contents_at(marker)
        self.footnotes.attach()
        buffer = io.BytesIO()
        self.document.save(buffer)
        return buffer.getvalue()

    def _contents_at(self, marker: Paragraph) -> None:
        """Writes the table of contents after the body, then moves it up to ``marker``."""
        # Levels 1 and 2: the sections, themes and rooms (the questions would fill pages).
        entries = [entry for entry in self.headings if entry[0] <= 2]
        written = add_table_of_contents(self.blocks, entries, self.w("contents"))
        if not self.contents_paged:  # Word fills in the page numbers when the field is updated
            hint = self.blocks.paragraph()
            add_run(hint, self.w("contents_hint")).italic = True
            written.append(hint)
        for paragraph in written:
            marker._p.addprevious(paragraph._p)
        marker._p.getparent().remove(marker._p)


def render_docx(report: ReportDocument, *, contents_paged: bool = False) -> bytes:
    """The report as DOCX. ``contents_paged``: the converter brings the table of contents up to date
    (the PDF), so the hint that updating it adds page numbers is left out."""
    return _Writer(report, contents_paged=contents_paged).render()
