"""The position-paper draft read back from Markdown and DOCX: every finding's footnote names its room
and its answers; anonymity holds; the figures by gender equal the participant records; a report
can be exported in every phase; the DOCX opens in LibreOffice."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import select

from app.answers.models import Answer, AnswerSource
from app.participants.models import Participant
from app.reports.markdown import md_escape
from app.vocabulary import Phase
from tests.reports.consultation import ANSWERS, FINDINGS, Consultation
from tests.reports.reading import CONFIRMED, DocxReport, MarkdownReport, cited_answers
from tools import system_packages

# Never in any export: the fully anonymous author, and what never left the rooms.
NEVER = ("Zara Zaman", "Silent Lynx", "A draft only the moderators may read")
# Farid's answer was hidden by the moderator: in the answer exports (flagged), never in the report.
HIDDEN = "Buy cheap watches"


async def _markdown(c: Consultation) -> MarkdownReport:
    response = await c.organiser.get(c.url("/report.md"))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/markdown")
    assert "attachment" in response.headers["content-disposition"]
    return MarkdownReport.parse(response.text)


async def _docx(c: Consultation) -> tuple[bytes, DocxReport]:
    response = await c.organiser.get(c.url("/report.docx"))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    return response.content, DocxReport.parse(response.content)


def _room(finding: str) -> str:
    return f"Room {FINDINGS[finding][0]}"


async def test_every_finding_traces_to_its_room_and_answers(consultation: Consultation) -> None:
    c = consultation
    markdown = await _markdown(c)
    _, docx = await _docx(c)

    for finding in CONFIRMED:
        room, text = _room(finding), FINDINGS[finding][2]
        for note in (markdown.finding_note(room, text), docx.finding_note(room, text)):
            assert note.startswith(room), note
            for answer_text in cited_answers(finding):
                # Cited by the number the annex gives the answer under the finding's room.
                number = markdown.annex_number(room, answer_text)
                assert f"answer {number}: “{md_escape(answer_text)}”" in note or (
                    f"answer {number}: “{answer_text}”" in note
                ), note
    # The shared question's groups: "raised in n of 3 rooms", the note naming every room.
    ratify_note = markdown.note_of_line("raised in 3 of 3 rooms")
    for room in ("Room 1", "Room 2", "Room 3"):
        assert room in ratify_note
    for key, room in (("s1_hasan", "Room 3"), ("s1_dipu", "Room 2")):
        answer_text = ANSWERS[key][3]
        assert f"{room}, S1, answer {markdown.annex_number(room, answer_text)}: “{answer_text}”" in ratify_note
    assert "The rooms side by side:" in markdown.text
    # Bashir's and Ishrat's answers to S1 are alike no other: counted under the groups, in the annex.
    for text in (markdown.text, docx.text):
        assert "2 answers in no group (each is in the annex, under its room)." in text
        assert "Fund awareness campaigns in source villages" in text.split("Annex: every room")[-1]
    assert "raised in 3 of 3 rooms" in "\n".join(docx.marked)
    assert docx.paragraphs[0] == "Think tank policy session on migrant smuggling"
    assert any(p.startswith("Languages: English, Bengali") for p in docx.paragraphs)
    assert "Welcome and purpose (5 min)" in docx.paragraphs
    assert "Rooms diverge" in markdown.text and "Rooms diverge" in docx.text


async def test_anonymity_holds_in_every_export(consultation: Consultation) -> None:
    c = consultation
    markdown = await _markdown(c)
    _, docx = await _docx(c)
    answers_csv = (await c.organiser.get(c.url("/answers.csv"))).content.decode("utf-8-sig")
    answers_json = (await c.organiser.get(c.url("/answers.json"))).text
    report_json = (await c.organiser.get(c.url("/report"))).text
    exports = {"md": markdown.text, "docx": docx.text, "csv": answers_csv, "json": answers_json, "report": report_json}
    for name, text in exports.items():
        for secret in (*NEVER, str(c.people["zara"])):
            assert secret not in text, (name, secret)
    for name, text in exports.items():
        assert (HIDDEN in text) is (name in ("csv", "json")), name
    # Dipu answered only questions anonymous to peers: his pseudonym, never his name.
    for name in ("md", "docx", "csv", "json", "report"):
        assert "Dipu Das" not in exports[name], name
        assert "Bright Plover" in exports[name], name
    lines = markdown.text.splitlines()
    dipu_line = next(line for line in lines if line.startswith(f"- “{ANSWERS['s1_dipu'][3]}”"))
    assert "— Bright Plover ·" in dipu_line
    zara_line = next(line for line in lines if line.startswith(f"- “{ANSWERS['r31_zara'][3]}”"))
    assert "— anonymous ·" in zara_line
    assert "Amina Rahman" in markdown.text  # her named answer carries her name


async def test_notes_cite_answers_by_their_number_in_their_rooms_annex(consultation: Consultation) -> None:
    c = consultation
    markdown = await _markdown(c)
    annex = markdown.annex()
    assert set(annex) == {"Room 1", "Room 2", "Room 3"}
    for room, answers in annex.items():
        assert [number for number, _ in answers] == [str(n) for n in range(1, len(answers) + 1)], room
    # Every answer a note quotes is found under its room in the annex, at the number the note gives.
    quoted = re.findall(r"(Room \d)(?:, [A-Z0-9.]+)?[,:] answer (\d+): “(.*?)”", "\n".join(markdown.notes.values()))
    assert len({room for room, _, _ in quoted}) == 3
    for room, number, text in quoted:
        assert (number, text) in annex[room], (room, number, text)
    # A finding in the annex lists the numbers of the answers it cites.
    ratify = next(
        line for line in markdown.text.splitlines() if line.startswith("- Ratify the protocol within a year (")
    )
    listed = re.fullmatch(r".*\(confirmed; answers ([\d, ]+)\)", ratify)
    assert listed, ratify
    cited = {markdown.annex_number("Room 1", text) for text in cited_answers("f_ratify")}
    assert sorted(listed.group(1).split(", ")) == sorted(cited), ratify
    # The short ids of the answer exports are not how the report cites answers.
    assert c.answers["s1_hasan"].hex[:8] not in markdown.text


async def test_figures_by_gender_equal_the_participant_records(consultation: Consultation) -> None:
    c = consultation
    async with c.state.database.reading() as session:
        roster = list(await session.scalars(select(Participant).where(Participant.meeting_id == c.meeting_id)))
        answers = list(await session.scalars(select(Answer).where(Answer.meeting_id == c.meeting_id)))
        merged = set(await session.scalars(select(AnswerSource.answer_id)))
    gender = {person.id: person.gender or "undisclosed" for person in roster}
    people = Counter(gender.values())
    given = Counter(gender[a.author_id] for a in answers if a.author_id in gender and a.id not in merged)

    report = (await c.organiser.get(c.url("/report"))).json()["participation"]
    assert report["participants"] == {
        "total": len(roster),
        **{g: people[g] for g in ("female", "male", "another", "undisclosed")},
    }
    assert report["answers"] == {
        "total": sum(given.values()),
        **{g: given[g] for g in ("female", "male", "another", "undisclosed")},
    }
    sentence = (
        f"{len(roster)} participants ({people['female']} female, {people['male']} male, "
        f"{people['another']} another, {people['undisclosed']} undisclosed)"
    )
    assert sentence == "14 participants (6 female, 6 male, 1 another, 1 undisclosed)"
    answers_sentence = (
        f"{sum(given.values())} answers ({given['female']} from female participants, {given['male']} from male "
        f"participants, {given['another']} from participants of another gender, {given['undisclosed']} from "
        "participants who did not disclose their gender)"
    )
    assert given["another"] and given["undisclosed"]
    markdown = await _markdown(c)
    _, docx = await _docx(c)
    for text in (markdown.text, docx.text):
        assert f"{sentence}." in text
        assert f"{answers_sentence}." in text
    by_type = {row["label"]: row["counts"]["total"] for row in report["by_organisation_type"]}
    assert by_type == {
        "Ministry": 3,
        "Police": 2,
        "Prosecution": 1,
        "Judiciary": 1,
        "Civil society": 3,
        "International organisation": 1,
        "Academia": 1,
        "Other": 1,
        "Not stated": 1,
    }
    assert {row["label"]: row["counts"]["total"] for row in report["by_role"]} == {
        "Moderators": 3,
        "Participants": 10,
        "Observers": 1,
    }
    assert ["Organisation type", "Total", "Female", "Male", "Another", "Undisclosed"] in [t[0] for t in docx.tables]


async def test_a_report_can_be_exported_in_every_phase(consultation: Consultation) -> None:
    c = consultation
    names = {Phase.REPORT_BACK: "report-back"}
    for phase in Phase:
        await c.advance_to(phase)
        markdown = await _markdown(c)
        assert f"during the {names.get(phase, phase.value)} phase" in markdown.text
        assert markdown.note_of_line("raised in 3 of 3 rooms")
        _, docx = await _docx(c)
        assert docx.notes
        for path in ("/answers.csv", "/answers.json", "/report"):
            assert (await c.organiser.get(c.url(path))).status_code == 200, (phase, path)
    # Held on the day the plenary first opened.
    assert "not yet held" not in markdown.text


async def test_exports_are_for_organisers_only(consultation: Consultation) -> None:
    c = consultation
    paths = ("/report.md", "/report.docx", "/report", "/answers.csv", "/answers.json", "/report-link")
    for path in paths:
        for reader in (c.participant, c.moderator, c.observer):
            assert (await reader.get(c.url(path))).status_code == 403, path
        assert (await c.stranger.get(c.url(path))).status_code == 404, path
        assert (await c.anonymous.get(c.url(path))).status_code == 401, path
    assert (await c.organiser.get("/api/meetings/00000000-0000-4000-8000-000000000000/report.md")).status_code == 404


async def test_the_docx_converts_to_pdf_with_libreoffice(consultation: Consultation, tmp_path: Path) -> None:
    # Calc or Impress alone also give an `soffice`, which then cannot load a DOCX.
    soffice = shutil.which("soffice")
    if soffice is None or not system_packages.writer_present():
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail("LibreOffice Writer is missing: `make backend-test` installs it (make system-writer)")
        pytest.skip("LibreOffice Writer is not installed (make system-writer); CI runs this test")
    content, _ = await _docx(consultation)
    source = tmp_path / "report.docx"
    source.write_bytes(content)
    # A profile of its own: a LibreOffice already running for the user cannot take the job over.
    profile = f"-env:UserInstallation=file://{tmp_path / 'profile'}"
    result = subprocess.run(
        [soffice, profile, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    pdf = tmp_path / "report.pdf"
    assert result.returncode == 0 and pdf.exists(), result.stdout + result.stderr
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 5000


async def test_a_reader_may_ask_for_the_report_in_another_language(consultation: Consultation) -> None:
    c = consultation
    # The meeting is held in English and Bengali: English is the report's language unless asked.
    english = (await c.organiser.get(c.url("/report"))).json()
    assert english["language"] == "en"
    bengali = await c.organiser.get(c.url("/report.md"), params={"language": "bn"})
    assert bengali.status_code == 200, bengali.text
    assert "একাধিক কক্ষে উঠে আসা বিষয়:" in bengali.text and "Raised across rooms:" not in bengali.text
    assert "৩টি কক্ষের মধ্যে ৩টিতে উঠে এসেছে" in bengali.text
    # What people typed is never translated.
    assert "Ratify the protocol within a year" in bengali.text
    docx = DocxReport.parse((await c.organiser.get(c.url("/report.docx"), params={"language": "bn"})).content)
    assert "একাধিক কক্ষে উঠে আসা বিষয়:" in docx.paragraphs
    assert (await c.organiser.get(c.url("/report"), params={"language": "bn"})).json()["language"] == "bn"
    assert "Raised across rooms:" in (await c.organiser.get(c.url("/report.md"), params={"language": "en"})).text
    for path in ("/report", "/report.md", "/report.docx", "/report.pdf"):
        for language in ("de", "EN", "", "bn,en"):
            response = await c.organiser.get(c.url(path), params={"language": language})
            assert response.status_code == 422, (path, language, response.text)
            body = response.json()
            assert body["code"] == "invalid" and "language" in body["message"], body
