"""Replay a consultation through the public API and check what comes out of it.

Given a CSV of statements (a ``text`` column, or Polis's ``comment-body``; optional ``room``,
``author`` or Polis's ``author-id``, and ``claim``), the replay runs a meeting as its people would:

1. the organiser signs in, creates the meeting, one room per room of the file (or ``--rooms``
   rooms, filled in a seeded order), an open question allocated to every room, and the roster (a
   CSV import with each person's room); most people open their personal link, the rest join with
   the meeting code and are moved into their room by the organiser;
2. the meeting goes to its breakouts, the question is pushed in every room, and every person
   opens the socket (ticket, hello) and sends each of their statements as ``answer.submit``, as a
   phone does; every tenth command is sent again with the same id (a retry after a lost ack);
3. everyone upvotes a few answers of others in their room (``answer.vote``), the organiser writes
   and confirms a finding per room citing the room's most voted answer, and the meeting goes to
   report-back;
4. the plenary view and every report format are fetched (``report`` as JSON, Markdown, DOCX, PDF
   when the server has a writer, the answers as CSV and JSON) and checked:

   - every acknowledged answer is stored exactly once (answers JSON and CSV, the plenary's points
     and ungrouped answers, the report's annex), a retried command acknowledged with the same
     answer;
   - every provenance link is right: each answer under the room it was sent in, each finding
     under its room, each point's rooms the rooms of its members, "raised in n of m rooms" and
     each theme's rooms from its points, each room's answer count;
   - quoted text is verbatim (the plenary, the exports; the report's quotes and annex folded
     onto one line, as the report quotes);
   - votes as cast; no response >= 500 and no ``internal`` error frame;
   - with a ``claim`` column (statements of one claim and stance share a label), no point joins
     statements of two claims (a point made on shared function words of a language the merge has
     no word list for would).

Timings of each stage are printed, and progress while it runs. It drives a running server
(``--base-url`` with the organiser's ``--email`` and ``--password``) or starts one on a fresh
SQLite file (``--serve``).

    python -m bench.replay --serve --csv bench/data/replay/fr-consultation.csv
    python -m bench.replay --serve --csv /work/shared/data/polis --statements 2000 --rooms 50
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import csv
import functools
import io
import json
import math
import os
import random
import ssl
import sys
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from app.client.connection import CommandRefused, LiveClient
from app.plenary.curation import raised_in
from app.reports.answers_export import csv_cell

ROOT = Path(__file__).resolve().parents[1]
ROOM_PREFIX = "Room"
QUESTION_TEXT = "What should change first, and why?"
# A person writes a few statements: a room of 40 statements has about ten people.
STATEMENTS_PER_PERSON = 4
# Every n-th answer command is sent again with its id, as a phone does after a lost ack.
RETRY_EVERY = 10
# Sockets opened and links opened at once: a venue's phones arriving, not a stampede.
CONNECT_CONCURRENCY = 40
HTTP_TIMEOUT_S = 120  # a report of thousands of answers on a loaded machine
ACK_WAIT_S = 120
PROGRESS_EVERY_S = 2.0


# --- the statements ------------------------------------------------------------------------


@dataclass(frozen=True)
class Statement:
    text: str
    room: str | None = None
    author: str | None = None
    claim: str | None = None


TEXT_COLUMNS = ("text", "comment-body", "statement", "body")
AUTHOR_COLUMNS = ("author", "author-id", "author_id")


def _rows(path: Path) -> Iterator[dict[str, str]]:
    files = sorted(path.glob("*/comments.csv")) + sorted(path.glob("*.csv")) if path.is_dir() else [path]
    if not files:
        raise SystemExit(f"no CSV under {path}")
    for file in files:
        with file.open(newline="", encoding="utf-8-sig") as handle:
            for row in csv.DictReader(handle):
                yield {(k or "").strip().lower(): (v or "") for k, v in row.items()}


def read_statements(path: Path) -> list[Statement]:
    """The statements of a CSV file, or of every ``*/comments.csv`` (Polis) under a folder."""
    statements = []
    for row in _rows(path):
        text = next((row[c] for c in TEXT_COLUMNS if c in row), None)
        if text is None:
            raise SystemExit(f"{path}: no text column (one of {', '.join(TEXT_COLUMNS)})")
        if not text.strip():
            continue
        author = next((row[c] for c in AUTHOR_COLUMNS if row.get(c)), None)
        statements.append(Statement(text, row.get("room") or None, author, row.get("claim") or None))
    return statements


@dataclass
class Person:
    key: str
    name: str
    room: str
    statements: list[Statement] = field(default_factory=list)
    by_code: bool = False
    participant_id: str = ""
    http: httpx.AsyncClient | None = None
    client: LiveClient | None = None


@dataclass
class Plan:
    rooms: list[str]
    people: list[Person]

    @property
    def statements(self) -> int:
        return sum(len(p.statements) for p in self.people)


def plan_meeting(
    statements: list[Statement], *, count: int | None, rooms: int, code_share: float, seed: int, authors: bool = True
) -> Plan:
    """Rooms and people for ``count`` statements (the file's, repeated in order when it has
    fewer): each statement's own room and author when the file names them, else rooms filled in
    a seeded order and people of ``STATEMENTS_PER_PERSON`` statements each (also when
    ``authors`` is false)."""
    rng = random.Random(seed)
    chosen = [statements[i % len(statements)] for i in range(count or len(statements))]
    if all(s.room for s in chosen):
        room_names = list(dict.fromkeys(s.room or "" for s in chosen))
        placed = [(s.room or "", s) for s in chosen]
    else:
        room_names = [f"{ROOM_PREFIX} {n + 1}" for n in range(rooms)]
        order = list(range(len(chosen)))
        rng.shuffle(order)
        placed = [("", chosen[0])] * len(chosen)
        for turn, index in enumerate(order):
            placed[index] = (room_names[turn % rooms], chosen[index])
    by_room: dict[str, list[Statement]] = defaultdict(list)
    for room, statement in placed:
        by_room[room].append(statement)
    people: list[Person] = []
    for room in room_names:
        held = by_room[room]
        if authors and held and all(s.author for s in held):
            keys = [f"{s.author}" for s in held]
        else:
            size = max(1, math.ceil(len(held) / STATEMENTS_PER_PERSON))
            keys = [str(i % size) for i in range(len(held))]
        members: dict[str, Person] = {}
        for key, statement in zip(keys, held, strict=True):
            if key not in members:
                members[key] = Person(f"{room}/{key}", f"Replay {len(people) + len(members) + 1}", room)
            members[key].statements.append(statement)
        people.extend(members.values())
    for person in people:
        person.by_code = rng.random() < code_share
    return Plan(room_names, people)


# --- what the run records ----------------------------------------------------------------


@dataclass
class Acked:
    answer_id: str
    room_id: str
    text: str
    author: str
    claim: str | None


@dataclass
class Check:
    name: str
    ok: bool
    detail: str


@dataclass
class ReplayResult:
    meeting_id: str = ""
    statements: int = 0
    rooms: int = 0
    people: int = 0
    acked: int = 0
    refused: Counter[str] = field(default_factory=Counter)
    retries: int = 0
    votes: int = 0
    points: int = 0
    themes: int = 0
    ungrouped: int = 0
    multi_room_points: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    server_errors: list[str] = field(default_factory=list)
    waits: int = 0
    transport_retries: int = 0
    timings: dict[str, float] = field(default_factory=dict)
    checks: list[Check] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)

    @property
    def failures(self) -> list[Check]:
        return [c for c in self.checks if not c.ok]

    def check(self, name: str, problems: list[str], summary: str = "") -> None:
        detail = "; ".join(problems[:5]) + (f" (+{len(problems) - 5} more)" if len(problems) > 5 else "")
        self.checks.append(Check(name, not problems, detail or summary))

    def lines(self) -> list[str]:
        out = [
            f"meeting {self.meeting_id}: {self.statements} statements, {self.rooms} rooms, {self.people} people",
            f"acked {self.acked}, refused {dict(self.refused) or 0}, retried {self.retries}, votes {self.votes}",
            f"plenary: {self.points} points ({self.multi_room_points} in more than one room), {self.themes} themes, "
            f"{self.ungrouped} ungrouped",
            f"HTTP statuses {dict(sorted(self.statuses.items()))}, waited on 429/503 {self.waits} times, "
            f"requests sent again after a closed connection {self.transport_retries}",
            "timings: " + ", ".join(f"{k} {v:.1f} s" for k, v in self.timings.items()),
        ]
        out += [f"  [{'ok' if c.ok else 'FAIL'}] {c.name}: {c.detail}" for c in self.checks]
        return out


class Progress:
    """Prints one line every ``PROGRESS_EVERY_S`` while a stage runs (nothing when quiet)."""

    def __init__(self, say: Callable[[str], None]) -> None:
        self.say = say

    @contextlib.asynccontextmanager
    async def stage(self, result: ReplayResult, name: str, status: Callable[[], str]) -> AsyncIterator[None]:
        started = time.perf_counter()
        self.say(f"{name} …")

        async def tick() -> None:
            while True:
                await asyncio.sleep(PROGRESS_EVERY_S)
                self.say(f"  {name}: {status()} ({time.perf_counter() - started:.0f} s)")

        ticker = asyncio.create_task(tick())
        try:
            yield
        finally:
            ticker.cancel()
            result.timings[name] = time.perf_counter() - started
            self.say(f"{name}: {status()} in {result.timings[name]:.1f} s")


# --- HTTP ------------------------------------------------------------------------------------


@functools.cache
def _tls() -> ssl.SSLContext:
    """One TLS context for every person's client: building one loads the CA bundle, which cost
    more CPU than a person's whole join."""
    return ssl.create_default_context()


