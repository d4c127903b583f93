"""Reading the exports back: Markdown footnotes, the DOCX's paragraphs and notes, the CSV rows."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from docx import Document
from docx.document import Document as DocxDocument
from lxml import etree

from app.reports.markdown import md_escape
from tests.reports.consultation import ANSWERS, FINDINGS, MERGED

FOOTNOTE = re.compile(r"^\[\^(\d+)\]: (.*)$", re.MULTILINE)
ANNEX_ROOM = re.compile(r"^### (.+?) — ")
ANNEX_ANSWER = re.compile(r"^- “(.*)” — .+ · answer (\d+)$")
CONFIRMED = [key for key, (_, _, _, status, _, _) in FINDINGS.items() if status == "confirmed"]


def cited_answers(finding: str) -> list[str]:
    """The text of each answer a finding cites, as the report shows them (an answer merged into
    another is shown as the merged one)."""
    _, merged_text, sources = MERGED
    return [merged_text if key in sources else ANSWERS[key][3] for key in FINDINGS[finding][4]]


@dataclass
class MarkdownReport:
    text: str
    notes: dict[int, str]

    @classmethod
    def parse(cls, text: str) -> MarkdownReport:
        return cls(text=text, notes={int(number): body for number, body in FOOTNOTE.findall(text)})

    def note_of_line(self, line_text: str) -> str:
        """The footnote of the (first) body line holding ``line_text``."""
        for line in self.text.splitlines():
            if line_text in line and not line.startswith("[^"):
                found = re.search(r"\[\^(\d+)\]", line[line.index(line_text) :])
                assert found, f"no footnote on {line!r}"
                return self.notes[int(found.group(1))]
        raise AssertionError(f"no line with {line_text!r}")

    def finding_note(self, room: str, text: str) -> str:
        return self.note_of_line(f"**{md_escape(room)}:** {md_escape(text)}")

    def annex(self) -> dict[str, list[tuple[str, str]]]:
        """Each room of the (English) annex: its answers' lines as (number, quoted text), in order."""
        rooms: dict[str, list[tuple[str, str]]] = {}
        annex = self.text[self.text.index("\n## Annex") : self.text.index("\n## Sources")]
        room = ""
        for line in annex.splitlines():
            if heading := ANNEX_ROOM.match(line):
                room = heading.group(1)
                rooms[room] = []
            elif answer := ANNEX_ANSWER.match(line):
                rooms[room].append((answer.group(2), answer.group(1)))
        return rooms

    def annex_number(self, room: str, text: str) -> str:
        """The number the annex gives the answer ``text`` under ``room``."""
        return next(number for number, quoted in self.annex()[room] if quoted == md_escape(text))


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def docx_footnotes(document: DocxDocument) -> dict[int, str]:
    """The real footnotes (``word/footnotes.xml``) by id, separators left out."""
    parts = [part for part in document.part.package.iter_parts() if part.partname == "/word/footnotes.xml"]
    if not parts:
        return {}
    root = etree.fromstring(parts[0].blob)
    return {
        int(note.get(f"{W}id")): "".join(t.text or "" for t in note.iter(f"{W}t")).strip()
        for note in root.iter(f"{W}footnote")
        if note.get(f"{W}type") is None
    }


@dataclass
class DocxReport:
    document: DocxDocument
    paragraphs: list[str]
    tables: list[list[list[str]]]
    notes: dict[int, str]
    marked: dict[str, int]  # paragraph text (without its reference) → footnote id

    @classmethod
    def parse(cls, content: bytes) -> DocxReport:
        document = Document(io.BytesIO(content))
        notes = docx_footnotes(document)
        cells = [
            paragraph
            for table in document.tables
            for row in table.rows
            for c in row.cells
            for paragraph in c.paragraphs
        ]
        marked = {}
        for paragraph in [*document.paragraphs, *cells]:
            references = paragraph._p.findall(f".//{W}footnoteReference")
            if references:
                marked[paragraph.text] = int(references[-1].get(f"{W}id"))
        tables = [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]
        paragraphs = [paragraph.text for paragraph in document.paragraphs]
        return cls(document=document, paragraphs=paragraphs, tables=tables, notes=notes, marked=marked)

    @property
    def text(self) -> str:
        cells = "\n".join("\t".join(row) for table in self.tables for row in table)
        return "\n".join(self.paragraphs) + "\n" + cells + "\n" + "\n".join(self.notes.values())

    def finding_note(self, room: str, text: str) -> str:
        return self.notes[self.marked[f"{room}: {text}"]]

    def note_of(self, text: str) -> str:
        """The footnote of the first paragraph holding ``text``."""
        return self.notes[next(number for paragraph, number in self.marked.items() if text in paragraph)]


def csv_rows(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
