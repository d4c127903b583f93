"""Stages a meeting for the questions and answers tests: rooms and roster rows are inserted through
the ORM (so these tests do not depend on the rooms and participants endpoints), and each person gets
a real session by opening a personal invite link, exactly as in production."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from app.participants.models import Participant
from app.realtime.eventlog import EventRecord
from app.rooms.models import Room, RoomModerator
from app.state import AppState
from tests.conftest import ClientFactory
from tests.world import new_meeting, signed_in_organiser

ROOM_NAMES = ("Criminalisation", "Criminal justice", "Demand side")


@dataclass
class Person:
    id: str
    name: str
    http: httpx.AsyncClient


@dataclass
class Stage:
    app: FastAPI
    clients: ClientFactory
    stack: AsyncExitStack
    organiser: httpx.AsyncClient
    meeting: dict[str, Any]
    rooms: list[str] = field(default_factory=list)

    @property
    def meeting_id(self) -> str:
        return str(self.meeting["id"])

    @property
    def state(self) -> AppState:
        state: AppState = self.app.state.breakouts
        return state

    async def client(self) -> httpx.AsyncClient:
        return await self.stack.enter_async_context(self.clients())

    async def person(
        self, role: str = "participant", room: str | None = None, *, moderates: str | None = None, name: str = ""
    ) -> Person:
        """A roster row of this meeting (moderating ``moderates`` if given), signed in by invite."""
        name = name or f"{role.title()} {secrets.token_hex(2)}"
        async with self.state.database.write_sessions() as session:
            participant = Participant(
                meeting_id=uuid.UUID(self.meeting_id),
                display_name=name,
                pseudonym=f"P-{secrets.token_hex(4)}",
                role=role,
                room_id=uuid.UUID(room) if room else None,
            )
            session.add(participant)
            await session.flush()
            if moderates is not None:
                session.add(RoomModerator(room_id=uuid.UUID(moderates), participant_id=participant.id))
            await session.commit()
            participant_id = str(participant.id)
        invite = await self.organiser.post(
            f"/api/meetings/{self.meeting_id}/invites", json={"role": role, "participant_id": participant_id}
        )
        assert invite.status_code == 201, invite.text
        http = await self.client()
        token = invite.json()["url"].rsplit("/", 1)[1]
        opened = await http.post(f"/api/invites/{token}/open", json={})
        assert opened.status_code == 200, opened.text
        return Person(id=participant_id, name=name, http=http)

    async def participant(self, room_index: int = 0, name: str = "") -> Person:
        return await self.person("participant", self.rooms[room_index], name=name)

    async def moderator(self, room_index: int = 0, name: str = "") -> Person:
        room = self.rooms[room_index]
        return await self.person("moderator", room, moderates=room, name=name)

    async def stranger(self) -> httpx.AsyncClient:
        """An organiser of nothing here: signed in, but with no link to this meeting."""
        http = await self.client()
        await signed_in_organiser(self.app, http, email=f"stranger-{secrets.token_hex(3)}@example.org")
        return http

    async def to_phase(self, *phases: str) -> None:
        for phase in phases:
            response = await self.organiser.post(f"/api/meetings/{self.meeting_id}/phase", json={"phase": phase})
            assert response.status_code == 200, response.text

    async def question(self, **fields: Any) -> dict[str, Any]:
        body = {"text": "What should change first?", "kind": "open", **fields}
        response = await self.organiser.post(f"/api/meetings/{self.meeting_id}/questions", json=body)
        assert response.status_code == 201, response.text
        question: dict[str, Any] = response.json()
        return question

    async def allocate(self, question_id: str, *room_indexes: int) -> list[dict[str, Any]]:
        room_ids = [self.rooms[index] for index in room_indexes]
        response = await self.organiser.put(f"/api/questions/{question_id}/allocations", json={"room_ids": room_ids})
        assert response.status_code == 200, response.text
        allocations: list[dict[str, Any]] = response.json()
        return allocations

    async def push(self, question_id: str, room_index: int = 0) -> None:
        url = f"/api/rooms/{self.rooms[room_index]}/questions/{question_id}/push"
        response = await self.organiser.post(url)
        assert response.status_code == 200, response.text

    async def close(self, question_id: str, room_index: int = 0) -> None:
        url = f"/api/rooms/{self.rooms[room_index]}/questions/{question_id}/close"
        response = await self.organiser.post(url)
        assert response.status_code == 200, response.text

    async def live_question(self, room_index: int = 0, **fields: Any) -> dict[str, Any]:
        """A question allocated to the room and pushed there."""
        question = await self.question(**fields)
        await self.allocate(question["id"], room_index)
        await self.push(question["id"], room_index)
        return question

    async def events(self, event_type: str, stream: str | None = None) -> list[EventRecord]:
        """The stored events of this meeting of one type, oldest first."""
        async with self.state.database.reading() as session:
            statement = select(EventRecord).where(
                EventRecord.meeting_id == uuid.UUID(self.meeting_id), EventRecord.type == event_type
            )
            if stream is not None:
                statement = statement.where(EventRecord.stream == stream)
            return list(await session.scalars(statement.order_by(EventRecord.id)))

    async def count(self, model: type[Any], **where: Any) -> int:
        async with self.state.database.reading() as session:
            rows = await session.scalars(select(model).filter_by(**where))
            return len(list(rows))


def staff_payload(event: EventRecord) -> dict[str, Any]:
    """The staff's version of a stored event (it must have one)."""
    assert event.staff_payload is not None, event.type
    return event.staff_payload


async def build_stage(app: FastAPI, clients: ClientFactory, stack: AsyncExitStack, **meeting: Any) -> Stage:
    organiser = await stack.enter_async_context(clients())
    await signed_in_organiser(app, organiser)
    stage = Stage(
        app=app, clients=clients, stack=stack, organiser=organiser, meeting=await new_meeting(organiser, **meeting)
    )
    async with stage.state.database.write_sessions() as session:
        rooms = [
            Room(meeting_id=uuid.UUID(stage.meeting_id), name=name, theme=name, position=position)
            for position, name in enumerate(ROOM_NAMES)
        ]
        session.add_all(rooms)
        await session.commit()
        stage.rooms = [str(room.id) for room in rooms]
    return stage


@pytest.fixture
async def stage(app: FastAPI, client_factory: ClientFactory) -> AsyncIterator[Stage]:
    """A meeting with three rooms, in breakouts."""
    async with AsyncExitStack() as stack:
        staged = await build_stage(app, client_factory, stack)
        await staged.to_phase("lobby", "plenary", "breakouts")
        yield staged


@pytest.fixture
async def draft_stage(app: FastAPI, client_factory: ClientFactory) -> AsyncIterator[Stage]:
    """The same meeting still in draft (nobody is in rooms yet)."""
    async with AsyncExitStack() as stack:
        yield await build_stage(app, client_factory, stack)