class Api:
    """HTTP calls of one person that wait out 429 and 503 (``Retry-After``) as a browser app
    does, and count every status; a response >= 500 other than 503 is recorded as a failure."""

    def __init__(self, base_url: str, result: ReplayResult, token: str | None = None) -> None:
        headers = {"authorization": f"Bearer {token}"} if token else {}
        self.http = httpx.AsyncClient(base_url=base_url, timeout=HTTP_TIMEOUT_S, headers=headers, verify=_tls())
        self.result = result

    async def call(
        self, method: str, path: str, *, expect: Iterable[int] = (200, 201), **kwargs: Any
    ) -> httpx.Response:
        for _ in range(30):
            try:
                response = await self.http.request(method, path, **kwargs)
            except (httpx.ReadError, httpx.RemoteProtocolError):
                # A kept-alive connection the server closed as the request left (its idle
                # timeout): nothing was read, and a browser sends the request again.
                self.result.transport_retries += 1
                response = await self.http.request(method, path, **kwargs)
            self.result.statuses[response.status_code] += 1
            if response.status_code in (429, 503):
                self.result.waits += 1
                await asyncio.sleep(min(float(response.headers.get("retry-after", "1")), 30))
                continue
            if response.status_code >= 500:
                self.result.server_errors.append(f"{method} {path}: {response.status_code} {response.text[:200]}")
            if response.status_code not in expect:
                raise RuntimeError(f"{method} {path}: {response.status_code} {response.text[:300]}")
            return response
        raise RuntimeError(f"{method} {path}: still refused after 30 waits")

    async def json(self, method: str, path: str, **kwargs: Any) -> Any:
        return (await self.call(method, path, **kwargs)).json()

    async def aclose(self) -> None:
        await self.http.aclose()


