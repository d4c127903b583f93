"""The position paper as files, read back: the DOCX's page size, table of contents, footnotes,
page numbers, properties and order (summary first); the PDF made from it by LibreOffice (A4, the
contents, the footnotes at the foot of the page, the summary first); a Bengali meeting's report in
Bengali; and the provenance check failing on a tampered quote."""

from __future__ import annotations

import io
import itertools
import os
import re
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import update

from app.meetings.models import Meeting
from app.plenary.disclosure import ORGANISER_REPORT
from app.plenary.material import load_material
from app.questions.models import Allocation, Question
from app.reports import repository
from app.reports.assemble import ReportAssembler, assemble_report
from app.reports.markdown import agenda_line
from app.reports.provenance import ProvenanceError, check_provenance
from app.reports.wording import Wording
from app.vocabulary import Anonymity, QuestionKind, QuestionState, Visibility
from tests.reports.consultation import ANSWERS, Consultation
from tests.reports.pages import first_page_png
from tests.reports.reading import DocxReport, MarkdownReport, W
from tools import system_packages

A4_POINTS = (595, 842)  # 210 by 297 mm in PDF points, rounded


async def _docx(c: Consultation) -> DocxReport:
    response = await c.organiser.get(c.url("/report.docx"))
    assert response.status_code == 200, response.text
    return DocxReport.parse(response.content)


def _headings(report: DocxReport) -> list[tuple[int, str]]:
    found = []
    for paragraph in report.document.paragraphs:
        name = paragraph.style.name if paragraph.style is not None else ""
        if name == "Title":
            found.append((0, paragraph.text))
        elif name.startswith("Heading "):
            found.append((int(name.split()[1]), paragraph.text))
    return found


async def test_the_docx_is_a_position_paper(consultation: Consultation) -> None:
    c = consultation
    docx = await _docx(c)
    section = docx.document.sections[0]
    assert section.page_width is not None and section.page_height is not None
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)  # A4, in whole twips
    # Page numbers: a PAGE field in the footer.
    footer = section.footer.paragraphs[0]._p
    assert any("PAGE" in (field.get(f"{W}instr") or "") for field in footer.iter(f"{W}fldSimple"))
    # Properties: title, organisation (the organiser's account name: no organiser is on the roster), language.
    properties = docx.document.core_properties
    assert properties.title == "Think tank policy session on migrant smuggling"
    assert properties.author and properties.language == "en"
    assert properties.created is not None

    headings = _headings(docx)
    levels = [level for level, _ in headings]
    assert levels[0] == 0 and all(b - a <= 1 for a, b in itertools.pairwise(levels)), headings
    ones = [text for level, text in headings if level == 1]
    assert ones[:2] == ["Executive summary", "Key recommendations"]
    assert ones.index("Findings by theme") < ones.index("Annex: every room's findings and answers")

    # The table of contents: a TOC field whose result is the written list of the headings, linked.
    body = docx.document.element.body
    assert any("TOC" in (t.text or "") for t in body.iter(f"{W}instrText"))
    contents = docx.paragraphs.index("Contents")
    sections = [text for level, text in headings if level in (1, 2)]
    listed = docx.paragraphs[contents + 1 : contents + 1 + len(sections)]
    assert listed == sections
    # The body after the contents (and its hint): the summary and recommendations first.
    body_text = docx.paragraphs[contents + len(sections) + 2 :]
    assert body_text[0] == "Executive summary"
    anchors = {link.get(f"{W}anchor") for link in body.iter(f"{W}hyperlink")}
    bookmarks = {mark.get(f"{W}name") for mark in body.iter(f"{W}bookmarkStart")}
    assert anchors and anchors <= bookmarks

    # Real footnotes: every reference has its note, and the summary's points carry theirs.
    references = [int(r.get(f"{W}id")) for r in body.iter(f"{W}footnoteReference")]
    assert references == list(range(1, len(references) + 1)) and set(references) == set(docx.notes)
    summary = body_text[: body_text.index("Key recommendations")]
    raised = next(p for p in summary if "raised in 3 of 3 rooms" in p)
    assert raised.startswith("“") and "” (Room " in raised  # an answer quoted, with its room
    markdown = MarkdownReport.parse((await c.organiser.get(c.url("/report.md"))).text)
    hasan = ANSWERS["s1_hasan"][3]
    assert f"answer {markdown.annex_number('Room 3', hasan)}: “{hasan}”" in docx.notes[docx.marked[raised]]
    # Extractive: the summary's points are quoted findings or answers, or the organiser's labels.
    recommendations = body_text[body_text.index("Key recommendations") + 1 :]
    assert recommendations[0] == "“Ratify the protocol within a year” (Room 1) — raised in 3 of 3 rooms"
    assert body_text.index("Key recommendations") < body_text.index("Findings by theme")
    assert not any("(0 min)" in p for p in docx.paragraphs)


