"""What python-docx has no API for, written as WordprocessingML: real footnotes (a footnotes part
of the document), fields (the table of contents, page numbers), bookmarks and internal links.

Footnotes: python-docx neither writes nor reads them, but its package model takes any part, so the
notes are collected while the body is written and, at the end, serialised into
``word/footnotes.xml`` (with the two separator notes Word expects), related to the document part
with its content type; the settings name the separators. Word, LibreOffice and the PDF show them at
the foot of the page where they are referenced, numbered in the document's order.
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt
from docx.text.paragraph import Paragraph

from app.reports.docx_blocks import Blocks

FOOTNOTES_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
FOOTNOTE_TEXT_STYLE = "Footnote Text"
FOOTNOTE_REFERENCE_STYLE = "Footnote Reference"
_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _text_run(text: str, properties: str = "") -> str:
    return f'<w:r>{properties}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


class Footnotes:
    """The document's footnotes, numbered 1, 2, … in the order they are referenced."""

    def __init__(self, document: DocxDocument) -> None:
        self.document = document
        self.bodies: list[str] = []
        styles = document.styles
        text_style = styles.add_style(FOOTNOTE_TEXT_STYLE, WD_STYLE_TYPE.PARAGRAPH)
        text_style.base_style = styles["Normal"]
        text_style.font.size = Pt(9)
        text_style.paragraph_format.space_after = Pt(2)
        reference_style = styles.add_style(FOOTNOTE_REFERENCE_STYLE, WD_STYLE_TYPE.CHARACTER)
        reference_style.font.superscript = True

    def add(self, paragraph: Paragraph, text: str) -> int:
        """A footnote with ``text``, referenced at the end of ``paragraph``; its id."""
        number = len(self.bodies) + 1
        self.bodies.append(text)
        run = parse_xml(
            f'<w:r {nsdecls("w")}><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr>'
            f'<w:footnoteReference w:id="{number}"/></w:r>'
        )
        paragraph._p.append(run)
        return number

    def _xml(self) -> bytes:
        separators = (
            '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240" '
            'w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>'
            '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" '
            'w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
        )
        notes = "".join(
            f'<w:footnote w:id="{number}"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr>'
            '<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteRef/></w:r>'
            f"{_text_run(' ' + text)}</w:p></w:footnote>"
            for number, text in enumerate(self.bodies, start=1)
        )
        return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:footnotes {_W}>{separators}{notes}</w:footnotes>'.encode()

    def attach(self) -> None:
        """Adds the footnotes part to the package; call once, after the body is written."""
        document_part = self.document.part
        part = Part(PackURI("/word/footnotes.xml"), FOOTNOTES_CONTENT_TYPE, self._xml(), document_part.package)
        document_part.relate_to(part, RT.FOOTNOTES)
        settings = self.document.settings.element
        footnote_pr = parse_xml(
            f'<w:footnotePr {nsdecls("w")}><w:footnote w:id="-1"/><w:footnote w:id="0"/></w:footnotePr>'
        )
        # Schema order: updateFields and footnotePr come right before compat.
        update = parse_xml(f'<w:updateFields {nsdecls("w")} w:val="true"/>')
        compat = settings.find(qn("w:compat"))
        if compat is not None:
            compat.addprevious(update)
            compat.addprevious(footnote_pr)
        else:
            settings.append(update)
            settings.append(footnote_pr)


def add_bookmark(paragraph: Paragraph, name: str, bookmark_id: int) -> None:
    """Marks the whole paragraph as the bookmark ``name`` (the target of internal links)."""
    start = parse_xml(f'<w:bookmarkStart {nsdecls("w")} w:id="{bookmark_id}" w:name={quoteattr(name)}/>')
    end = parse_xml(f'<w:bookmarkEnd {nsdecls("w")} w:id="{bookmark_id}"/>')
    properties = paragraph._p.pPr
    if properties is not None:
        properties.addnext(start)
    else:
        paragraph._p.insert(0, start)
    paragraph._p.append(end)


def add_internal_link(paragraph: Paragraph, text: str, anchor: str) -> None:
    paragraph._p.append(
        parse_xml(
            f'<w:hyperlink {nsdecls("w")} w:anchor={quoteattr(anchor)} w:history="1">{_text_run(text)}</w:hyperlink>'
        )
    )


def add_table_of_contents(blocks: Blocks, entries: list[tuple[int, str, str]], heading: str) -> list[Paragraph]:
    """A TOC field over heading levels 1 and 2 whose result, until the field is updated, is the written
    list of ``entries`` (level, text, bookmark), each linked to its heading: it reads, and its links
    work, before any update; Word asks to update it on opening (``updateFields``) and adds page numbers.
    Returns the paragraphs written (the heading first), at the end of the body."""
    title = blocks.paragraph(heading, style="TOC Heading")
    levels = _contents_styles(blocks.document)
    paragraphs = [blocks.paragraph(style=levels[level - 1]) for level, _, _ in entries] or [blocks.paragraph()]
    first, last = paragraphs[0]._p, paragraphs[-1]._p
    instruction = '<w:r><w:instrText xml:space="preserve"> TOC \\o "1-2" \\h \\z \\u </w:instrText></w:r>'
    for element in (
        parse_xml(f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="begin"/></w:r>'),
        parse_xml(instruction.replace("<w:r>", f"<w:r {nsdecls('w')}>", 1)),
        parse_xml(f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="separate"/></w:r>'),
    ):
        first.append(element)
    for paragraph, (_, text, anchor) in zip(paragraphs, entries, strict=False):
        add_internal_link(paragraph, text, anchor)
    last.append(parse_xml(f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="end"/></w:r>'))
    return [title, *paragraphs]


def _contents_styles(document: DocxDocument) -> list[str]:
    """Word's built-in styles of the contents' levels 1 and 2 ("toc 1", "toc 2"), tight and indented
    by level: the written entries use them, and so does the list Word or Writer rebuilds on update."""
    names = []
    for level in (1, 2):
        name = f"toc {level}"
        style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = document.styles["Normal"]
        style.paragraph_format.left_indent = Pt(14 * (level - 1))
        style.paragraph_format.space_after = Pt(2)
        names.append(name)
    return names


def add_page_number_field(paragraph: Paragraph) -> None:
    paragraph._p.append(
        parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>')
    )