async def _gather_bounded(limit: int, jobs: Iterable[Callable[[], Any]]) -> list[Any]:
    semaphore = asyncio.Semaphore(limit)

    async def run(job: Callable[[], Any]) -> Any:
        async with semaphore:
            return await job()

    return await asyncio.gather(*(run(job) for job in jobs))


# --- the replay ------------------------------------------------------------------------------


@dataclass
class Meeting:
    id: str = ""
    question_id: str = ""
    rooms: dict[str, str] = field(default_factory=dict)  # name -> id
    acked: dict[str, Acked] = field(default_factory=dict)  # answer id -> what was sent
    votes: Counter[str] = field(default_factory=Counter)
    findings: dict[str, str] = field(default_factory=dict)  # finding id -> room id
    finding_texts: dict[str, str] = field(default_factory=dict)

    @property
    def room_names(self) -> dict[str, str]:
        return {room_id: name for name, room_id in self.rooms.items()}


async def replay(
    base_url: str,
    email: str,
    password: str,
    plan: Plan,
    *,
    votes_per_person: int = 2,
    seed: int = 7,
    say: Callable[[str], None] = lambda _line: None,
    title: str = "Replayed consultation",
) -> ReplayResult:
    result = ReplayResult(statements=plan.statements, rooms=len(plan.rooms), people=len(plan.people))
    progress = Progress(say)
    meeting = Meeting()
    organiser = Api(base_url, result)
    try:
        async with progress.stage(result, "prepare", lambda: f"{len(meeting.rooms)} rooms"):
            await _prepare(organiser, plan, meeting, title, email, password)
            result.meeting_id = meeting.id
        async with progress.stage(result, "join", lambda: f"{sum(p.http is not None for p in plan.people)} in"):
            await _join(base_url, organiser, plan, meeting, result)
        async with progress.stage(result, "breakouts", lambda: "rooms open"):
            await organiser.call("POST", f"/api/meetings/{meeting.id}/phase", json={"phase": "breakouts"})
            await _gather_bounded(
                CONNECT_CONCURRENCY,
                [
                    lambda room_id=room_id: organiser.call(
                        "POST", f"/api/rooms/{room_id}/questions/{meeting.question_id}/push"
                    )
                    for room_id in meeting.rooms.values()
                ],
            )
        async with progress.stage(
            result, "connect", lambda: f"{sum(p.client is not None for p in plan.people)} sockets"
        ):
            await _gather_bounded(
                CONNECT_CONCURRENCY, [lambda p=p: _connect(base_url, meeting, p) for p in plan.people]
            )
        async with progress.stage(
            result,
            "answer",
            lambda: f"{len(meeting.acked)}/{plan.statements} acked, refused {sum(result.refused.values())}",
        ):
            await asyncio.gather(*(_answer(person, meeting, result) for person in plan.people))
        result.acked = len(meeting.acked)
        async with progress.stage(result, "vote", lambda: f"{sum(meeting.votes.values())} votes acked"):
            await _vote(plan, meeting, result, votes_per_person, seed)
        async with progress.stage(result, "findings", lambda: f"{len(meeting.findings)} confirmed"):
            await _findings(organiser, meeting)
        async with progress.stage(result, "report-back", lambda: "rooms closed"):
            await organiser.call("POST", f"/api/meetings/{meeting.id}/phase", json={"phase": "report_back"})
        plenary: dict[str, Any] = {}
        async with progress.stage(result, "plenary", lambda: "view fetched" if plenary else "fetching"):
            plenary = await organiser.json("GET", f"/api/meetings/{meeting.id}/plenary")
        _check_plenary(plenary, meeting, result)
        async with progress.stage(result, "reports", lambda: "exports"):
            await _check_reports(organiser, meeting, result)
    finally:
        for person in plan.people:
            if person.client is not None:
                await person.client.close()
            if person.http is not None:
                await person.http.aclose()
        await organiser.aclose()
    result.check("no response >= 500", result.server_errors, f"{sum(result.statuses.values())} responses")
    return result