def test_the_agenda_never_prints_zero_minutes() -> None:
    english, bengali = Wording("en"), Wording("bn")
    assert agenda_line("Break", "", 0, english) == "Break"
    assert agenda_line("Welcome", "Chair", 0, english) == "Welcome (Chair)"
    assert agenda_line("Welcome", "", 5, english) == "Welcome (5 min)"
    assert agenda_line("স্বাগত", "", 15, bengali) == "স্বাগত (১৫ মিনিট)"


async def test_questions_nobody_answered_are_left_out(consultation: Consultation) -> None:
    c = consultation
    unanswered = "Which question did nobody get to?"
    async with c.state.database.write_sessions() as session:
        question = Question(
            meeting_id=c.meeting_id,
            code="X9",
            theme="Never reached",
            text=unanswered,
            kind=QuestionKind.OPEN,
            options=[],
            scale_labels={},
            anonymity=Anonymity.NAMED,
            visibility=Visibility.LIVE,
        )
        session.add(question)
        await session.flush()
        session.add(Allocation(room_id=c.rooms[1], question_id=question.id, state=QuestionState.PENDING))
        await session.commit()
    markdown = MarkdownReport.parse((await c.organiser.get(c.url("/report.md"))).text)
    docx = await _docx(c)
    assert unanswered not in markdown.text and unanswered not in docx.text
    assert "Never reached" not in markdown.text and "Never reached" not in docx.text


def require_writer() -> None:
    if not system_packages.writer_present():
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail("LibreOffice Writer is missing: `make backend-test` installs it (make system-writer)")
        pytest.skip("LibreOffice Writer is not installed (make system-writer); CI runs this test")


async def test_the_pdf_is_a4_with_contents_footnotes_and_summary_first(consultation: Consultation) -> None:
    require_writer()
    c = consultation
    response = await c.organiser.get(c.url("/report.pdf"))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].endswith('-report.pdf"')
    pdf = PdfReader(io.BytesIO(response.content))
    for page in pdf.pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == A4_POINTS
    assert pdf.metadata is not None and pdf.metadata.title == "Think tank policy session on migrant smuggling"
    pages = [page.extract_text() for page in pdf.pages]
    text = "\n".join(pages)
    first = pages[0]
    assert "Contents" in first and first.index("Contents") < first.index("Executive summary")
    # After the contents (which list every heading once), the body: the summary first.
    body = text[text.index("Executive summary", text.index("Executive summary") + 1) :]
    assert body.index("Key recommendations") < body.index("Findings by theme") < body.index("Annex")
    # Footnotes at the foot of their page: a note's quoted answer sits on the page that cites it.
    markdown = MarkdownReport.parse((await c.organiser.get(c.url("/report.md"))).text)
    hasan = ANSWERS["s1_hasan"][3]
    cited = f"answer {markdown.annex_number('Room 3', hasan)}: “{hasan}”"
    flat = [" ".join(page.split()) for page in pages]
    noted = [page for page in flat if "raised in 3 of 3 rooms" in page and cited in page]
    assert noted, "the footnote of a point is not on its page"
    assert "Sources" not in [line.strip() for line in text.splitlines()]
    # Page numbers in the footer.
    assert all(re.search(rf"(^|\n)\s*{n}\s*($|\n)", page) for n, page in enumerate(pages, start=1))
    # The contents list the page of each section (Writer brought them up to date before the
    # export), and so carry no hint that updating them adds page numbers.
    listed = dict(
        re.findall(r"^(Key recommendations|Findings by theme|Annex: [^.\n]+?)\.{3,}\s*(\d+)\s*$", first, re.M)
    )
    assert set(listed) == {"Key recommendations", "Findings by theme", "Annex: every room's findings and answers"}
    for heading, number in listed.items():
        starts = [
            n for n, page in enumerate(pages[1:], start=2) if re.search(rf"^{re.escape(heading)}\s*$", page, re.M)
        ]
        assert starts[:1] == [int(number)], (heading, number, starts)
    assert "F9" not in text
    first_page_png(response.content, "position-paper-first-page")


