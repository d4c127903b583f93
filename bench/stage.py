"""Staging Breakouts for a run: a fresh migrated SQLite file, an organiser, a meeting in its
breakouts with one open question live in every room, and thousands of participants with
sessions and socket tickets.

The meeting, rooms and question go through the REST API like an organiser's browser. The
participants and their sessions are written to the database in bulk (the rows the invite links
would write) and their first tickets signed with the server's key (as ``POST
/api/realtime/tickets`` would), because minting them one HTTP call at a time would take longer
than the benchmark. Reconnects in S5 fetch their tickets
over REST, as real clients do.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import httpx
from sqlalchemy import create_engine, insert, inspect

import app.tables  # noqa: F401 - every model in Base.metadata
from app.auth.access import Actor
from app.auth.models import AuthSession
from app.auth.secrets import new_session_token
from app.auth.service import create_account
from app.database import Base, create_database, utcnow
from app.live.tickets import sign_ticket
from app.migrations_path import upgrade
from app.participants.models import Participant

ORGANISER_EMAIL = "bench@breakouts.local"
ORGANISER_PASSWORD = "bench organiser passphrase"
# Long enough for the slowest staging of S4 (10,000 sockets opened a few hundred at a time).
BENCH_TICKET_TTL = timedelta(minutes=30)


@dataclass
class Person:
    room: int  # index into Layout.rooms, -1 for a watcher of every room
    token: str  # bearer session token
    participant_id: str | None = None  # None: the organiser's account
    ticket: str = ""  # a pre-minted ticket; without one the client asks REST for one
    session_id: str | None = None  # the session a pre-minted ticket is issued to


@dataclass
class Layout:
    meeting_id: str
    rooms: list[str]
    question_id: str
    organiser: Person
    people: list[Person] = field(default_factory=list)


def sqlite_url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


def _fresh_schema(path: Path) -> None:
    """Migrate a new file; if the models have moved ahead of the migration (a schema change in
    progress), build the tables from the models instead and say so."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    url = sqlite_url(path)
    upgrade(url)
    engine = create_engine(f"sqlite:///{path}")
    try:
        found = inspect(engine)
        behind = (
            [
                f"{table.name}.{column.name}"
                for table in Base.metadata.sorted_tables
                for column in table.columns
                if column.name not in {c["name"] for c in found.get_columns(table.name)}
            ]
            if all(found.has_table(t.name) for t in Base.metadata.sorted_tables)
            else ["(tables)"]
        )
        if behind:
            print(
                f"bench: the migration lacks {', '.join(behind[:5])}: building the schema from the models", flush=True
            )
            Base.metadata.drop_all(engine)
            Base.metadata.create_all(engine)
    finally:
        engine.dispose()


async def add_organiser(url: str, email: str = ORGANISER_EMAIL, password: str = ORGANISER_PASSWORD) -> None:
    """An organiser's account (the benchmark organiser's by default) in the migrated database at
    ``url``."""
    database = create_database(url)
    try:
        async with database.write_sessions() as session:
            await create_account(session, email, "Bench organiser", password)
            await session.commit()
    finally:
        await database.dispose()


async def prepare_database(path: Path, root: Path | None = None) -> str:
    """A fresh database file, migrated, with the organiser's account; by the checkout at ``root``
    (its own migrations and models) when given."""
    url = sqlite_url(path)
    if root is not None:
        script = "import asyncio, sys, pathlib; from bench.stage import prepare_database as p; asyncio.run(p(pathlib.Path(sys.argv[1])))"
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-c", script, str(path), cwd=root, env={**os.environ, "PYTHONPATH": str(root)}
        )
        if await process.wait() != 0:
            raise RuntimeError(f"preparing the database in {root} failed")
        return url
    await asyncio.to_thread(_fresh_schema, path)
    await add_organiser(url)
    return url


async def _ok(response: httpx.Response) -> dict[str, object]:
    if response.status_code >= 300:
        raise RuntimeError(
            f"{response.request.method} {response.request.url.path}: {response.status_code} {response.text}"
        )
    return response.json() if response.content else {}


async def stage_meeting(base_url: str, url: str, rooms: int, per_room: int) -> Layout:
    """The meeting in breakouts, ``rooms`` rooms of ``per_room`` participants, a question live."""
    async with httpx.AsyncClient(base_url=base_url, timeout=60) as http:
        login = await _ok(
            await http.post(
                "/api/auth/login",
                json={"email": ORGANISER_EMAIL, "password": ORGANISER_PASSWORD, "session_delivery": "token"},
            )
        )
        organiser_token = str(login["token"])
        http.headers["authorization"] = f"Bearer {organiser_token}"
        http.cookies.clear()
        meeting = await _ok(await http.post("/api/meetings", json={"title": "Benchmark consultation"}))
        meeting_id = str(meeting["id"])
        room_ids = []
        for number in range(rooms):
            room = await _ok(await http.post(f"/api/meetings/{meeting_id}/rooms", json={"name": f"Room {number + 1}"}))
            room_ids.append(str(room["id"]))
        question = await _ok(
            await http.post(
                f"/api/meetings/{meeting_id}/questions",
                json={"text": "What should change first?", "kind": "open", "visibility": "live"},
            )
        )
        question_id = str(question["id"])
        for start in range(0, rooms, 200):
            await _ok(
                await http.put(
                    f"/api/questions/{question_id}/allocations", json={"room_ids": room_ids[start : start + 200]}
                )
            )
        for phase in ("lobby", "plenary", "breakouts"):
            await _ok(await http.post(f"/api/meetings/{meeting_id}/phase", json={"phase": phase}))
        for room_id in room_ids:
            await _ok(await http.post(f"/api/rooms/{room_id}/questions/{question_id}/push"))
    layout = Layout(meeting_id, room_ids, question_id, Person(-1, organiser_token))
    await add_participants(url, layout, per_room)
    return layout