async def _prepare(organiser: Api, plan: Plan, meeting: Meeting, title: str, email: str, password: str) -> None:
    login = await organiser.json(
        "POST", "/api/auth/login", json={"email": email, "password": password, "session_delivery": "token"}
    )
    organiser.http.headers["authorization"] = f"Bearer {login['token']}"
    organiser.http.cookies.clear()
    meeting.id = (await organiser.json("POST", "/api/meetings", json={"title": title}))["id"]
    for name in plan.rooms:
        room = await organiser.json("POST", f"/api/meetings/{meeting.id}/rooms", json={"name": name})
        meeting.rooms[name] = room["id"]
    question = await organiser.json(
        "POST",
        f"/api/meetings/{meeting.id}/questions",
        json={"text": QUESTION_TEXT, "kind": "open", "visibility": "live"},
    )
    meeting.question_id = question["id"]
    room_ids = list(meeting.rooms.values())
    await organiser.call("PUT", f"/api/questions/{meeting.question_id}/allocations", json={"room_ids": room_ids})
    roster = io.StringIO()
    writer = csv.writer(roster)
    writer.writerow(["name", "email", "organisation", "gender", "role", "room"])
    for person in plan.people:
        if not person.by_code:
            writer.writerow([person.name, "", "", "", "participant", person.room])
    if any(not p.by_code for p in plan.people):
        report = await organiser.json(
            "POST",
            f"/api/meetings/{meeting.id}/participants/import",
            content=roster.getvalue().encode(),
            headers={"content-type": "text/csv"},
        )
        if report.get("errors"):
            raise RuntimeError(f"roster import refused rows: {report['errors'][:3]}")
    for phase in ("lobby", "plenary"):
        await organiser.call("POST", f"/api/meetings/{meeting.id}/phase", json={"phase": phase})


