"""The reference meeting's position paper: `breakouts demo` stages the meeting, its six rooms answer
the shared question S1 and their own questions and confirm findings, the organiser pins and names a
headline in the plenary, and the PDF's first page is written to test-artifacts/ as a PNG.

The rooms' answers and findings are inserted through the ORM (their own endpoints belong to other
features and are tested there); the organiser signs in and curates through the API."""

from __future__ import annotations

import io

import httpx
from fastapi import FastAPI
from pypdf import PdfReader
from sqlalchemy import select, update

from app.answers.models import Answer
from app.database import utcnow
from app.demo.service import DEFAULT_ORGANISER_EMAIL, stage_reference_meeting
from app.findings.models import Finding, FindingSource
from app.participants.models import Participant
from app.questions.models import Allocation, Question
from app.rooms.models import Room
from app.state import AppState
from app.vocabulary import FindingStatus, QuestionState, Role
from tests.reports.pages import first_page_png
from tests.reports.test_paper_files import require_writer

UNIT = "Create a specialised prosecution unit for smuggling cases"
WITNESSES = "Protect the migrants who testify against smugglers"
# room: (its own question and answers, S1 answers, the finding the room confirms from its first answer)
ROOMS: dict[str, tuple[str, list[str], list[str], str]] = {
    "Room 1": ("R1.1", ["Smuggling is only an immigration offence in the penal code",
                        "No offence of its own, so prosecutors charge forgery instead"],
               [UNIT, "Ratify the protocol within a year"], "Make migrant smuggling an offence of its own in national law"),
    "Room 2": ("R2.2", ["Witnesses are deported before the trial", "Financial evidence is rarely collected"],
               [UNIT.lower(), WITNESSES], "Keep witnesses in the country until the trial"),
    "Room 3": ("R3.1", ["Legal routes are closed to most people", "Smugglers advertise openly on social media"],
               [f"{UNIT}!", "Open legal routes for seasonal work"], "Open legal routes so that fewer people need smugglers"),
    "Room 4": ("R4.2", ["A single contact point per country", "Shared case files across borders"],
               [UNIT, f"{WITNESSES}."], "Name a single contact point per country for smuggling cases"),
    "Room 5": ("R5.1", ["Ask whether the journey was consented to", "Train border guards on indicators"],
               [f"{UNIT}.", "Fund shelters near the border"], "Train first responders on the indicators of trafficking"),
    "Room 6": ("R6.1", ["Routes moved to the sea", "Prices doubled during the closures"],
               [UNIT.upper(), "Keep online hearings for witnesses abroad"], "Keep online hearings for witnesses abroad"),
}  # fmt: skip


async def _answer_and_confirm(state: AppState, meeting_id: object) -> None:
    async with state.database.write_sessions() as session:
        rooms = {room.name: room for room in await session.scalars(select(Room).where(Room.meeting_id == meeting_id))}
        questions = {
            q.code: q for q in await session.scalars(select(Question).where(Question.meeting_id == meeting_id))
        }
        people = list(await session.scalars(select(Participant).where(Participant.meeting_id == meeting_id)))
        await session.execute(
            update(Allocation)
            .where(Allocation.room_id.in_([room.id for room in rooms.values()]))
            .values(state=QuestionState.CLOSED, pushed_at=utcnow(), closed_at=utcnow())
        )
        for name, (code, own, shared, finding_text) in ROOMS.items():
            room = rooms[name]
            members = [p for p in people if p.room_id == room.id and p.role == Role.PARTICIPANT]
            moderator = next(p for p in people if p.room_id == room.id and p.role == Role.MODERATOR)
            answers = []
            for n, (question, text) in enumerate([*((code, t) for t in own), *(("S1", t) for t in shared)]):
                answer = Answer(
                    meeting_id=meeting_id,
                    room_id=room.id,
                    question_id=questions[question].id,
                    author_id=members[n % len(members)].id,
                    client_id=f"paper-{name}-{n}",
                    text=text,
                )
                session.add(answer)
                answers.append(answer)
            finding = Finding(
                meeting_id=meeting_id,
                room_id=room.id,
                question_id=questions[code].id,
                text=finding_text,
                position=0,
                status=FindingStatus.CONFIRMED,
                author_id=moderator.id,
                confirmed_at=utcnow(),
            )
            session.add(finding)
            await session.flush()
            session.add(FindingSource(finding_id=finding.id, answer_id=answers[0].id))
        await session.commit()


async def test_the_reference_meetings_position_paper(app: FastAPI, client: httpx.AsyncClient) -> None:
    require_writer()
    state: AppState = app.state.breakouts
    links = await stage_reference_meeting(state.database, state.bus, state.settings)
    await _answer_and_confirm(state, links.meeting_id)
    login = await client.post(
        "/api/auth/login", json={"email": DEFAULT_ORGANISER_EMAIL, "password": links.organiser_password}
    )
    assert login.status_code == 200, login.text
    base = f"/api/meetings/{links.meeting_id}"

    # The organiser pins the point raised in all six rooms as a headline, in their own words.
    plenary = (await client.get(f"{base}/plenary")).json()
    s1 = next(q for theme in plenary["themes"] for q in theme["questions"] if q["question"]["code"] == "S1")
    widest = max(s1["groups"], key=lambda group: group["room_count"])
    assert widest["raised_in"] == "raised in 6 of 6 rooms"
    headline = "Specialised prosecution units for smuggling cases"
    accepted = await client.post(
        f"{base}/plenary/groups",
        json={
            "question_id": s1["question"]["id"],
            "keys": [m["key"] for m in widest["members"]],
            "label": headline,
            "pinned": True,
        },
    )
    assert accepted.status_code in (200, 201), accepted.text

    response = await client.get(f"{base}/report.pdf")
    assert response.status_code == 200, response.text
    pdf = PdfReader(io.BytesIO(response.content))
    text = "\n".join(" ".join(page.extract_text().split()) for page in pdf.pages)
    summary = text[text.index("Executive summary", text.index("Executive summary") + 1) :]
    assert summary.index(f"{headline} — raised in 6 of 6 rooms") < summary.index("Key recommendations")
    recommendations = summary[summary.index("Key recommendations") :]
    assert recommendations.index(f"1. {headline}") < recommendations.index("About the meeting")
    assert "“Make migrant smuggling an offence of its own in national law” (Room 1)" in recommendations
    assert "(0 min)" not in text

    assert first_page_png(response.content, "reference-meeting-position-paper-page-1").stat().st_size > 10_000
