"""The meeting of a rooms or participants test, built through the real API: the organiser signs in,
creates rooms and roster entries, and each person gets a session by opening an invite link.
Answers (another feature) are written through the ORM so these tests do not depend on its routes."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx
from fastapi import FastAPI

from app.answers.models import Answer
from app.questions.models import Question
from app.realtime.eventlog import EventRecord, events_after, meeting_stream, room_stream, staff_stream
from app.state import AppState
from tests.conftest import ClientFactory
from tests.world import new_meeting, signed_in_organiser


@dataclass
class Person:
    http: httpx.AsyncClient
    id: str
    role: str


@dataclass
class Scene:
    app: FastAPI
    clients: ClientFactory
    stack: AsyncExitStack
    organiser: httpx.AsyncClient
    meeting_id: str

    @property
    def state(self) -> AppState:
        state: AppState = self.app.state.breakouts
        return state

    async def client(self) -> httpx.AsyncClient:
        return await self.stack.enter_async_context(self.clients())

    async def room(self, name: str, **fields: Any) -> dict[str, Any]:
        response = await self.organiser.post(f"/api/meetings/{self.meeting_id}/rooms", json={"name": name, **fields})
        assert response.status_code == 201, response.text
        room: dict[str, Any] = response.json()
        return room

    async def entry(self, display_name: str, **fields: Any) -> dict[str, Any]:
        """A roster entry added by the organiser (nobody signed in as it yet)."""
        response = await self.organiser.post(
            f"/api/meetings/{self.meeting_id}/participants", json={"display_name": display_name, **fields}
        )
        assert response.status_code == 201, response.text
        entry: dict[str, Any] = response.json()
        return entry

    async def sign_in(self, entry: dict[str, Any]) -> Person:
        """A session for a roster entry, through its personal invite link."""
        invite = await self.organiser.post(
            f"/api/meetings/{self.meeting_id}/invites", json={"role": entry["role"], "participant_id": entry["id"]}
        )
        assert invite.status_code == 201, invite.text
        http = await self.client()
        token = invite.json()["url"].rsplit("/", 1)[1]
        opened = await http.post(f"/api/invites/{token}/open", json={})
        assert opened.status_code == 200, opened.text
        return Person(http, entry["id"], entry["role"])

    async def person(self, display_name: str, role: str = "participant", **fields: Any) -> Person:
        return await self.sign_in(await self.entry(display_name, role=role, **fields))

    async def stranger(self) -> httpx.AsyncClient:
        """The organiser of another meeting: no link to this one."""
        http = await self.client()
        await signed_in_organiser(self.app, http, email=f"other-{uuid.uuid4().hex[:6]}@example.org")
        await new_meeting(http, title="Another meeting")
        return http

    async def events(self, stream: str) -> list[EventRecord]:
        async with self.state.database.reading() as session:
            return await events_after(session, stream, 0, 10_000)

    async def event_types(self, stream: str) -> list[str]:
        return [event.type for event in await self.events(stream)]

    def meeting_stream(self) -> str:
        return meeting_stream(uuid.UUID(self.meeting_id))

    def staff_stream(self) -> str:
        return staff_stream(uuid.UUID(self.meeting_id))

    @staticmethod
    def room_stream(room_id: str) -> str:
        return room_stream(uuid.UUID(room_id))

    async def answer(self, room_id: str, author_id: str, text: str = "Close the legal gap") -> str:
        """An answer in a room (written through the ORM: answering belongs to another feature)."""
        async with self.state.database.write_sessions() as session:
            question = Question(
                meeting_id=uuid.UUID(self.meeting_id),
                text="Which gaps in national law matter most?",
                kind="open",
                options=[],
                scale_labels={},
                anonymity="anonymous_to_peers",
                visibility="live",
            )
            session.add(question)
            await session.flush()
            answer = Answer(
                meeting_id=uuid.UUID(self.meeting_id),
                room_id=uuid.UUID(room_id),
                question_id=question.id,
                author_id=uuid.UUID(author_id),
                client_id=uuid.uuid4().hex,
                text=text,
            )
            session.add(answer)
            await session.commit()
            return str(answer.id)


@asynccontextmanager
async def build_scene(app: FastAPI, client: httpx.AsyncClient, clients: ClientFactory) -> AsyncIterator[Scene]:
    await signed_in_organiser(app, client)
    meeting = await new_meeting(client)
    async with AsyncExitStack() as stack:
        yield Scene(app, clients, stack, client, str(meeting["id"]))