async def _join(base_url: str, organiser: Api, plan: Plan, meeting: Meeting, result: ReplayResult) -> None:
    links = await organiser.json("POST", f"/api/meetings/{meeting.id}/invites/roster", json={"roles": ["participant"]})
    by_name = {link["display_name"]: link for link in links["links"]}
    code = (await organiser.json("GET", f"/api/meetings/{meeting.id}"))["join_code"]

    async def enter(person: Person) -> None:
        anonymous = Api(base_url, result)
        try:
            if person.by_code:
                body = {"code": code, "display_name": person.name, "session_delivery": "token"}
                session = await anonymous.json("POST", "/api/join", json=body)
            else:
                token = by_name[person.name]["url"].rstrip("/").rsplit("/", 1)[1]
                session = await anonymous.json("POST", f"/api/invites/{token}/open", json={"session_delivery": "token"})
        finally:
            await anonymous.aclose()
        person.participant_id = session["participant_id"]
        if person.by_code:  # a walk-in: the organiser seats them
            await organiser.call(
                "POST",
                f"/api/participants/{person.participant_id}/move",
                json={"room_id": meeting.rooms[person.room], "force": True},
            )
        elif session.get("room_id") != meeting.rooms[person.room]:
            raise RuntimeError(f"{person.name} opened their link into room {session.get('room_id')}, not {person.room}")
        api = Api(base_url, result, session["token"])
        person.http = api.http

    await _gather_bounded(CONNECT_CONCURRENCY, [lambda p=p: enter(p) for p in plan.people])


async def _connect(base_url: str, meeting: Meeting, person: Person) -> None:
    assert person.http is not None
    client = LiveClient(base_url, person.http, meeting.id, name=f"r{uuid.uuid4().hex[:8]}")
    await client.connect()
    markers = await client.until_resumed(wait_s=60)
    room_stream = f"room:{meeting.rooms[person.room]}"
    if room_stream not in markers:
        raise RuntimeError(f"{person.name}'s socket follows {sorted(markers)}, not their room {person.room}")
    person.client = client


async def _answer(person: Person, meeting: Meeting, result: ReplayResult) -> None:
    assert person.client is not None
    room_id = meeting.rooms[person.room]
    for number, statement in enumerate(person.statements):
        command_id = person.client.new_id()
        fields = {"room_id": room_id, "question_id": meeting.question_id, "text": statement.text}
        try:
            answer = await person.client.command("answer.submit", id=command_id, wait_s=ACK_WAIT_S, **fields)
        except CommandRefused as refused:
            result.refused[refused.code] += 1
            if refused.code == "internal":
                result.server_errors.append(f"answer.submit: internal {refused.message}")
            continue
        meeting.acked[answer["id"]] = Acked(
            answer["id"], room_id, statement.text, person.participant_id, statement.claim
        )
        if number % RETRY_EVERY == RETRY_EVERY - 1 or (len(meeting.acked) % RETRY_EVERY == 0):
            again = await person.client.command("answer.submit", id=command_id, wait_s=ACK_WAIT_S, **fields)
            result.retries += 1
            if again["id"] != answer["id"]:
                result.server_errors.append(f"retry of {command_id} made answer {again['id']}, not {answer['id']}")


async def _vote(plan: Plan, meeting: Meeting, result: ReplayResult, per_person: int, seed: int) -> None:
    rng = random.Random(seed)
    by_room: dict[str, list[Acked]] = defaultdict(list)
    for acked in meeting.acked.values():
        by_room[acked.room_id].append(acked)

    async def cast(person: Person, answers: list[Acked]) -> None:
        assert person.client is not None
        for acked in answers:
            try:
                await person.client.command("answer.vote", answer_id=acked.answer_id, wait_s=ACK_WAIT_S)
            except CommandRefused as refused:
                result.refused[f"vote:{refused.code}"] += 1
                continue
            meeting.votes[acked.answer_id] += 1
            result.votes += 1

    jobs = []
    for person in plan.people:
        others = [a for a in by_room[meeting.rooms[person.room]] if a.author != person.participant_id]
        jobs.append(cast(person, rng.sample(others, min(per_person, len(others)))))
    await asyncio.gather(*jobs)


async def _findings(organiser: Api, meeting: Meeting) -> None:
    """A confirmed finding per room, citing the room's most voted answer in its words."""
    top: dict[str, Acked] = {}
    for acked in meeting.acked.values():
        best = top.get(acked.room_id)
        if best is None or meeting.votes[acked.answer_id] > meeting.votes[best.answer_id]:
            top[acked.room_id] = acked
    for room_id, acked in top.items():
        text = f"The room's most supported answer: {acked.text}"[:2000]
        body = {"text": text, "question_id": meeting.question_id, "answer_ids": [acked.answer_id]}
        finding = await organiser.json("POST", f"/api/rooms/{room_id}/findings", json=body)
        for step in ("propose", "confirm"):
            await organiser.call("POST", f"/api/findings/{finding['id']}/{step}")
        meeting.findings[finding["id"]] = room_id
        meeting.finding_texts[finding["id"]] = finding["text"]  # as acknowledged (trimmed)


