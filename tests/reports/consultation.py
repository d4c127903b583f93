"""A small finished consultation for the plenary and report tests: three rooms, a shared question
(S1) answered in all of them, named, anonymous-to-peers and fully anonymous questions, a scale and
a multiple-choice question, votes, a merge, a hidden answer, and findings in every status.

Rooms, people, questions, answers and findings are inserted through the ORM (their own endpoints
belong to other features); the organiser signs in through the API, and the others get real
sessions by opening personal invites the organiser creates.

People: the roster has 14 entries (6 female, 6 male, 1 another, 1 undisclosed). ``zara`` only
ever answers the fully anonymous question R3.1 and ``dipu`` only questions anonymous to peers, so
their names must never appear in a report (and Zara's pseudonym neither).
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from app.answers.models import Answer, AnswerSource, Vote
from app.answers.service import answer_question, emit_answer_changed
from app.answers.views import STAFF, context_of
from app.database import utcnow
from app.findings.models import Endorsement, Finding, FindingSource
from app.participants.models import Participant
from app.questions.models import Allocation, Question
from app.realtime.outbox import UnitOfWork, unit_of_work
from app.rooms.models import Room, RoomModerator
from app.state import AppState
from app.vocabulary import Anonymity, Phase, QuestionKind, QuestionState, Role, Visibility
from tests.conftest import ClientFactory
from tests.world import new_meeting, signed_in_organiser

# name: (display name, pseudonym, role, room number or None, gender, organisation type)
PEOPLE: dict[str, tuple[str, str, Role, int | None, str | None, str | None]] = {
    "mod1": ("Mira Moderator", "Calm Falcon", Role.MODERATOR, 1, "female", "police"),
    "mod2": ("Nabil Moderator", "Steady Crane", Role.MODERATOR, 2, "male", "ministry"),
    "mod3": ("Omar Moderator", "Patient Ibis", Role.MODERATOR, 3, "male", "civil_society"),
    "amina": ("Amina Rahman", "Brave Otter", Role.PARTICIPANT, 1, "female", "ministry"),
    "bashir": ("Bashir Uddin", "Swift Heron", Role.PARTICIPANT, 1, "male", "police"),
    "chandra": ("Chandra Sen", "Gentle Kite", Role.PARTICIPANT, 1, "female", "judiciary"),
    "dipu": ("Dipu Das", "Bright Plover", Role.PARTICIPANT, 2, "male", "prosecution"),
    "esha": ("Esha Karim", "Wise Egret", Role.PARTICIPANT, 2, "female", "civil_society"),
    "farid": ("Farid Hossain", "Bold Myna", Role.PARTICIPANT, 2, "male", "ministry"),
    "gita": ("Gita Roy", "Quiet Stork", Role.PARTICIPANT, 3, "female", "academia"),
    "hasan": ("Hasan Ali", "Keen Tern", Role.PARTICIPANT, 3, "male", None),
    "ishrat": ("Ishrat Jahan", "Merry Wren", Role.PARTICIPANT, 3, "another", "other"),
    "zara": ("Zara Zaman", "Silent Lynx", Role.PARTICIPANT, 3, None, "civil_society"),
    "olive": ("Olive Observer", "Watchful Owl", Role.OBSERVER, None, "female", "international_organisation"),
}
ROOMS = (("Room 1", "Criminalisation"), ("Room 2", "Criminal justice"), ("Room 3", "Demand side"))
MULTIPLE_CHOICE_OPTIONS = [
    {"id": "financial", "label": "Financial investigation"},
    {"id": "jit", "label": "Joint investigation teams"},
    {"id": "digital", "label": "Digital evidence"},
    {"id": "witness", "label": "Witness protection"},
]
# code: (theme, text, kind, anonymity, visibility, rooms)
QUESTIONS: dict[str, tuple[str, str, QuestionKind, Anonymity, Visibility, tuple[int, ...]]] = {
    "R1.1": ("Criminalisation", "Which gaps in national law matter most?", QuestionKind.OPEN, Anonymity.NAMED, Visibility.LIVE, (1,)),
    "R1.2": ("Criminalisation", "How ready is the country to ratify?", QuestionKind.SCALE, Anonymity.ANONYMOUS_TO_PEERS, Visibility.LIVE, (1, 2, 3)),
    "R2.1": ("Criminal justice", "Which investigative tools are most needed?", QuestionKind.MULTIPLE_CHOICE, Anonymity.ANONYMOUS_TO_PEERS, Visibility.LIVE, (1, 2, 3)),
    "R3.1": ("Demand side", "Why do people turn to smugglers?", QuestionKind.OPEN, Anonymity.FULLY_ANONYMOUS, Visibility.LIVE, (3,)),
    "R3.2": ("Demand side", "Which awareness measures changed behaviour?", QuestionKind.OPEN, Anonymity.ANONYMOUS_TO_PEERS, Visibility.AFTER_CLOSE, (3,)),
    "S1": ("Shared", "What single recommendation should the position paper make?", QuestionKind.OPEN, Anonymity.ANONYMOUS_TO_PEERS, Visibility.LIVE, (1, 2, 3)),
}  # fmt: skip
# R3.2 shows its answers only after close and is still live in Room 3.
STILL_LIVE = {("R3.2", 3)}
# key: (question, room, author, text | choices | scale value, voters, hidden)
ANSWERS: dict[str, tuple[str, int, str, Any, tuple[str, ...], bool]] = {
    "s1_amina": ("S1", 1, "amina", "Ratify the smuggling protocol within a year", ("bashir", "chandra", "mod1"), False),
    "s1_bashir": ("S1", 1, "bashir", "Set up joint investigation teams with neighbouring countries", ("amina",), False),
    "s1_chandra": (
        "S1",
        1,
        "chandra",
        "Ratify the protocol against migrant smuggling within one year",
        ("amina", "bashir"),
        False,
    ),
    "s1_dipu": ("S1", 2, "dipu", "Ratify the smuggling protocol within one year.", ("esha", "farid"), False),
    "s1_esha": ("S1", 2, "esha", "Protect smuggled migrants as victims, not criminals", ("dipu",), False),
    "s1_farid": ("S1", 2, "farid", "Buy cheap watches at example dot com", (), True),
    "s1_gita": ("S1", 3, "gita", "Protect smuggled migrants as victims not as criminals", ("hasan",), False),
    "s1_hasan": ("S1", 3, "hasan", "Ratify the protocol on migrant smuggling within a year", ("gita", "ishrat"), False),
    "s1_ishrat": ("S1", 3, "ishrat", "Fund awareness campaigns in source villages", (), False),
    "r11_amina": ("R1.1", 1, "amina", "The law has no offence of smuggling on its own", ("chandra",), False),
    "r11_bashir": ("R1.1", 1, "bashir", "Penalties are too low to deter smugglers", (), False),
    "r11_chandra": ("R1.1", 1, "chandra", "Penalties too low to deter anyone", (), False),
    "r12_amina": ("R1.2", 1, "amina", 2, (), False),
    "r12_bashir": ("R1.2", 1, "bashir", 2, (), False),
    "r12_chandra": ("R1.2", 1, "chandra", 1, (), False),
    "r12_dipu": ("R1.2", 2, "dipu", 4, (), False),
    "r12_esha": ("R1.2", 2, "esha", 5, (), False),
    "r12_farid": ("R1.2", 2, "farid", 4, (), False),
    "r12_gita": ("R1.2", 3, "gita", 3, (), False),
    "r12_hasan": ("R1.2", 3, "hasan", 3, (), False),
    "r21_amina": ("R2.1", 1, "amina", ["financial"], (), False),
    "r21_bashir": ("R2.1", 1, "bashir", ["financial", "jit"], (), False),
    "r21_chandra": ("R2.1", 1, "chandra", ["jit"], (), False),
    "r21_dipu": ("R2.1", 2, "dipu", ["financial"], (), False),
    "r21_esha": ("R2.1", 2, "esha", ["financial"], (), False),
    "r21_farid": ("R2.1", 2, "farid", ["digital"], (), False),
    "r21_gita": ("R2.1", 3, "gita", ["witness"], (), False),
    "r21_ishrat": ("R2.1", 3, "ishrat", ["witness", "digital"], (), False),
    "r31_zara": ("R3.1", 3, "zara", "Families pay smugglers because legal routes are closed", ("gita",), False),
    "r31_gita": ("R3.1", 3, "gita", "Poverty pushes young men towards smugglers", (), False),
    "r32_gita": ("R3.2", 3, "gita", "Radio dramas changed minds in our district", (), False),
}
# Room 1's moderator merged the two "penalties" answers into one.
MERGED = ("r11_merged", "Penalties are too low to deter smugglers (merged)", ("r11_bashir", "r11_chandra"))
# key: (room, question or None, text, status, cited answers, endorsers)
FINDINGS: dict[str, tuple[int, str | None, str, str, tuple[str, ...], tuple[str, ...]]] = {
    "f_ratify": (1, "S1", "Ratify the protocol within a year", "confirmed", ("s1_amina", "s1_chandra"), ("amina", "bashir")),
    "f_offence": (1, None, "National law needs an offence of migrant smuggling", "confirmed", ("r11_amina",), ()),
    "f_penalties": (1, "R1.1", "Raise the penalties for smuggling", "confirmed", ("r11_bashir",), ()),
    "f_draft": (1, "S1", "A draft only the moderators may read", "draft", (), ()),
    "f_proposed": (2, "S1", "Proposed: give prosecutors a smuggling handbook", "proposed", ("s1_dipu",), ()),
    "f_urgent": (2, "S1", "Ratification is urgent", "confirmed", ("s1_dipu",), ("esha",)),
    "f_routes": (3, "R3.1", "Legal routes would take business away from smugglers", "confirmed", ("r31_zara",), ()),
}  # fmt: skip
PHASE_PATH = (Phase.LOBBY, Phase.PLENARY, Phase.BREAKOUTS, Phase.REPORT_BACK, Phase.CLOSED)


@dataclass
class Consultation:
    app: FastAPI
    organiser: httpx.AsyncClient
    moderator: httpx.AsyncClient  # Room 1's moderator
    participant: httpx.AsyncClient  # Amina, in Room 1
    observer: httpx.AsyncClient
    stranger: httpx.AsyncClient  # an organiser of another meeting
    anonymous: httpx.AsyncClient
    meeting_id: uuid.UUID
    rooms: dict[int, uuid.UUID]
    people: dict[str, uuid.UUID]
    questions: dict[str, uuid.UUID]
    answers: dict[str, uuid.UUID]
    findings: dict[str, uuid.UUID]
    phase: Phase = Phase.DRAFT
    extra: list[uuid.UUID] = field(default_factory=list)

    @property
    def state(self) -> AppState:
        state: AppState = self.app.state.breakouts
        return state

    def url(self, path: str) -> str:
        return f"/api/meetings/{self.meeting_id}{path}"

    async def advance_to(self, target: Phase) -> None:
        """Walk the phase machine through the API up to ``target``."""
        while self.phase != target:
            step = PHASE_PATH[PHASE_PATH.index(self.phase) + 1] if self.phase in PHASE_PATH else PHASE_PATH[0]
            response = await self.organiser.post(self.url("/phase"), json={"phase": step})
            assert response.status_code == 200, response.text
            self.phase = step

    async def add_answer(self, question: str, room: int, author: str, text: str) -> uuid.UUID:
        """Written straight to the database (a phase the API would refuse it in), with the event
        every change the plenary shows comes with, as the services emit it."""
        async with unit_of_work(self.state.database.write_sessions, self.state.bus) as uow:
            session = uow.session
            answer = Answer(
                meeting_id=self.meeting_id,
                room_id=self.rooms[room],
                question_id=self.questions[question],
                author_id=self.people[author],
                client_id=f"late-{uuid.uuid4().hex[:12]}",
                text=text,
            )
            session.add(answer)
            await session.flush()
            await _told_to_room(uow, answer, "answer.edited")
        return answer.id

    async def set_hidden(self, key: str, hidden: bool = True) -> None:
        async with unit_of_work(self.state.database.write_sessions, self.state.bus) as uow:
            answer = await uow.session.get(Answer, self.answers[key])
            assert answer is not None
            answer.hidden = hidden
            await _told_to_room(uow, answer, "answer.moderated")


async def _told_to_room(uow: UnitOfWork, answer: Answer, event_type: str) -> None:
    """The room event the answer services emit for such a change (every change the plenary view
    shows comes with an event on a stream of the meeting)."""
    context = await context_of(uow.session, answer.room_id, await answer_question(uow.session, answer))
    await emit_answer_changed(uow, event_type, answer, context, STAFF)


def _question(meeting_id: uuid.UUID, position: int, code: str) -> Question:
    theme, text, kind, anonymity, visibility, _ = QUESTIONS[code]
    return Question(
        meeting_id=meeting_id,
        code=code,
        theme=theme,
        text=text,
        kind=kind,
        options=MULTIPLE_CHOICE_OPTIONS if kind == QuestionKind.MULTIPLE_CHOICE else [],
        scale_min=1 if kind == QuestionKind.SCALE else None,
        scale_max=5 if kind == QuestionKind.SCALE else None,
        scale_labels={"1": "not ready at all", "5": "fully ready"} if kind == QuestionKind.SCALE else {},
        anonymity=anonymity,
        visibility=visibility,
        position=position,
    )


def _answer(
    meeting_id: uuid.UUID, key: str, room_id: uuid.UUID, question: Question, author: uuid.UUID, value: Any
) -> Answer:
    return Answer(
        meeting_id=meeting_id,
        room_id=room_id,
        question_id=question.id,
        author_id=author,
        client_id=f"client-{key}",
        text=value if isinstance(value, str) else None,
        choice_ids=value if isinstance(value, list) else None,
        scale_value=value if isinstance(value, int) else None,
    )


async def insert_consultation(app: FastAPI, meeting_id: uuid.UUID) -> dict[str, Any]:
    state: AppState = app.state.breakouts
    async with state.database.write_sessions() as session:
        rooms = {
            n: Room(meeting_id=meeting_id, name=name, theme=theme, position=n)
            for n, (name, theme) in enumerate(ROOMS, 1)
        }
        session.add_all(rooms.values())
        await session.flush()
        people = {
            key: Participant(
                meeting_id=meeting_id,
                display_name=name,
                pseudonym=pseudonym,
                role=role,
                room_id=rooms[room].id if room else None,
                gender=gender,
                organisation_type=org_type,
            )
            for key, (name, pseudonym, role, room, gender, org_type) in PEOPLE.items()
        }
        session.add_all(people.values())
        await session.flush()
        session.add_all(RoomModerator(room_id=rooms[n].id, participant_id=people[f"mod{n}"].id) for n in (1, 2, 3))
        questions = {code: _question(meeting_id, position, code) for position, code in enumerate(QUESTIONS)}
        session.add_all(questions.values())
        await session.flush()
        for code, (*_, room_numbers) in QUESTIONS.items():
            for n in room_numbers:
                live = (code, n) in STILL_LIVE
                session.add(
                    Allocation(
                        room_id=rooms[n].id,
                        question_id=questions[code].id,
                        state=QuestionState.LIVE if live else QuestionState.CLOSED,
                        pushed_at=utcnow(),
                        closed_at=None if live else utcnow(),
                    )
                )
        answers: dict[str, Answer] = {}
        for key, (code, room, author, value, _, hidden) in ANSWERS.items():
            answers[key] = _answer(meeting_id, key, rooms[room].id, questions[code], people[author].id, value)
            answers[key].hidden = hidden
        merged_key, merged_text, sources = MERGED
        answers[merged_key] = _answer(
            meeting_id, merged_key, rooms[1].id, questions["R1.1"], people["mod1"].id, merged_text
        )
        session.add_all(answers.values())
        await session.flush()
        for source in sources:
            answers[source].merged_into_id = answers[merged_key].id
            session.add(AnswerSource(answer_id=answers[merged_key].id, source_id=answers[source].id))
        for key, (*_, voters, _) in ANSWERS.items():
            session.add_all(Vote(answer_id=answers[key].id, participant_id=people[voter].id) for voter in voters)
        findings: dict[str, Finding] = {}
        for position, (key, (room, code, text, status, _, _)) in enumerate(FINDINGS.items()):
            findings[key] = Finding(
                meeting_id=meeting_id,
                room_id=rooms[room].id,
                question_id=questions[code].id if code else None,
                text=text,
                position=position,
                status=status,
                author_id=people[f"mod{room}"].id,
                confirmed_at=utcnow() if status == "confirmed" else None,
            )
        session.add_all(findings.values())
        await session.flush()
        for key, (*_, cited, endorsers) in FINDINGS.items():
            session.add_all(FindingSource(finding_id=findings[key].id, answer_id=answers[a].id) for a in cited)
            session.add_all(Endorsement(finding_id=findings[key].id, participant_id=people[p].id) for p in endorsers)
        await session.commit()
        return {
            "rooms": {n: room.id for n, room in rooms.items()},
            "people": {key: person.id for key, person in people.items()},
            "questions": {code: question.id for code, question in questions.items()},
            "answers": {key: answer.id for key, answer in answers.items()},
            "findings": {key: finding.id for key, finding in findings.items()},
        }


async def signed_in(
    organiser: httpx.AsyncClient, meeting_id: uuid.UUID, person: uuid.UUID, role: Role, http: httpx.AsyncClient
) -> httpx.AsyncClient:
    invite = await organiser.post(
        f"/api/meetings/{meeting_id}/invites", json={"role": role.value, "participant_id": str(person)}
    )
    assert invite.status_code == 201, invite.text
    token = invite.json()["url"].rsplit("/", 1)[1]
    opened = await http.post(f"/api/invites/{token}/open", json={})
    assert opened.status_code == 200, opened.text
    return http


async def build_consultation(
    app: FastAPI, organiser: httpx.AsyncClient, new_client: Callable[[], Awaitable[httpx.AsyncClient]]
) -> Consultation:
    await signed_in_organiser(app, organiser)
    meeting_id = uuid.UUID((await new_meeting(organiser, title="Think tank policy session on migrant smuggling"))["id"])
    for title, kind, minutes in (("Welcome and purpose", "talk", 5), ("Thematic breakout rooms", "breakouts", 45)):
        added = await organiser.post(
            f"/api/meetings/{meeting_id}/agenda", json={"title": title, "kind": kind, "planned_minutes": minutes}
        )
        assert added.status_code == 201, added.text
    made = await insert_consultation(app, meeting_id)
    people = made["people"]
    stranger = await new_client()
    await signed_in_organiser(app, stranger, email="stranger@example.org")
    return Consultation(
        app=app,
        organiser=organiser,
        moderator=await signed_in(organiser, meeting_id, people["mod1"], Role.MODERATOR, await new_client()),
        participant=await signed_in(organiser, meeting_id, people["amina"], Role.PARTICIPANT, await new_client()),
        observer=await signed_in(organiser, meeting_id, people["olive"], Role.OBSERVER, await new_client()),
        stranger=stranger,
        anonymous=await new_client(),
        meeting_id=meeting_id,
        **made,
    )


@pytest.fixture
async def consultation(
    app: FastAPI, client: httpx.AsyncClient, client_factory: ClientFactory
) -> AsyncIterator[Consultation]:
    async with AsyncExitStack() as clients:

        async def new_client() -> httpx.AsyncClient:
            return await clients.enter_async_context(client_factory())

        yield await build_consultation(app, client, new_client)
