"""Hostile input on every door: every REST operation of ``/openapi.json`` and the socket protocol,
fed weird ids, bodies, queries, headers and frames by every kind of caller.

The scene: meeting A (organiser A) with rooms 1 and 2, an open question live in both, a
participant in each room, a moderator of room 2, an answer in each room and a finding in room 1;
meeting B of organiser B with its own room, question and answer. Each answer's text carries a
marker. Callers: anonymous, the participant of room 1, the moderator of room 2, organiser B.

REST: each operation with each path parameter set to a weird value (not a UUID, the nil UUID,
another meeting's id, 5,000 characters, an encoded path, full-width digits …), then with weird
bodies (a list, a string, null, deep nesting, bytes that are not UTF-8, 1 MB) under several
content types, and weird queries and headers. Expected: a 4xx in the error shape
(``{code, message, details}``) or a 2xx, never a 5xx, and no response to a caller carrying a
marker they may not read (room 2's answer to room 1's participant, meeting A's to organiser B).

Socket: as room 1's participant, frames that are not JSON, of wrong types, of unknown commands,
too big, binary, with other rooms' and meetings' ids, hellos with foreign, negative, huge or
out-of-order cursors, reused command ids, a flood; replayed tickets and another meeting's ticket.
Expected: an ``error`` frame with a code (or an ``ack`` for what is allowed), the socket still
answering a ping, or a documented close code; never 1011 or a dropped connection, and no frame
carrying a marker of another room.

    python -m bench.hostile --serve
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import json
import re
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.typing import Subprotocol

from app.client.connection import websocket_url
from bench.hostile_fields import NIL, SWEEP_LAST, base_body, body_schema, fill, hostile_bodies
from bench.replay import Api, ReplayResult, local_server
from bench.stage import add_organiser

WEIRD_IDS = [
    "not-a-uuid",
    NIL,
    "0",
    "-1",
    "1e309",
    "x" * 5000,
    "%2e%2e%2f%2e%2e%2fapi",
    "\uff11\uff12\uff13",  # full-width digits
    "%00",
    "{{7*7}}",
    "'; DROP TABLE answers; --",
    "d8f5b6c2-1f4e-4b8a-9c3d-2e1f0a9b8c7dX",
]
WEIRD_BODIES: list[tuple[str, bytes]] = [
    ("list", b"[]"),
    ("string", b'"x"'),
    ("null", b"null"),
    ("number", b"1e400"),
    ("big integer", b'{"position": ' + b"9" * 5000 + b"}"),
    ("deep", b'{"a":' * 5000 + b"1" + b"}" * 5000),
    ("not utf-8", b'{"text": "\xff\xfe"}'),
    ("broken json", b'{"text": '),
    ("megabyte", b'{"text": "' + b"a" * 1_000_000 + b'"}'),
    ("lone surrogate", b'{"text": "\\ud800", "name": "\\ud800", "title": "\\ud800"}'),
    ("wrong types", b'{"text": 1, "name": [], "title": {}, "room_ids": "x", "phase": 7, "room_id": 5}'),
    ("nan", b'{"scale_value": NaN, "position": Infinity, "capacity": -Infinity}'),
]
CONTENT_TYPES = [
    "application/json",
    "application/json; charset=latin-1",
    "text/plain",
    "multipart/form-data; boundary=x",
    "text/csv",
    "application/x-yaml",
]
WEIRD_QUERIES = ["meeting_id=not-a-uuid&stream=room:x", "stream=" + "x" * 5000, "meeting_id=%00", "a=1&a=2&" * 200]
WEIRD_HEADERS: list[dict[str, str]] = [
    {"authorization": "Bearer " + "x" * 4000},
    {"authorization": "Basic Zm9vOmJhcg=="},
    {"authorization": "Bearer"},
    {"cookie": "breakouts_session=" + "%" * 3000},
    {"accept-encoding": "br;q=NaN, gzip;q=-1"},
    {"accept-language": "xx-" * 500},
    {"if-none-match": '"' + "x" * 4000 + '"'},
    {"range": "bytes=99999999-"},
]
# Closes the protocol documents (docs/realtime.md); 1011 and a drop without a close are bugs.
DOCUMENTED_CLOSES = {1000, 1001, 1008, 1009, 4400, 4401, 4403, 4408, 4409, 4429}


@dataclass
class Caller:
    name: str
    api: Api
    forbidden_markers: list[str]  # texts this caller may never receive


@dataclass
class Scene:
    meeting: str = ""
    rooms: list[str] = field(default_factory=list)
    question: str = ""
    answers: list[str] = field(default_factory=list)
    markers: list[str] = field(default_factory=list)  # room 1's, room 2's, meeting B's
    finding: str = ""
    other_meeting: str = ""
    other_room: str = ""
    other_question: str = ""
    other_answer: str = ""
    callers: list[Caller] = field(default_factory=list)
    participant_token: str = ""
    other_participant_token: str = ""  # a participant of meeting B
    # Meeting C: organiser A's second meeting, where the field sweep may write.
    organiser: Api | None = None
    own: dict[str, str] = field(default_factory=dict)  # meeting C's ids by field name
    own_participant: Api | None = None
    projector_token: str = ""  # meeting A's projector link
    report_token: str = ""  # meeting A's shared report link


@dataclass
class HostileResult:
    requests: int = 0
    frames: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    def problem(self, text: str) -> None:
        if text not in self.problems:
            self.problems.append(text)


async def _open(base_url: str, result: ReplayResult, token: str) -> Api:
    opened = await Api(base_url, result).json("POST", f"/api/invites/{token}/open", json={"session_delivery": "token"})
    return Api(base_url, result, opened["token"])


async def _stage_meeting(organiser: Api, title: str, rooms: int) -> tuple[str, list[str], str]:
    meeting = (await organiser.json("POST", "/api/meetings", json={"title": title}))["id"]
    room_ids = [
        (await organiser.json("POST", f"/api/meetings/{meeting}/rooms", json={"name": f"Room {n + 1}"}))["id"]
        for n in range(rooms)
    ]
    question = (await organiser.json("POST", f"/api/meetings/{meeting}/questions", json={"text": "Why?"}))["id"]
    await organiser.call("PUT", f"/api/questions/{question}/allocations", json={"room_ids": room_ids})
    for phase in ("lobby", "plenary", "breakouts"):
        await organiser.call("POST", f"/api/meetings/{meeting}/phase", json={"phase": phase})
    for room in room_ids:
        await organiser.call("POST", f"/api/rooms/{room}/questions/{question}/push")
    return meeting, room_ids, question


async def _person(organiser: Api, base_url: str, meeting: str, role: str, room: str) -> Api:
    invite = await organiser.json("POST", f"/api/meetings/{meeting}/invites", json={"role": role, "room_id": room})
    token = invite["url"].rstrip("/").rsplit("/", 1)[1]
    opened = await Api(base_url, organiser.result).json(
        "POST", f"/api/invites/{token}/open", json={"display_name": f"{role} {room[:4]}", "session_delivery": "token"}
    )
    return Api(base_url, organiser.result, opened["token"])


async def _login(base_url: str, result: ReplayResult, email: str, password: str) -> Api:
    api = Api(base_url, result)
    login = await api.json(
        "POST", "/api/auth/login", json={"email": email, "password": password, "session_delivery": "token"}
    )
    api.http.headers["authorization"] = f"Bearer {login['token']}"
    api.http.cookies.clear()
    return api


async def _stage_own_meeting(base_url: str, organiser: Api, scene: Scene) -> None:
    """Meeting C of organiser A: two rooms, a live question, a participant with an answer, a
    finding citing it, an agenda item, a timer, a help call and a raised hand."""
    meeting, rooms, question = await _stage_meeting(organiser, "Hostile C", 2)
    participant = await _person(organiser, base_url, meeting, "participant", rooms[0])
    me = await participant.json("GET", f"/api/meetings/{meeting}/participants/me")
    answer = await participant.json(
        "POST",
        f"/api/rooms/{rooms[0]}/questions/{question}/answers",
        json={"text": "an answer of meeting C", "client_id": uuid.uuid4().hex},
    )
    finding = await organiser.json(
        "POST", f"/api/rooms/{rooms[0]}/findings", json={"text": "a finding", "answer_ids": [answer["id"]]}
    )
    item = await organiser.json("POST", f"/api/meetings/{meeting}/agenda", json={"title": "Welcome"})
    timer = await organiser.json("POST", f"/api/meetings/{meeting}/timers", json={"room_id": rooms[0], "seconds": 600})
    help_call = await participant.json("POST", f"/api/rooms/{rooms[0]}/help", json={})
    hand = await participant.json("POST", f"/api/rooms/{rooms[0]}/hands")
    scene.organiser, scene.own_participant = organiser, participant
    scene.own = {
        "meeting_id": meeting,
        "room_id": rooms[0],
        "target_room_id": rooms[1],
        "question_id": question,
        "answer_id": answer["id"],
        "finding_id": finding["id"],
        "participant_id": me["id"],
        "item_id": item["id"],
        "timer_id": timer["id"],
        "help_id": help_call["id"],
        "hand_id": hand["id"],
    }


async def stage(base_url: str, first: tuple[str, str], second: tuple[str, str]) -> Scene:
    result = ReplayResult()
    scene = Scene()
    organiser_a = await _login(base_url, result, *first)
    organiser_b = await _login(base_url, result, *second)
    scene.meeting, scene.rooms, scene.question = await _stage_meeting(organiser_a, "Hostile A", 2)
    scene.other_meeting, other_rooms, scene.other_question = await _stage_meeting(organiser_b, "Hostile B", 1)
    scene.other_room = other_rooms[0]
    participant_1 = await _person(organiser_a, base_url, scene.meeting, "participant", scene.rooms[0])
    participant_2 = await _person(organiser_a, base_url, scene.meeting, "participant", scene.rooms[1])
    moderator_2 = await _person(organiser_a, base_url, scene.meeting, "moderator", scene.rooms[1])
    participant_b = await _person(organiser_b, base_url, scene.other_meeting, "participant", scene.other_room)
    scene.participant_token = participant_1.http.headers["authorization"].split(" ", 1)[1]
    scene.markers = [f"MARKER-{label}-{uuid.uuid4().hex}" for label in ("room1", "room2", "meetingB")]
    for api, room, question, marker in (
        (participant_1, scene.rooms[0], scene.question, scene.markers[0]),
        (participant_2, scene.rooms[1], scene.question, scene.markers[1]),
        (participant_b, scene.other_room, scene.other_question, scene.markers[2]),
    ):
        answer = await api.json(
            "POST",
            f"/api/rooms/{room}/questions/{question}/answers",
            json={"text": f"{marker} an answer", "client_id": uuid.uuid4().hex},
        )
        scene.answers.append(answer["id"])
    scene.other_answer = scene.answers.pop()
    scene.other_participant_token = participant_b.http.headers["authorization"].split(" ", 1)[1]
    await _stage_own_meeting(base_url, organiser_a, scene)
    for link in ("projector-link", "report-link"):
        opened = await organiser_a.json("POST", f"/api/meetings/{scene.meeting}/{link}")
        token = opened["url"].rstrip("/").rsplit("/", 1)[1]
        if link == "projector-link":
            scene.projector_token = token
        else:
            scene.report_token = token
    finding = await organiser_a.json(
        "POST",
        f"/api/rooms/{scene.rooms[0]}/findings",
        json={"text": f"{scene.markers[0]} a finding", "answer_ids": [scene.answers[0]]},
    )
    scene.finding = finding["id"]
    scene.callers = [
        Caller("anonymous", Api(base_url, result), scene.markers),
        Caller("participant of room 1", participant_1, [scene.markers[1], scene.markers[2]]),
        Caller("moderator of room 2", moderator_2, [scene.markers[2]]),
        Caller("organiser of meeting B", organiser_b, [scene.markers[0], scene.markers[1]]),
    ]
    return scene


# --- REST -----------------------------------------------------------------------------------


def _operations(document: dict[str, Any]) -> list[tuple[str, str, list[str]]]:
    operations = []
    for path, methods in document["paths"].items():
        if not path.startswith("/api/"):
            continue
        for method in methods:
            # Signing out would leave the rest of the run anonymous; it has tests of its own.
            if method in ("get", "post", "put", "patch", "delete") and path != "/api/auth/logout":
                operations.append((method.upper(), path, re.findall(r"{(\w+)}", path)))
    return operations


def _valid_ids(scene: Scene) -> dict[str, str]:
    return {
        "meeting_id": scene.meeting,
        "room_id": scene.rooms[0],
        "question_id": scene.question,
        "answer_id": scene.answers[0],
        "finding_id": scene.finding,
    }


def _other_ids(scene: Scene) -> dict[str, str]:
    return {
        "meeting_id": scene.other_meeting,
        "room_id": scene.other_room,
        "question_id": scene.other_question,
        "answer_id": scene.other_answer,
    }


async def _send(
    caller: Caller,
    result: HostileResult,
    method: str,
    url: str,
    *,
    content: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> int | None:
    try:
        try:
            response = await caller.api.http.request(method, url, content=content, headers=headers)
        except (httpx.ReadError, httpx.RemoteProtocolError):  # a kept-alive connection closed as it left
            response = await caller.api.http.request(method, url, content=content, headers=headers)
    except httpx.HTTPError as error:
        result.problem(f"{caller.name} {method} {url[:100]}: no response ({type(error).__name__})")
        return None
    result.requests += 1
    result.statuses[response.status_code] += 1
    where = f"{caller.name} {method} {url[:100]}"
    if response.status_code >= 500 and response.status_code != 503:
        result.problem(f"{where}: {response.status_code} {response.text[:160]}")
    if 400 <= response.status_code < 600:
        try:
            body = response.json()
            shaped = isinstance(body, dict) and {"code", "message", "details"} <= set(body)
        except ValueError:
            shaped = False
        if not shaped:
            result.problem(f"{where}: {response.status_code} not in the error shape: {response.text[:120]}")
    text = response.content.decode("utf-8", errors="replace")
    for marker in caller.forbidden_markers:
        if marker in text:
            result.problem(f"{where}: {response.status_code} carries {marker.split('-')[1]}'s marker")
    return response.status_code


async def probe_rest(base_url: str, scene: Scene, result: HostileResult, say: Callable[[str], None]) -> None:
    async with httpx.AsyncClient(base_url=base_url) as http:
        document = (await http.get("/openapi.json")).json()
    operations = _operations(document)
    valid, other = _valid_ids(scene), _other_ids(scene)
    jobs: list[tuple[Caller, str, str, bytes | None, dict[str, str]]] = []
    for method, path, params in operations:
        for caller in scene.callers:
            variants = [valid, other] + [dict.fromkeys(params, weird) for weird in WEIRD_IDS] if params else [valid]
            for values in variants:
                jobs.append((caller, method, fill(path, values), b"{}", {"content-type": "application/json"}))
            if method != "GET":
                for _label, body in WEIRD_BODIES:
                    jobs.append((caller, method, fill(path, valid), body, {"content-type": "application/json"}))
                for content_type in CONTENT_TYPES[1:]:
                    jobs.append((caller, method, fill(path, valid), b"{}\xff", {"content-type": content_type}))
            else:
                for query in WEIRD_QUERIES:
                    jobs.append((caller, method, f"{fill(path, valid)}?{query}", None, {}))
        for headers in WEIRD_HEADERS:
            jobs.append(
                (scene.callers[1], method, fill(path, valid), b"{}", {"content-type": "application/json", **headers})
            )
    say(f"REST: {len(operations)} operations, {len(jobs)} requests")
    semaphore = asyncio.Semaphore(8)
    done = 0

    async def run(job: tuple[Caller, str, str, bytes | None, dict[str, str]]) -> None:
        nonlocal done
        caller, method, url, content, headers = job
        async with semaphore:
            await _send(caller, result, method, url, content=content, headers=headers)
        done += 1
        if done % 1000 == 0:
            say(f"  REST: {done}/{len(jobs)}, {len(result.problems)} problems")

    await asyncio.gather(*(run(job) for job in jobs))


# --- fields, foreign ids inside own paths, links and credentials --------------------------

LINK_PATHS = {
    "invite": ["/api/invites/{token}"],
    "projector": ["/api/projector/{token}", "/api/projector/{token}/snapshot", "/api/projector/{token}/questions"],
    "report": ["/api/reports/{token}", "/api/reports/{token}/answers.csv"],
}


def _mixed_paths(path: str, params: list[str], own: dict[str, str], other: dict[str, str]) -> list[str]:
    """``path`` with the caller's own ids but one of them another meeting's, one at a time."""
    return [fill(path, {**own, param: other[param]}) for param in params if param in other and len(params) > 1]


def _wrong_tokens(token: str) -> list[str]:
    return [
        token[:-1],
        token + "A",
        token + "=",
        token.lower() if token != token.lower() else token.upper(),
        token[: len(token) // 2],
        "A" * 600,
        token.replace(token[0], "\u00e9", 1),
        token + "%00",
        token + "/..",
    ]


async def _send_expecting_refusal(caller: Caller, result: HostileResult, method: str, url: str, body: bytes) -> None:
    status = await _send(caller, result, method, url, content=body, headers={"content-type": "application/json"})
    if status is not None and status < 300:
        result.problem(f"{caller.name} {method} {url[:120]}: {status}, accepted another meeting's id")


async def probe_fields(base_url: str, scene: Scene, result: HostileResult, say: Callable[[str], None]) -> None:
    assert scene.organiser is not None and scene.own_participant is not None
    async with httpx.AsyncClient(base_url=base_url) as http:
        document = (await http.get("/openapi.json")).json()
    other = {**_other_ids(scene), "target_room_id": scene.other_room}
    organiser = Caller("organiser A in meeting C", scene.organiser, [scene.markers[2]])
    participant = Caller("participant of meeting C", scene.own_participant, scene.markers)
    operations = sorted(_operations(document), key=lambda o: o[1].endswith(SWEEP_LAST))
    megabytes_20 = b'{"x": "' + b"a" * 20_000_000 + b'"}'
    jobs: list[tuple[Caller, str, str, bytes | None, dict[str, str], bool]] = []
    for method, path, params in operations:
        operation = document["paths"][path][method.lower()]
        schema = body_schema(document, operation)
        url = fill(path, scene.own)
        for mixed in _mixed_paths(path, params, scene.own, other):
            jobs.append((organiser, method, mixed, b"{}", {"content-type": "application/json"}, True))
        if params and all(param in other for param in params):
            jobs.append((organiser, method, fill(path, other), b"{}", {"content-type": "application/json"}, True))
        if schema is None:
            continue
        for label, body in hostile_bodies(document, schema, scene.own, other):
            must_refuse = label.endswith("another meeting's")
            for caller in (organiser, participant):
                jobs.append((caller, method, url, body, {"content-type": "application/json"}, must_refuse))
        base = json.dumps(base_body(document, schema, scene.own)).encode()
        for content_type, content in (
            ("application/json; charset=utf-16", base.decode().encode("utf-16")),
            ("application/merge-patch+json", base),
            ("APPLICATION/JSON", base),
            ("application/json", b""),
            ("application/json", b" " * 100_000 + base),
            ("application/json", megabytes_20),
        ):
            jobs.append((organiser, method, url, content, {"content-type": content_type}, False))
    say(f"fields: {len(jobs)} requests")
    # One at a time: the sweep's writes must not race (a phase change would hide later cases).
    for caller, method, url, payload, headers, must_refuse in jobs:
        if must_refuse:
            await _send_expecting_refusal(caller, result, method, url, payload or b"")
        else:
            await _send(caller, result, method, url, content=payload, headers=headers)
    say("fields: every GET of meeting C again")
    for method, path, _params in _operations(document):
        if method == "GET":
            for caller in (organiser, participant):
                await _send(caller, result, method, fill(path, scene.own))


async def probe_links(base_url: str, scene: Scene, result: HostileResult) -> None:
    """Meeting A's links used on meeting B's ids, on each other's paths, and of the wrong shape;
    and session tokens offered in the wrong place or shape."""
    anonymous = Caller("a link holder", Api(base_url, ReplayResult()), [scene.markers[2]])
    token_of = {"projector": scene.projector_token, "report": scene.report_token}
    for kind, token in token_of.items():
        for other_kind, paths in LINK_PATHS.items():
            for path in paths:
                offered = [token] if other_kind != kind else _wrong_tokens(token)
                for value in offered:
                    caller = anonymous if other_kind == kind else Caller(anonymous.name, anonymous.api, scene.markers)
                    await _send(caller, result, "GET", fill(path, {"token": value}))
    for query in (
        f"question_id={scene.other_question}",
        f"question_id={scene.question}&question_id={scene.other_question}",
        "question_id=not-a-uuid",
    ):
        await _send(anonymous, result, "GET", f"/api/projector/{scene.projector_token}/plenary?{query}")
    await _send(anonymous, result, "POST", f"/api/projector/{scene.projector_token}/tickets", content=b"{}",
                headers={"content-type": "application/json"})  # fmt: skip
    for stream in (f"room:{scene.other_room}", f"meeting:{scene.other_meeting}", f"staff:{scene.meeting}"):
        participant = scene.callers[1]
        await _send(participant, result, "GET", f"/api/live/snapshot?meeting_id={scene.meeting}&stream={stream}")
    # Credentials in the wrong place, of the wrong shape, or two people's at once.
    mine, theirs = scene.participant_token, scene.other_participant_token
    async with httpx.AsyncClient(base_url=base_url) as http:
        document = (await http.get("/openapi.json")).json()
    gets = [fill(path, _valid_ids(scene)) for method, path, _ in _operations(document) if method == "GET"]
    credentials: list[tuple[str, dict[str, str], list[str]]] = [
        ("meeting B's participant as a cookie", {"cookie": f"breakouts_participant={theirs}"}, scene.markers[:2]),
        ("a participant's token as the account cookie", {"cookie": f"breakouts_session={mine}"}, scene.markers[1:]),
        ("room 1 bearer, meeting B cookie", {"authorization": f"Bearer {mine}", "cookie": f"breakouts_participant={theirs}"},
         [scene.markers[1]]),
        ("two bearer tokens", {"authorization": f"Bearer {mine} {theirs}"}, scene.markers),
        ("a bearer token with a byte more", {"authorization": f"Bearer {mine}A"}, scene.markers),
        ("a bearer token cut short", {"authorization": f"Bearer {mine[:-4]}"}, scene.markers),
        ("a bearer token in upper case", {"authorization": f"Bearer {mine.upper()}"}, scene.markers),
        ("a bearer token of 100 KB", {"authorization": "Bearer " + "a" * 100_000}, scene.markers),
        ("300 cookies", {"cookie": "; ".join(f"c{n}={n}" for n in range(300))}, scene.markers),
    ]  # fmt: skip
    for name, headers, forbidden in credentials:
        caller = Caller(name, Api(base_url, ReplayResult()), forbidden)
        for url in gets:
            await _send(caller, result, "GET", url, headers=headers)


# --- the socket -----------------------------------------------------------------------------


async def _ticket(base_url: str, token: str, meeting: str) -> str:
    async with httpx.AsyncClient(base_url=base_url, headers={"authorization": f"Bearer {token}"}) as http:
        response = await http.post("/api/realtime/tickets", json={"meeting_id": meeting})
        response.raise_for_status()
        ticket: str = response.json()["ticket"]
        return ticket


async def _socket(base_url: str, ticket: str) -> ClientConnection:
    return await connect(
        websocket_url(base_url),
        subprotocols=[Subprotocol("breakouts.v1"), Subprotocol(f"ticket.{ticket}")],
        compression=None,
        proxy=None,
        max_size=None,
        open_timeout=10,
    )


def _frames(scene: Scene) -> list[tuple[str, str | bytes]]:
    room, question = scene.rooms[0], scene.question
    other_room, answer_2 = scene.rooms[1], scene.answers[1]
    frames: list[tuple[str, str | bytes]] = [
        ("not json", "{nope"),
        ("empty", ""),
        ("whitespace", "   "),
        ("a number", "1e999"),
        ("a huge integer", "9" * 10000),
        ("null type", '{"type": null, "id": "n1"}'),
        ("type a list", '{"type": ["ping"], "id": "n2"}'),
        ("type huge", json.dumps({"type": "x" * 10000, "id": "n3"})),
        ("unknown command", json.dumps({"type": "answer.delete", "id": "u1"})),
        ("server frame sent", json.dumps({"type": "welcome", "protocol": 1})),
        ("an event frame sent", json.dumps({"type": "answer.submitted", "stream": "room:x", "seq": 1, "data": {}})),
        ("binary", b"\x00\x01\x02"),
        ("binary json", b'{"type": "ping"}'),
        ("nul in id", json.dumps({"type": "answer.vote", "id": "a\u0000", "answer_id": answer_2})),
        ("nul in a key", '{"type": "ping", "\\u0000": 1}'),
        ("lone surrogate", '{"type": "answer.submit", "id": "s1", "room_id": "%s", "question_id": "%s", "text": "\\ud800"}' % (room, question)),  # noqa: UP031
        ("lone low surrogate in a key", '{"type": "ping", "\\udfff": 1}'),
        ("right-to-left override", json.dumps({"type": "answer.submit", "id": "s2", "room_id": room, "question_id": question, "text": "abc\u202edef"})),
        ("zero-width only", json.dumps({"type": "answer.submit", "id": "s3", "room_id": room, "question_id": question, "text": "\u200b\u200d"})),
        ("a key given twice", '{"type": "answer.submit", "id": "s4", "room_id": "%s", "question_id": "%s", "text": "x", "text": {"a": 1}}' % (room, question)),  # noqa: UP031
        ("nested 7,000 deep", '{"type": "ping", "x": ' + "[" * 7000 + "]" * 7000 + "}"),
        ("a negative scale", json.dumps({"type": "answer.submit", "id": "s5", "room_id": room, "question_id": question, "scale_value": -1})),
        ("a float scale", json.dumps({"type": "answer.submit", "id": "s6", "room_id": room, "question_id": question, "scale_value": 1.5})),
        ("a string scale", json.dumps({"type": "answer.submit", "id": "s7", "room_id": room, "question_id": question, "scale_value": "3"})),
        ("other room's answer, its id in braces", json.dumps({"type": "answer.vote", "id": "s8", "answer_id": "{" + answer_2 + "}"})),
        ("id too long", json.dumps({"type": "answer.vote", "id": "i" * 65, "answer_id": answer_2})),
        ("id unicode", json.dumps({"type": "answer.vote", "id": "ид", "answer_id": answer_2})),
        ("id a number", json.dumps({"type": "answer.vote", "id": 7, "answer_id": answer_2})),
        ("room id an object", json.dumps({"type": "answer.submit", "id": "t1", "room_id": {}, "question_id": question, "text": "x"})),
        ("text a list", json.dumps({"type": "answer.submit", "id": "t2", "room_id": room, "question_id": question, "text": ["x"]})),
        ("scale NaN", '{"type": "answer.submit", "id": "t3", "room_id": "%s", "question_id": "%s", "scale_value": NaN}' % (room, question)),  # noqa: UP031
        ("scale huge", '{"type": "answer.submit", "id": "t4", "room_id": "%s", "question_id": "%s", "scale_value": %s}' % (room, question, "9" * 4000)),  # noqa: UP031
        ("choices huge", json.dumps({"type": "answer.submit", "id": "t5", "room_id": room, "question_id": question, "choice_ids": ["a"] * 2000})),
        ("text over the cap", json.dumps({"type": "answer.submit", "id": "t6", "room_id": room, "question_id": question, "text": "é" * 5000})),
        ("other room's answer voted", json.dumps({"type": "answer.vote", "id": "o1", "answer_id": answer_2})),
        ("other room's answer edited", json.dumps({"type": "answer.edit", "id": "o2", "answer_id": answer_2, "text": "mine"})),
        ("other room answered", json.dumps({"type": "answer.submit", "id": "o3", "room_id": other_room, "question_id": question, "text": "x"})),
        ("other meeting answered", json.dumps({"type": "answer.submit", "id": "o4", "room_id": scene.other_room, "question_id": scene.other_question, "text": "x"})),
        ("other meeting's answer voted", json.dumps({"type": "answer.vote", "id": "o5", "answer_id": scene.other_answer})),
        ("other meeting's phase", json.dumps({"type": "meeting.change_phase", "id": "o6", "meeting_id": scene.other_meeting, "phase": "closed"})),
        ("push as a participant", json.dumps({"type": "question.push", "id": "o7", "room_id": other_room, "question_id": question})),
        ("finding in another room", json.dumps({"type": "finding.draft", "id": "o8", "room_id": other_room, "text": "x", "answer_ids": [answer_2]})),
        ("finding citing another room", json.dumps({"type": "finding.draft", "id": "o9", "room_id": room, "text": "x", "answer_ids": [answer_2]})),
        ("merge across rooms", json.dumps({"type": "answer.merge", "id": "o10", "room_id": room, "answer_ids": [scene.answers[0], answer_2]})),
        ("move oneself", json.dumps({"type": "participant.move", "id": "o11", "participant_id": NIL, "room_id": other_room})),
        ("help in another room", json.dumps({"type": "help.request", "id": "o12", "room_id": other_room})),
        ("hand in another room", json.dumps({"type": "hand.raise", "id": "o13", "room_id": other_room})),
        ("timer in another meeting", json.dumps({"type": "timer.start", "id": "o14", "meeting_id": scene.other_meeting, "seconds": 60})),
        ("an allowed answer", json.dumps({"type": "answer.submit", "id": "r1", "room_id": room, "question_id": question, "text": "fine"})),
        ("the same id, another command", json.dumps({"type": "answer.vote", "id": "r1", "answer_id": answer_2})),
        ("the same id, another room", json.dumps({"type": "answer.submit", "id": "r1", "room_id": other_room, "question_id": question, "text": "x"})),
        ("a second hello", json.dumps({"type": "hello", "protocol": 1})),
    ]  # fmt: skip
    return frames


async def _reply(connection: ClientConnection, wait_s: float = 10) -> dict[str, Any] | None:
    """The next reply frame that is not an event or presence (None: none came)."""
    deadline = time.monotonic() + wait_s
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        try:
            frame = json.loads(await asyncio.wait_for(connection.recv(), left))
        except TimeoutError:
            return None
        if frame.get("type") in ("ack", "error", "pong", "resumed", "resync_required", "welcome"):
            return dict(frame)


async def _alive(connection: ClientConnection, name: str, result: HostileResult, forbidden: list[str]) -> bool:
    """Ping until the pong, checking every frame on the way for a forbidden marker."""
    try:
        await connection.send(json.dumps({"type": "ping"}))
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            text = await asyncio.wait_for(connection.recv(), deadline - time.monotonic())
            for marker in forbidden:
                if marker in str(text):
                    result.problem(f"socket, after {name}: a frame carries another room's marker")
            frame = json.loads(text)
            if frame.get("type") == "pong":
                return True
            if frame.get("type") == "error" and frame.get("code") == "rate_limited":
                # The probe outran the socket's rate limit (10 frames a second): ping again.
                await asyncio.sleep(0.2)
                await connection.send(json.dumps({"type": "ping"}))
        result.problem(f"socket, after {name}: no pong")
    except ConnectionClosed as closed:
        code = closed.rcvd.code if closed.rcvd else None
        if code not in DOCUMENTED_CLOSES:
            result.problem(
                f"socket, after {name}: closed with {code} ({closed.rcvd.reason if closed.rcvd else 'dropped'})"
            )
    except TimeoutError:
        result.problem(f"socket, after {name}: no pong")
    return False


async def probe_socket(base_url: str, scene: Scene, result: HostileResult, say: Callable[[str], None]) -> None:
    forbidden = [scene.markers[1], scene.markers[2]]
    token = scene.participant_token

    async def fresh(hello: dict[str, Any] | None = None) -> ClientConnection:
        connection = await _socket(base_url, await _ticket(base_url, token, scene.meeting))
        await connection.send(json.dumps(hello or {"type": "hello", "protocol": 1}))
        return connection

    # Kept unused until its 30 s have run out, then offered at the end.
    late_ticket, late_since = await _ticket(base_url, token, scene.meeting), time.monotonic()
    connection = await fresh()
    for name, frame in _frames(scene):
        result.frames += 1
        try:
            await connection.send(frame)
            reply = await _reply(connection)
        except ConnectionClosed:
            reply = None
        if reply is None and not connection.close_code:
            result.problem(f"socket, {name}: no reply")
        elif reply is not None and reply.get("type") == "error" and reply.get("code") == "internal":
            result.problem(f"socket, {name}: internal error {reply.get('message')}")
        elif (
            reply is not None
            and reply.get("type") == "ack"
            and name.startswith(("other", "finding in", "merge", "push"))
        ):
            result.problem(f"socket, {name}: acknowledged ({json.dumps(reply)[:160]})")
        if not await _alive(connection, name, result, forbidden):
            connection = await fresh()
    await connection.close()

    hellos: list[tuple[str, dict[str, Any]]] = [
        ("hello, another room's cursor", {"cursors": {f"room:{scene.rooms[1]}": 0}}),
        ("hello, another meeting's cursor", {"cursors": {f"room:{scene.other_room}": 0, f"meeting:{scene.other_meeting}": 0}}),
        ("hello, a staff cursor", {"cursors": {f"staff:{scene.meeting}": 0}}),
        ("hello, negative cursor", {"cursors": {f"room:{scene.rooms[0]}": -5}}),
        ("hello, huge cursor", {"cursors": {f"room:{scene.rooms[0]}": 2**63}}),
        ("hello, cursor ahead", {"cursors": {f"room:{scene.rooms[0]}": 10_000}}),
        ("hello, epoch 0", {"cursors": {f"room:{scene.rooms[0]}": 1}, "epochs": {f"room:{scene.rooms[0]}": 0}}),
        ("hello, a string cursor", {"cursors": {f"room:{scene.rooms[0]}": "1"}}),
        ("hello, a float cursor", {"cursors": {f"room:{scene.rooms[0]}": 1.5}}),
        ("hello, a stream name of junk", {"cursors": {"room:" + "x" * 3000: 1}}),
        ("hello, 5,000 cursors", {"cursors": {f"room:{uuid.uuid4()}": 1 for _ in range(300)}}),
        ("hello, cursors a list", {"cursors": [1, 2]}),
        ("hello, protocol 2", {"protocol": 2}),
        ("hello, protocol a string", {"protocol": "1"}),
    ]  # fmt: skip
    for name, fields in hellos:
        result.frames += 1
        hello = {"type": "hello", "protocol": 1, **fields}
        try:
            connection = await _socket(base_url, await _ticket(base_url, token, scene.meeting))
            replies = []
            with contextlib.suppress(ConnectionClosed):
                await connection.send(json.dumps(hello))
                while (reply := await _reply(connection, 5)) is not None:
                    replies.append(reply)
                    for marker in forbidden:
                        if marker in json.dumps(reply):
                            result.problem(f"socket, {name}: a frame carries another room's marker")
            await _alive(connection, name, result, forbidden)
            if connection.close_code is None and not replies:
                result.problem(f"socket, {name}: no reply")
            if connection.close_code is not None and connection.close_code not in DOCUMENTED_CLOSES:
                result.problem(f"socket, {name}: closed with {connection.close_code}")
            await connection.close()
        except (OSError, InvalidStatus) as error:
            result.problem(f"socket, {name}: {error}")

    # Tickets: one used twice, another meeting's, one edited, one from another person's token.
    ticket = await _ticket(base_url, token, scene.meeting)
    first = await _socket(base_url, ticket)
    await first.send(json.dumps({"type": "hello", "protocol": 1}))
    await _reply(first)
    for name, offered in (
        ("a replayed ticket", ticket),
        ("an edited ticket", ticket[:-2] + ("AA" if not ticket.endswith("AA") else "BB")),
        ("a ticket of junk", "x" * 600),
    ):
        result.frames += 1
        try:
            again = await _socket(base_url, offered)
            with contextlib.suppress(ConnectionClosed):
                await again.send(json.dumps({"type": "hello", "protocol": 1}))
                await _reply(again, 5)
            if again.close_code != 4401:
                result.problem(f"socket, {name}: {again.close_code}, not 4401")
        except InvalidStatus as refused:
            if refused.response.status_code >= 500:
                result.problem(f"socket, {name}: HTTP {refused.response.status_code}")
    await first.close()
    await _probe_tickets(base_url, scene, result, late_ticket, late_since)
    async with httpx.AsyncClient(base_url=base_url, headers={"authorization": f"Bearer {token}"}) as http:
        for name, body in (
            ("a ticket for another meeting", {"meeting_id": scene.other_meeting}),
            ("a ticket for junk", {"meeting_id": "x"}),
        ):
            response = await http.post("/api/realtime/tickets", json=body)
            result.requests += 1
            if response.status_code not in (404, 422):
                result.problem(f"{name}: {response.status_code}")
    # A flood: documented as rate_limited errors, then 1008, never a drop or 1011.
    flood = await fresh()
    with contextlib.suppress(ConnectionClosed):
        for n in range(400):
            await flood.send(json.dumps({"type": "answer.vote", "id": f"f{n}", "answer_id": scene.answers[1]}))
        while True:
            await asyncio.wait_for(flood.recv(), 10)
    if flood.close_code not in (None, 1008):
        result.problem(f"socket, a flood: closed with {flood.close_code}")
    # A frame just over the cap: 1009, and the server stays up.
    big = await fresh()
    with contextlib.suppress(ConnectionClosed):
        await big.send("x" * 20_000)
        await asyncio.wait_for(big.recv(), 10)
        await asyncio.wait_for(big.recv(), 10)
    if big.close_code != 1009:
        result.problem(f"socket, a frame over 16 KiB: closed with {big.close_code}, not 1009")


async def _offer(base_url: str, subprotocols: list[str]) -> int | None:
    """The close code (or HTTP status) a socket offering ``subprotocols`` gets after a hello;
    None while it stays open."""
    try:
        connection = await connect(
            websocket_url(base_url), subprotocols=[Subprotocol(p) for p in subprotocols], compression=None,
            proxy=None, open_timeout=10,
        )  # fmt: skip
    except InvalidStatus as refused:
        return int(refused.response.status_code)
    except (TimeoutError, OSError):
        return -1  # no answer to the handshake
    with contextlib.suppress(ConnectionClosed):
        await connection.send(json.dumps({"type": "hello", "protocol": 1}))
        await _reply(connection, 5)
    code = connection.close_code
    await connection.close()
    return code


async def _probe_tickets(
    base_url: str, scene: Scene, result: HostileResult, late_ticket: str, late_since: float
) -> None:
    """An expired ticket, one ticket offered by two sockets at once, two tickets in one offer."""
    token = scene.participant_token
    await asyncio.sleep(max(0.0, late_since + 31 - time.monotonic()))
    result.frames += 1
    if (code := await _offer(base_url, ["breakouts.v1", f"ticket.{late_ticket}"])) != 4401:
        result.problem(f"socket, an expired ticket: {code}, not 4401")
    ticket = await _ticket(base_url, token, scene.meeting)
    codes = await asyncio.gather(*(_offer(base_url, ["breakouts.v1", f"ticket.{ticket}"]) for _ in range(2)))
    result.frames += 2
    if sorted(codes, key=str) != sorted([None, 4401], key=str):
        result.problem(f"socket, one ticket offered twice at once: {codes}, not one open and one 4401")
    theirs = await _ticket(base_url, scene.other_participant_token, scene.other_meeting)
    mine = await _ticket(base_url, token, scene.meeting)
    for name, offered, may_open in (
        ("two tickets, a junk one first", ["breakouts.v1", "ticket.junk", f"ticket.{mine}"], True),
        ("two people's tickets", ["breakouts.v1", f"ticket.{theirs}", f"ticket.{mine}"], True),
        ("an empty ticket", ["breakouts.v1", "ticket."], False),
        ("a ticket without the protocol", [f"ticket.{mine}"], True),  # accepted without a subprotocol
        ("a ticket of 100 KB", ["breakouts.v1", "ticket." + "a" * 100_000], False),
    ):
        result.frames += 1
        code = await _offer(base_url, offered)
        if (code is None and not may_open) or code in (-1, 1011) or (code is not None and 500 <= code < 1000):
            result.problem(f"socket, {name}: {'opened' if code is None else code}")


async def run(
    base_url: str,
    first: tuple[str, str],
    second: tuple[str, str],
    say: Callable[[str], None],
    only_new: bool = False,
) -> HostileResult:
    result = HostileResult()
    started = time.perf_counter()
    scene = await stage(base_url, first, second)
    result.timings["stage"] = time.perf_counter() - started
    started = time.perf_counter()
    await probe_socket(base_url, scene, result, say)
    result.timings["socket"] = time.perf_counter() - started
    started = time.perf_counter()
    if not only_new:
        await probe_rest(base_url, scene, result, say)
    result.timings["rest"] = time.perf_counter() - started
    started = time.perf_counter()
    await probe_links(base_url, scene, result)
    result.timings["links and credentials"] = time.perf_counter() - started
    started = time.perf_counter()
    await probe_fields(base_url, scene, result, say)
    result.timings["fields"] = time.perf_counter() - started
    async with httpx.AsyncClient(base_url=base_url) as http:
        if (await http.get("/healthz")).status_code != 200:
            result.problem("the server no longer answers /healthz")
    return result


SECOND_EMAIL = "hostile-b@breakouts.local"
SECOND_PASSWORD = "hostile organiser b passphrase"


async def _main(args: argparse.Namespace) -> int:
    def say(line: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {line}", file=sys.stderr, flush=True)

    async with contextlib.AsyncExitStack() as stack:
        if args.serve:
            directory = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="hostile-")))
            base_url, email, password = await stack.enter_async_context(
                local_server(
                    directory,
                    before_start=functools.partial(add_organiser, email=SECOND_EMAIL, password=SECOND_PASSWORD),
                )
            )
            second = (SECOND_EMAIL, SECOND_PASSWORD)
        else:
            base_url, email, password = args.base_url, args.email, args.password
            second = (args.second_email, args.second_password)
        result = await run(base_url, (email, password), second, say, only_new=args.skip_rest_sweep)
    print(f"{result.requests} requests, {result.frames} frames; statuses {dict(sorted(result.statuses.items()))}")
    print("timings: " + ", ".join(f"{k} {v:.1f} s" for k, v in result.timings.items()))
    print(f"{len(result.problems)} problems")
    for problem in result.problems:
        print(f"  {problem}")
    return 1 if result.problems else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.hostile", description=__doc__.split("\n\n")[0])
    parser.add_argument("--serve", action="store_true", help="start a server of this checkout on a fresh SQLite file")
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--email", default="")
    parser.add_argument("--password", default="")
    parser.add_argument("--second-email", default="")
    parser.add_argument("--second-password", default="")
    parser.add_argument(
        "--skip-rest-sweep", action="store_true", help="leave out the sweep of every operation by every caller"
    )
    return asyncio.run(_main(parser.parse_args(argv)))


if __name__ == "__main__":
    raise SystemExit(main())