# --- the checks ------------------------------------------------------------------------------


def _check_plenary(plenary: dict[str, Any], meeting: Meeting, result: ReplayResult) -> None:
    names = meeting.room_names
    questions = [q for theme in plenary["themes"] for q in theme["questions"]]
    found = [q for q in questions if q["question"]["id"] == meeting.question_id]
    if len(found) != 1:
        result.check("plenary: the question once", [f"the question appears {len(found)} times"])
        return
    question = found[0]
    rooms_answered = len({a.room_id for a in meeting.acked.values()})
    seen: Counter[str] = Counter()
    provenance: list[str] = []
    raised: list[str] = []
    members = [(group, m) for group in question["groups"] for m in group["members"]]
    members += [(None, m) for m in question["ungrouped"]]
    for _group, member in members:
        if member["kind"] == "answer":
            seen[member["id"]] += 1
            acked = meeting.acked.get(member["id"])
            if acked is None:
                provenance.append(f"answer {member['id']} was never acknowledged")
                continue
            if member["room_id"] != acked.room_id or member["room_name"] != names[acked.room_id]:
                provenance.append(f"answer {member['id']} under {member['room_name']}, sent in {names[acked.room_id]}")
            if member["text"] != acked.text:
                provenance.append(f"answer {member['id']} reads {member['text'][:60]!r}, sent {acked.text[:60]!r}")
            if member["answer_ids"][:1] != [member["id"]]:
                provenance.append(f"answer {member['id']} rests on {member['answer_ids']}")
        else:
            room_id = meeting.findings.get(member["id"])
            if room_id is None or member["room_id"] != room_id:
                provenance.append(f"finding {member['id']} under room {member['room_id']}, written in {room_id}")
            elif member["text"] != meeting.finding_texts[member["id"]]:
                provenance.append(f"finding {member['id']} not verbatim")
    once = [f"{k} {n} times" for k, n in seen.items() if n != 1]
    once += [f"{k} missing" for k in meeting.acked if k not in seen]
    result.check("plenary: every acked answer once", once, f"{len(seen)} answers")
    result.check("plenary: provenance and verbatim text", provenance, f"{len(members)} members")
    group_rooms: dict[str, set[str]] = {}
    for group in question["groups"]:
        rooms = {m["room_id"] for m in group["members"]}
        group_rooms[group["id"]] = rooms
        listed = {r["id"] for r in group["rooms"]}
        expected = raised_in(len(rooms), rooms_answered)
        if listed != rooms or group["room_count"] != len(rooms) or group["raised_in"] != expected:
            raised.append(f"point {group['label'][:40]!r}: {group['raised_in']}, members in {len(rooms)} rooms")
        if group["rooms_answered"] != rooms_answered:
            raised.append(
                f"point {group['label'][:40]!r}: of {group['rooms_answered']} rooms, {rooms_answered} answered"
            )
    for theme in question.get("point_themes", []):
        rooms = set().union(*(group_rooms.get(g, set()) for g in theme["group_ids"]))
        if {r["id"] for r in theme["rooms"]} != rooms or theme["raised_in"] != raised_in(len(rooms), rooms_answered):
            raised.append(f"theme {theme['label'][:40]!r}: {theme['raised_in']}, its points in {len(rooms)} rooms")
    counts = Counter(a.room_id for a in meeting.acked.values())
    for column in question["rooms"]:
        room_id = column["room"]["id"]
        if column["answers"] != counts[room_id]:
            raised.append(f"{column['room']['name']}: {column['answers']} answers, {counts[room_id]} acked")
        for answer in column["top_answers"]:
            if answer["room_id"] != room_id or meeting.acked.get(answer["id"], None) is None:
                raised.append(f"{column['room']['name']}: top answer {answer['id']} of another room")
            elif answer["votes"] != meeting.votes[answer["id"]]:
                raised.append(f"top answer {answer['id']}: {answer['votes']} votes, {meeting.votes[answer['id']]} cast")
    result.check("plenary: raised in n of m rooms, room counts", raised, f"{len(question['groups'])} points")
    result.points = len(question["groups"])
    result.themes = len(question.get("point_themes", []))
    result.ungrouped = len(question["ungrouped"])
    result.multi_room_points = sum(1 for rooms in group_rooms.values() if len(rooms) > 1)
    result.labels = [g["label"] for g in question["groups"]]
    if any(a.claim for a in meeting.acked.values()):
        mixed = []
        for group in question["groups"]:
            claims = {meeting.acked[m["id"]].claim for m in group["members"] if m["id"] in meeting.acked}
            if len(claims) > 1:
                mixed.append(f"{group['label'][:40]!r} joins claims {sorted(str(c) for c in claims)}")
        result.check("plenary: no point joins two claims", mixed, f"{result.points} points")


