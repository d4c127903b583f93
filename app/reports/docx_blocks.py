"""Paragraphs and runs appended to a python-docx document in constant time each, as python-docx
itself writes them.

python-docx spends time on each paragraph that grows with the document or its styles:

- ``add_paragraph`` finds the body's closing ``w:sectPr`` by looking at every child of the body
  (so a document of n paragraphs costs n² / 2 looks);
- ``paragraph.style = "List Bullet"`` resolves the name with an XPath over the styles part and then
  compares the style with the default paragraph style, which it finds by reading every style's
  type and default flag (about 160 styles, each attribute parsed into an enumeration);
- ``add_run(text)`` clears the new run with an XPath and feeds the text through a state machine
  one character at a time (tabs and line breaks become ``w:tab`` and ``w:br``).

A report of 2,000 answers has thousands of paragraphs, and these three took most of the CPU of
its DOCX (the style resolution alone about three quarters). ``Blocks`` resolves each style's id
once, puts each paragraph right before the section properties, and writes a run's text as one
``w:t`` when it holds no tab or line break (else as python-docx does). The XML is the same.
"""

from __future__ import annotations

import re
from typing import cast

from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from docx.oxml.parser import OxmlElement
from docx.oxml.text.paragraph import CT_P
from docx.oxml.text.run import CT_R
from docx.text.paragraph import Paragraph
from docx.text.run import Run

# What python-docx writes as elements of their own inside a run (w:tab, w:br).
_RUN_BREAKS = re.compile("[\t\r\n]")


class Blocks:
    def __init__(self, document: DocxDocument) -> None:
        self.document = document
        self._body = document._body  # the paragraphs' parent, as python-docx gives it them
        self._body_element = document.element.body
        # The body's closing section properties: what python-docx finds again for every paragraph.
        self._end = self._body_element.sectPr
        self._style_ids: dict[str, str | None] = {}

    def style_id(self, name: str) -> str | None:
        """The id of the paragraph style ``name`` (None for the default style), resolved once."""
        if name not in self._style_ids:
            part = self.document.part
            self._style_ids[name] = part.get_style_id(name, WD_STYLE_TYPE.PARAGRAPH)  # type: ignore[no-untyped-call]
        return self._style_ids[name]

    def paragraph(self, text: str = "", style: str | None = None) -> Paragraph:
        """A new paragraph at the end of the body (``Document.add_paragraph``)."""
        p = cast(CT_P, OxmlElement("w:p"))
        if self._end is not None:
            self._end.addprevious(p)
        else:
            self._body_element.append(p)
        if style is not None:
            # python-docx's ``p.style = id`` (an empty ``w:pPr`` for the default style), without its
            # look-up of where ``w:pPr`` goes among a paragraph's possible children: first, in a new one.
            properties = OxmlElement("w:pPr")
            style_id = self.style_id(style)
            if style_id is not None:
                properties.append(OxmlElement("w:pStyle", {qn("w:val"): style_id}))
            p.append(properties)
        paragraph = Paragraph(p, self._body)
        if text:
            add_run(paragraph, text)
        return paragraph

    def heading(self, text: str, level: int) -> Paragraph:
        """``Document.add_heading``: level 0 is the title."""
        return self.paragraph(text, "Title" if level == 0 else f"Heading {level}")


def add_run(paragraph: Paragraph, text: str) -> Run:
    """``paragraph.add_run(text)``, its text in one ``w:t`` when it has no tab or line break."""
    if not text or _RUN_BREAKS.search(text):
        return paragraph.add_run(text)
    r: CT_R = paragraph._p.add_r()
    r.add_t(text)
    return Run(r, paragraph)