async def test_a_bengali_meetings_report_is_in_bengali(consultation: Consultation) -> None:
    c = consultation
    async with c.state.database.write_sessions() as session:
        await session.execute(update(Meeting).where(Meeting.id == c.meeting_id).values(languages=["bn", "de", "en"]))
        await session.commit()
    markdown = (await c.organiser.get(c.url("/report.md"))).text
    docx = await _docx(c)
    report = (await c.organiser.get(c.url("/report"))).json()
    assert report["language"] == "bn"
    for text in (markdown, docx.text):
        assert "সারসংক্ষেপ" in text and "মূল সুপারিশ" in text and "বিষয়ভিত্তিক সিদ্ধান্ত" in text
        assert "৩টি কক্ষের মধ্যে ৩টিতে উঠে এসেছে" in text
        assert "কক্ষগুলো ৩টি বিষয়ে ৫টি সিদ্ধান্ত নিশ্চিত করেছে।" in text
        assert "১৪ জন অংশগ্রহণকারী (নারী ৬, পুরুষ ৬, অন্য লিঙ্গ ১, উল্লেখ নেই ১)" in text
        assert "ভাষা: বাংলা, জার্মান, ইংরেজি" in text
        for english in ("raised in", "Executive summary", "participants (", "Findings by theme", "Languages:"):
            assert english not in text, english
    assert docx.document.core_properties.language == "bn"
    assert [text for level, text in _headings(docx) if level == 1][:2] == ["সারসংক্ষেপ", "মূল সুপারিশ"]
    # What people typed is never translated; the annex numbers answers in Bengali digits.
    numbers = {a["id"]: a["ref"] for room in report["annex"] for q in room["questions"] for a in q["answers"]}
    hasan = numbers[str(c.answers["s1_hasan"])]
    assert hasan.strip("০১২৩৪৫৬৭৮৯") == ""
    assert f"উত্তর {hasan}: “{ANSWERS['s1_hasan'][3]}”" in docx.text
    # Its PDF, first page as a picture for people to look at (Bengali needs the Noto fonts).
    if system_packages.writer_present() and system_packages.bengali_font_present():
        pdf = await c.organiser.get(c.url("/report.pdf"))
        assert pdf.status_code == 200, pdf.text
        page = PdfReader(io.BytesIO(pdf.content)).pages[0]
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == A4_POINTS
        first_page_png(pdf.content, "position-paper-bengali-first-page")


async def test_the_provenance_check_fails_on_a_tampered_quote(consultation: Consultation) -> None:
    c = consultation
    async with c.state.database.reading() as session:
        meeting = await session.get(Meeting, c.meeting_id)
        assert meeting is not None
        material = await load_material(session, meeting)
        agenda = await repository.agenda_of(session, meeting.id)
    report = assemble_report(material, ORGANISER_REPORT, agenda, None, meeting.created_at)  # checks itself
    wording = Wording("en")
    checker = ReportAssembler(material, ORGANISER_REPORT, wording).plenary
    check_provenance(report, checker, wording)

    quoted = next(note for note in report.notes if note.quotes)
    tampered = report.model_copy(deep=True)
    note = next(n for n in tampered.notes if n.number == quoted.number)
    original = note.quotes[0].text
    note.quotes[0].text = original.replace(" ", "  ", 1) + " indeed"
    note.text = note.text.replace(f"“{original}”", f"“{note.quotes[0].text}”")
    with pytest.raises(ProvenanceError, match="is quoted as"):
        check_provenance(tampered, checker, wording)

    # A note citing its answer by a number the annex gives another answer of the room.
    misnumbered = report.model_copy(deep=True)
    note = next(n for n in misnumbered.notes if n.quotes)
    ref = next(
        a.ref for r in misnumbered.annex for q in r.questions for a in q.answers if a.id == note.quotes[0].answer_id
    )
    other = str(int(ref) % 2 + 1)  # 1 <-> 2: every room has at least two answers
    note.text = note.text.replace(f"answer {ref}: “", f"answer {other}: “", 1)
    with pytest.raises(ProvenanceError, match="by its number in the annex"):
        check_provenance(misnumbered, checker, wording)

    # An annex whose numbers skip one.
    skipping = report.model_copy(deep=True)
    skipping.annex[0].questions[-1].answers[-1].ref = "99"
    with pytest.raises(ProvenanceError, match="numbers its answer"):
        check_provenance(skipping, checker, wording)

    # A "raised in n of m rooms" that its members' rooms do not bear out.
    miscounted = report.model_copy(deep=True)
    group = next(g for t in miscounted.themes for q in t.questions for g in q.groups if g.room_count == 3)
    group.raised_in = "raised in 4 of 3 rooms"
    with pytest.raises(ProvenanceError, match="says"):
        check_provenance(miscounted, checker, wording)

    # A recommendation claiming more rooms than its point was raised in.
    overstated = report.model_copy(deep=True)
    shared = next(p for p in overstated.summary.recommendations if p.raised_in)
    shared.raised_in = "raised in 3 of 4 rooms"
    with pytest.raises(ProvenanceError, match="no group of it bears out"):
        check_provenance(overstated, checker, wording)

    # A summary sentence that is no stored finding.
    invented = report.model_copy(deep=True)
    finding = next(p for p in invented.summary.recommendations if p.kind == "finding")
    finding.text = "Abolish borders"
    with pytest.raises(ProvenanceError, match="is no finding"):
        check_provenance(invented, checker, wording)


async def test_without_libreoffice_the_pdf_export_says_so(
    consultation: Consultation, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A server whose PATH holds no LibreOffice: what a fresh machine without `make system-writer` is.
    monkeypatch.setenv("PATH", str(tmp_path))
    response = await consultation.organiser.get(consultation.url("/report.pdf"))
    assert response.status_code == 501
    body = response.json()
    assert body["code"] == "pdf_unavailable" and "make system-writer" in body["message"]
    # The other formats do not need it.
    assert (await consultation.organiser.get(consultation.url("/report.docx"))).status_code == 200