async def join_code(base_url: str, layout: Layout) -> str:
    """The meeting's code, as the organiser's console shows it."""
    headers = {"authorization": f"Bearer {layout.organiser.token}"}
    async with httpx.AsyncClient(base_url=base_url, timeout=60, headers=headers) as http:
        meeting = await _ok(await http.get(f"/api/meetings/{layout.meeting_id}"))
    return str(meeting["join_code"])


async def add_participants(url: str, layout: Layout, per_room: int) -> None:
    """``per_room`` participants in every room, each with a session, written in bulk."""
    meeting_id = uuid.UUID(layout.meeting_id)
    now = utcnow()
    participants, sessions = [], []
    for room_index, room_id in enumerate(layout.rooms):
        for _ in range(per_room):
            participant_id = uuid.uuid4()
            number = len(participants) + 1
            participants.append(
                {
                    "id": participant_id,
                    "meeting_id": meeting_id,
                    "display_name": f"Participant {number}",
                    "pseudonym": f"P{number}",
                    "role": "participant",
                    "room_id": uuid.UUID(room_id),
                    "created_at": now,
                }
            )
            token, hashed = new_session_token()
            session_id = uuid.uuid4()
            sessions.append(
                {
                    "id": session_id,
                    "token_hash": hashed,
                    "participant_id": participant_id,
                    "expires_at": now + timedelta(hours=12),
                    "created_at": now,
                }
            )
            layout.people.append(Person(room_index, token, str(participant_id), session_id=str(session_id)))
    if not participants:
        return
    database = create_database(url)
    try:
        async with database.write_sessions() as session:
            await session.execute(insert(Participant), participants)
            await session.execute(insert(AuthSession), sessions)
            await session.commit()
    finally:
        await database.dispose()


def mint_tickets(secret_key: str, layout: Layout, people: list[Person]) -> None:
    """A fresh single-use ticket for each participant, signed with the server's key."""
    meeting_id = uuid.UUID(layout.meeting_id)
    expires_at = int(time.time() + BENCH_TICKET_TTL.total_seconds())
    for person in people:
        assert person.participant_id is not None and person.session_id is not None, (
            "the organiser's ticket comes over REST"
        )
        actor = Actor(
            participant_id=uuid.UUID(person.participant_id), participant_session_id=uuid.UUID(person.session_id)
        )
        person.ticket = sign_ticket(secret_key, meeting_id, actor, expires_at)


async def add_answers(url: str, layout: Layout, per_room: int) -> list[str]:
    """``per_room`` answers to the live question in every room, by the room's people in turn
    (real consultation statements), written in bulk as the answer path would store them; returns
    the id of each room's first answer (by the room's first person)."""
    return [answers[0][0] for answers in await add_room_answers(url, layout, per_room)]


async def add_room_answers(url: str, layout: Layout, per_room: int) -> list[list[tuple[str, str]]]:
    """``add_answers``, returning every room's answers as (answer id, author's participant id)."""
    from app.answers.models import Answer
    from bench.texts import answer_texts

    texts = answer_texts()
    meeting_id, question_id = uuid.UUID(layout.meeting_id), uuid.UUID(layout.question_id)
    authors: dict[int, list[uuid.UUID]] = {}
    for person in layout.people:
        assert person.participant_id is not None
        authors.setdefault(person.room, []).append(uuid.UUID(person.participant_id))
    now = utcnow()
    rows: list[dict[str, object]] = []
    made: list[list[tuple[str, str]]] = []
    for room_index, room_id in enumerate(layout.rooms):
        people = authors[room_index]
        made.append([])
        for n in range(per_room):
            answer_id = uuid.uuid4()
            made[-1].append((str(answer_id), str(people[n % len(people)])))
            rows.append(
                {
                    "id": answer_id,
                    "meeting_id": meeting_id,
                    "room_id": uuid.UUID(room_id),
                    "question_id": question_id,
                    "author_id": people[n % len(people)],
                    "client_id": f"staged-{n}",
                    "text": texts[(room_index * per_room + n) % len(texts)],
                    "created_at": now,
                    "updated_at": now,
                }
            )
    database = create_database(url)
    try:
        async with database.write_sessions() as session:
            for start in range(0, len(rows), 5000):
                await session.execute(insert(Answer), rows[start : start + 5000])
            await session.commit()
    finally:
        await database.dispose()
    return made


async def move_to_phase(base_url: str, layout: Layout, phase: str) -> None:
    """The organiser moves the meeting on (``report_back`` for the report-back scenario)."""
    async with httpx.AsyncClient(base_url=base_url, timeout=120) as http:
        http.headers["authorization"] = f"Bearer {layout.organiser.token}"
        await _ok(await http.post(f"/api/meetings/{layout.meeting_id}/phase", json={"phase": phase}))