async def _check_reports(organiser: Api, meeting: Meeting, result: ReplayResult) -> None:
    base = f"/api/meetings/{meeting.id}"
    names = meeting.room_names
    problems: list[str] = []
    started = time.perf_counter()
    rows = await organiser.json("GET", f"{base}/answers.json")
    result.timings["answers.json"] = time.perf_counter() - started
    problems += _check_rows("answers.json", rows, meeting, names, lambda text: text)
    started = time.perf_counter()
    response = await organiser.call("GET", f"{base}/answers.csv")
    result.timings["answers.csv"] = time.perf_counter() - started
    csv_rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    problems += _check_rows("answers.csv", csv_rows, meeting, names, csv_cell)
    result.check(
        "exports: every acked answer once, in its room, verbatim, votes as cast", problems, f"{len(rows)} rows"
    )

    started = time.perf_counter()
    report = await organiser.json("GET", f"{base}/report")
    result.timings["report (JSON)"] = time.perf_counter() - started
    quoted: list[str] = []
    for note in report["notes"]:
        for quote in note["quotes"]:
            acked = meeting.acked.get(quote["answer_id"])
            if acked is None or quote["text"] != folded(acked.text) or quote["room_name"] != names[acked.room_id]:
                quoted.append(f"note {note['number']} quotes {quote['answer_id']} as {quote['text'][:50]!r}")
    annex: Counter[str] = Counter()
    for room in report["annex"]:
        for question in room["questions"]:
            for answer in question["answers"]:
                annex[answer["id"]] += 1
                acked = meeting.acked.get(answer["id"])
                if acked is None or room["room_name"] != names[acked.room_id] or answer["text"] != folded(acked.text):
                    quoted.append(f"annex: {answer['id']} under {room['room_name']}")
    quoted += [f"annex holds {k} {annex[k]} times" for k in meeting.acked if annex[k] != 1]
    for theme in report["themes"]:
        for question in theme["questions"]:
            for group in question["groups"]:
                rooms = {names[meeting.acked[a].room_id] for a in group["member_answer_ids"] if a in meeting.acked}
                rooms |= {names[meeting.findings[f]] for f in group["member_finding_ids"] if f in meeting.findings}
                if set(group["rooms"]) != rooms or group["room_count"] != len(rooms):
                    quoted.append(f"report point {group['label'][:40]!r}: rooms {group['rooms']}, members in {rooms}")
    result.check("report: quotes verbatim, annex once, points' rooms", quoted, f"{len(report['notes'])} notes")

    formats: list[str] = []
    started = time.perf_counter()
    markdown = await organiser.call("GET", f"{base}/report.md")
    result.timings["report.md"] = time.perf_counter() - started
    if not markdown.text.strip():
        formats.append("report.md is empty")
    started = time.perf_counter()
    docx = await organiser.call("GET", f"{base}/report.docx")
    result.timings["report.docx"] = time.perf_counter() - started
    if not docx.content.startswith(b"PK"):
        formats.append("report.docx is not a DOCX (zip) file")
    started = time.perf_counter()
    pdf = await organiser.call("GET", f"{base}/report.pdf", expect=(200, 501))
    result.timings["report.pdf"] = time.perf_counter() - started
    if pdf.status_code == 200 and not pdf.content.startswith(b"%PDF"):
        formats.append("report.pdf is not a PDF")
    pdf_note = "pdf" if pdf.status_code == 200 else "pdf 501 (no writer on the server)"
    result.check(
        "report formats build", formats, f"md {len(markdown.content)} B, docx {len(docx.content)} B, {pdf_note}"
    )


def folded(text: str) -> str:
    """An answer as the report quotes it: verbatim, folded onto one line (docs/reports.md)."""
    return " ".join(text.split())


