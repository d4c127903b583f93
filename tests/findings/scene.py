"""A meeting with two rooms and their people, for the findings and facilitation tests.

Rooms, people, questions, allocations and answers are inserted through the ORM (their endpoints
are built elsewhere); everyone then gets a real session the way people do: the organiser creates a
personal invite and the person's own client opens it.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from app.answers.models import Answer
from app.participants.models import Participant
from app.questions.models import Allocation, Question
from app.realtime.eventlog import EventRecord
from app.rooms.models import Room, RoomModerator
from app.state import AppState
from app.vocabulary import Anonymity, QuestionKind, Role, Visibility
from tests.conftest import ClientFactory
from tests.world import new_meeting, signed_in_organiser


@dataclass(frozen=True)
class Person:
    id: uuid.UUID
    http: httpx.AsyncClient


@dataclass(frozen=True)
class Scene:
    app: FastAPI
    organiser: httpx.AsyncClient
    stranger: httpx.AsyncClient  # an organiser of another meeting: no link to this one
    anonymous: httpx.AsyncClient
    meeting_id: uuid.UUID
    room_a: uuid.UUID
    room_b: uuid.UUID
    moderator_a: Person
    moderator_b: Person
    participant_a: Person
    participant_a2: Person
    participant_b: Person
    observer: Person
    question: uuid.UUID  # allocated to both rooms
    question_a2: uuid.UUID  # allocated to room A only
    answer_a: uuid.UUID  # room A, question
    answer_a2: uuid.UUID  # room A, question_a2
    answer_b: uuid.UUID  # room B, question

    @property
    def state(self) -> AppState:
        state: AppState = self.app.state.breakouts
        return state

    async def events(self, stream: str, prefix: str = "") -> list[EventRecord]:
        """The stored events of ``stream`` in order, only the types starting with ``prefix``."""
        async with self.state.database.reading() as session:
            rows = await session.scalars(
                select(EventRecord).where(EventRecord.stream == stream).order_by(EventRecord.seq)
            )
            return [event for event in rows if event.type.startswith(prefix)]


def _question(meeting_id: uuid.UUID, code: str, text: str) -> Question:
    return Question(
        meeting_id=meeting_id,
        code=code,
        theme="Criminalisation",
        text=text,
        kind=QuestionKind.OPEN,
        options=[],
        scale_labels={},
        anonymity=Anonymity.ANONYMOUS_TO_PEERS,
        visibility=Visibility.LIVE,
    )


async def _insert_people_and_content(
    app: FastAPI, meeting_id: uuid.UUID
) -> tuple[dict[str, uuid.UUID], dict[str, tuple[uuid.UUID, str]]]:
    """Rooms, roster, questions, allocations and answers: their ids by name, and who is who."""
    state: AppState = app.state.breakouts
    async with state.database.write_sessions() as session:
        room_a = Room(meeting_id=meeting_id, name="Room A", theme="Criminalisation", position=0)
        room_b = Room(meeting_id=meeting_id, name="Room B", theme="Demand side", position=1)
        session.add_all([room_a, room_b])
        await session.flush()
        people = {
            name: Participant(
                meeting_id=meeting_id,
                display_name=name.replace("_", " ").title(),
                pseudonym=f"P-{name}",
                role=role,
                room_id=room,
            )
            for name, role, room in (
                ("moderator_a", Role.MODERATOR, room_a.id),
                ("moderator_b", Role.MODERATOR, room_b.id),
                ("participant_a", Role.PARTICIPANT, room_a.id),
                ("participant_a2", Role.PARTICIPANT, room_a.id),
                ("participant_b", Role.PARTICIPANT, room_b.id),
                ("observer", Role.OBSERVER, None),
            )
        }
        session.add_all(people.values())
        await session.flush()
        session.add_all(
            [
                RoomModerator(room_id=room_a.id, participant_id=people["moderator_a"].id),
                RoomModerator(room_id=room_b.id, participant_id=people["moderator_b"].id),
            ]
        )
        question = _question(meeting_id, "Q1", "Should smuggled migrants be criminalised?")
        question_a2 = _question(meeting_id, "Q2", "What would strengthen criminal-justice measures?")
        session.add_all([question, question_a2])
        await session.flush()
        session.add_all(
            [
                Allocation(room_id=room_a.id, question_id=question.id, position=0),
                Allocation(room_id=room_a.id, question_id=question_a2.id, position=1),
                Allocation(room_id=room_b.id, question_id=question.id, position=0),
            ]
        )
        answers = {
            key: Answer(
                meeting_id=meeting_id,
                room_id=room,
                question_id=q.id,
                author_id=people[author].id,
                client_id=f"client-{key}",
                text=text,
            )
            for key, room, q, author, text in (
                ("answer_a", room_a.id, question, "participant_a", "They are victims, not criminals."),
                ("answer_a2", room_a.id, question_a2, "participant_a2", "Train prosecutors together."),
                ("answer_b", room_b.id, question, "participant_b", "Target the organisers of smuggling."),
            )
        }
        session.add_all(answers.values())
        await session.commit()
        ids = {"room_a": room_a.id, "room_b": room_b.id, "question": question.id, "question_a2": question_a2.id}
        ids |= {key: answer.id for key, answer in answers.items()}
        return ids, {name: (person.id, person.role) for name, person in people.items()}


async def _signed_in(
    organiser: httpx.AsyncClient,
    meeting_id: uuid.UUID,
    participant_id: uuid.UUID,
    role: str,
    http: httpx.AsyncClient,
) -> Person:
    invite = await organiser.post(
        f"/api/meetings/{meeting_id}/invites", json={"role": role, "participant_id": str(participant_id)}
    )
    assert invite.status_code == 201, invite.text
    token = invite.json()["url"].rsplit("/", 1)[1]
    opened = await http.post(f"/api/invites/{token}/open", json={})
    assert opened.status_code == 200, opened.text
    return Person(participant_id, http)


async def build_scene(
    app: FastAPI, organiser: httpx.AsyncClient, new_client: Callable[[], Awaitable[httpx.AsyncClient]]
) -> Scene:
    await signed_in_organiser(app, organiser)
    meeting_id = uuid.UUID((await new_meeting(organiser))["id"])
    ids, roster = await _insert_people_and_content(app, meeting_id)
    people = {
        name: await _signed_in(organiser, meeting_id, person_id, role, await new_client())
        for name, (person_id, role) in roster.items()
    }
    stranger = await new_client()
    await signed_in_organiser(app, stranger, email="stranger@example.org")
    return Scene(
        app=app,
        organiser=organiser,
        stranger=stranger,
        anonymous=await new_client(),
        meeting_id=meeting_id,
        room_a=ids["room_a"],
        room_b=ids["room_b"],
        moderator_a=people["moderator_a"],
        moderator_b=people["moderator_b"],
        participant_a=people["participant_a"],
        participant_a2=people["participant_a2"],
        participant_b=people["participant_b"],
        observer=people["observer"],
        question=ids["question"],
        question_a2=ids["question_a2"],
        answer_a=ids["answer_a"],
        answer_a2=ids["answer_a2"],
        answer_b=ids["answer_b"],
    )


@pytest.fixture
async def scene(app: FastAPI, client: httpx.AsyncClient, client_factory: ClientFactory) -> AsyncIterator[Scene]:
    async with AsyncExitStack() as clients:

        async def new_client() -> httpx.AsyncClient:
            return await clients.enter_async_context(client_factory())

        yield await build_scene(app, client, new_client)
