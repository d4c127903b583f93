"""The people and rooms of a realtime test, made through the real HTTP API of the running server:
organisers sign in, people open invites (bearer tokens), rooms and questions are created and
allocated, the meeting moves through its phases."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx

from app.client.connection import LiveClient
from tests.realtime.server import LiveServer
from tests.world import ORGANISER_PASSWORD, add_account

ORIGIN = "http://testserver"


@dataclass
class Person:
    http: httpx.AsyncClient
    role: str
    participant_id: uuid.UUID | None = None
    room_id: uuid.UUID | None = None


@dataclass
class World:
    server: LiveServer
    stack: AsyncExitStack
    organiser: Person
    meeting: dict[str, Any]
    rooms: list[uuid.UUID] = field(default_factory=list)
    moderators: dict[uuid.UUID, list[str]] = field(default_factory=dict)

    @property
    def meeting_id(self) -> uuid.UUID:
        return uuid.UUID(self.meeting["id"])

    async def http(self, token: str | None = None) -> httpx.AsyncClient:
        headers = {"authorization": f"Bearer {token}"} if token else {}
        client = httpx.AsyncClient(base_url=self.server.base_url, headers=headers, timeout=30)
        return await self.stack.enter_async_context(client)

    async def add_room(self, name: str) -> uuid.UUID:
        created = await self.organiser.http.post(f"/api/meetings/{self.meeting_id}/rooms", json={"name": name})
        assert created.status_code == 201, created.text
        room_id = uuid.UUID(created.json()["id"])
        self.rooms.append(room_id)
        return room_id

    async def join(self, role: str = "participant", room_id: uuid.UUID | None = None, name: str = "Amina") -> Person:
        invite = await self.organiser.http.post(
            f"/api/meetings/{self.meeting_id}/invites",
            json={"role": role, "room_id": str(room_id) if room_id else None},
        )
        assert invite.status_code == 201, invite.text
        token = invite.json()["url"].rsplit("/", 1)[1]
        opener = await self.http()
        opened = await opener.post(
            f"/api/invites/{token}/open", json={"display_name": name, "session_delivery": "token"}
        )
        assert opened.status_code == 200, opened.text
        body = opened.json()
        person = Person(await self.http(body["token"]), role, uuid.UUID(body["participant_id"]), room_id)
        if role == "moderator" and room_id is not None:
            moderators = self.moderators.setdefault(room_id, [])
            moderators.append(str(person.participant_id))
            response = await self.organiser.http.put(
                f"/api/rooms/{room_id}/moderators", json={"participant_ids": moderators}
            )
            assert response.status_code == 200, response.text
        return person

    async def to_phase(self, *phases: str) -> None:
        for phase in phases:
            response = await self.organiser.http.post(f"/api/meetings/{self.meeting_id}/phase", json={"phase": phase})
            assert response.status_code == 200, response.text

    async def question(
        self, room_ids: list[uuid.UUID], text: str = "Which gaps in national law?", **fields: Any
    ) -> uuid.UUID:
        created = await self.organiser.http.post(
            f"/api/meetings/{self.meeting_id}/questions", json={"text": text, **fields}
        )
        assert created.status_code == 201, created.text
        question_id = uuid.UUID(created.json()["id"])
        allocated = await self.organiser.http.put(
            f"/api/questions/{question_id}/allocations", json={"room_ids": [str(room_id) for room_id in room_ids]}
        )
        assert allocated.status_code == 200, allocated.text
        return question_id

    async def push(self, room_id: uuid.UUID, question_id: uuid.UUID) -> None:
        pushed = await self.organiser.http.post(f"/api/rooms/{room_id}/questions/{question_id}/push")
        assert pushed.status_code == 200, pushed.text

    async def client(self, person: Person, *, connect: bool = True, name: str | None = None) -> LiveClient:
        client = LiveClient(self.server.base_url, person.http, str(self.meeting_id), origin=ORIGIN, name=name)
        self.stack.push_async_callback(client.close)
        if connect:
            await client.connect()
            await client.until_resumed()
        return client


@asynccontextmanager
async def world(server: LiveServer, email: str = "organiser@example.org") -> AsyncIterator[World]:
    async with AsyncExitStack() as stack:
        await add_account(server.app, email)
        anonymous = await stack.enter_async_context(httpx.AsyncClient(base_url=server.base_url, timeout=30))
        login = await anonymous.post(
            "/api/auth/login", json={"email": email, "password": ORGANISER_PASSWORD, "session_delivery": "token"}
        )
        assert login.status_code == 200, login.text
        organiser_http = await stack.enter_async_context(
            httpx.AsyncClient(
                base_url=server.base_url, headers={"authorization": f"Bearer {login.json()['token']}"}, timeout=30
            )
        )
        created = await organiser_http.post("/api/meetings", json={"title": "Think tank policy session"})
        assert created.status_code == 201, created.text
        yield World(server, stack, Person(organiser_http, "organiser"), created.json())