def _check_rows(
    name: str, rows: list[dict[str, Any]], meeting: Meeting, names: dict[str, str], cell: Callable[[str], str]
) -> list[str]:
    problems = []
    seen = Counter(str(row["answer_id"]) for row in rows)
    problems += [f"{name}: {k} {n} times" for k, n in seen.items() if n != 1]
    problems += [f"{name}: {k} missing" for k in meeting.acked if k not in seen]
    for row in rows:
        acked = meeting.acked.get(str(row["answer_id"]))
        if acked is None:
            problems.append(f"{name}: {row['answer_id']} was never acknowledged")
            continue
        if row["room"] != names[acked.room_id]:
            problems.append(f"{name}: {row['answer_id']} under {row['room']}, sent in {names[acked.room_id]}")
        if row["text"] != cell(acked.text):
            problems.append(f"{name}: {row['answer_id']} reads {str(row['text'])[:50]!r}")
        if int(row["votes"]) != meeting.votes[acked.answer_id]:  # the CSV's cells are text
            problems.append(
                f"{name}: {row['answer_id']} has {row['votes']} votes, {meeting.votes[acked.answer_id]} cast"
            )
    return problems


# --- running it --------------------------------------------------------------------------------


@contextlib.asynccontextmanager
async def local_server(
    directory: Path, before_start: Callable[[str], Awaitable[None]] | None = None
) -> AsyncIterator[tuple[str, str, str]]:
    """A server of this checkout on a fresh SQLite file, as the benchmark runs it
    (``bench.servers.running``): its base URL and the organiser's email and password. Its log is
    ``server.log`` in ``directory``. ``before_start`` gets the database's URL once it is migrated
    (to add what the API cannot, such as a second account)."""
    from bench.servers import SERVERS, running
    from bench.stage import ORGANISER_EMAIL, ORGANISER_PASSWORD, prepare_database

    url = await prepare_database(directory / "replay.db")
    if before_start is not None:
        await before_start(url)
    # The server serves the API only: no built frontend is needed.
    with running(
        SERVERS["breakouts"], None, directory / "server.log", database_url=url,
        extra_env={"BREAKOUTS_STATIC_DIR": "/nonexistent-static-dir"},
    ) as server:  # fmt: skip
        yield server.base_url, ORGANISER_EMAIL, ORGANISER_PASSWORD


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.replay", description=__doc__.split("\n\n")[0])
    parser.add_argument("--csv", type=Path, required=True, help="a CSV file, or a folder of Polis */comments.csv")
    parser.add_argument("--statements", type=int, help="how many (the file's, repeated in order if it has fewer)")
    parser.add_argument("--rooms", type=int, default=10, help="rooms, when the file names none")
    parser.add_argument("--code-share", type=float, default=0.2, help="share of people joining with the code")
    parser.add_argument(
        "--no-authors",
        action="store_true",
        help=f"ignore the author column: {STATEMENTS_PER_PERSON} statements a person",
    )
    parser.add_argument("--votes", type=int, default=2, help="upvotes per person")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--serve", action="store_true", help="start a server of this checkout on a fresh SQLite file")
    parser.add_argument("--keep", type=Path, help="with --serve: keep its database and log here")
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--email", default=os.environ.get("BREAKOUTS_REPLAY_EMAIL", ""))
    parser.add_argument("--password", default=os.environ.get("BREAKOUTS_REPLAY_PASSWORD", ""))
    parser.add_argument("--json", type=Path, help="write the result here")
    return parser.parse_args(argv)


async def _main(args: argparse.Namespace) -> int:
    plan = plan_meeting(
        read_statements(args.csv),
        count=args.statements,
        rooms=args.rooms,
        code_share=args.code_share,
        seed=args.seed,
        authors=not args.no_authors,
    )

    def say(line: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {line}", file=sys.stderr, flush=True)

    say(f"{plan.statements} statements, {len(plan.rooms)} rooms, {len(plan.people)} people")
    cpu = time.process_time()
    async with contextlib.AsyncExitStack() as stack:
        if args.serve:
            directory = args.keep or Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="replay-")))
            directory.mkdir(parents=True, exist_ok=True)
            base_url, email, password = await stack.enter_async_context(local_server(directory))
        else:
            base_url, email, password = args.base_url, args.email, args.password
        result = await replay(
            base_url, email, password, plan, votes_per_person=args.votes, seed=args.seed, say=say,
            title=f"Replay of {args.csv.name}",
        )  # fmt: skip
    result.timings["replay tool CPU"] = time.process_time() - cpu
    for line in result.lines():
        print(line)
    print("labels of the largest points: " + " | ".join(result.labels[:12]))
    if args.json:
        args.json.write_text(
            json.dumps(result.__dict__, default=lambda o: o.__dict__ if hasattr(o, "__dict__") else str(o), indent=1)
        )
    return 1 if result.failures else 0


def main(argv: list[str] | None = None) -> int:
    return asyncio.run(_main(_arguments(argv)))


if __name__ == "__main__":
    raise SystemExit(main())
