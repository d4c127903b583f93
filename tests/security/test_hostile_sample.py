"""A sample of ``bench/hostile.py``'s probes, in-process against one authorisation world: every
JSON body of the API document with one field at a time made hostile (a lone surrogate, a
right-to-left override, NUL in text; a float, a string, 2**63 for a whole number; another
meeting's id, an id of the wrong shape), a key given twice, a field nested 100,000 deep; own
paths with one id of another meeting; the meeting's projector and report links on each other's
paths and cut short; two people's session tokens at once.

Never a 5xx; every refusal in the error shape; a refused request writes nothing; no request with
another meeting's id in its body or path is carried out.
"""

from __future__ import annotations

import json
import re
from typing import Any

import httpx
from fastapi import FastAPI

from bench.hostile_fields import SWEEP_LAST, base_body, body_schema, field_kinds, fill, hostile_bodies
from tests.authorisation.fingerprint import Fingerprint, changed_tables, fingerprint
from tests.authorisation.world import World, build_world

# One hostile value per field, taken in turn from its kind's list (the bench tool sends them all),
# so that every value meets some field; another meeting's id in every id field that has one; a key
# given twice in every body.
TURNS = {
    "text": ("lone high surrogate", "right-to-left override", "NUL", "zero-width only"),
    "integer": ("a float", "a string", "2**63"),
    "id": ("wrong shape", "upper case"),
}
# Bodies nested 100,000 deep: one operation is enough to show the parser's refusal.
DEEP_ON = "/api/meetings/{meeting_id}/broadcasts"
# Who sends what: a participant's operations as participant_a, the rest as the organiser.
PARTICIPANT_PATHS = ("/answers", "/vote", "/help", "/hands", "/select", "/endorse")


def _own(world: World) -> dict[str, str]:
    return {
        name: str(value)
        for name, value in {
            "meeting_id": world.meeting_id,
            "room_id": world.room_a,
            "target_room_id": world.room_b,
            "question_id": world.q_live,
            "answer_id": world.answer_a2,
            "finding_id": world.finding_draft_a,
            "participant_id": world.participant_a,
            "item_id": world.agenda_item,
            "timer_id": world.timer_a,
            "help_id": world.help_a,
            "hand_id": world.hand_a,
            "group_id": world.group_1,
            "invite_id": world.invite,
        }.items()
    }


def _other(world: World) -> dict[str, str]:
    return {
        "meeting_id": str(world.stranger_meeting),
        "room_id": str(world.stranger_room),
        "target_room_id": str(world.stranger_room),
        "question_id": str(world.stranger_question),
    }


def _operations(document: dict[str, Any]) -> list[tuple[str, str, list[str]]]:
    found = [
        (method.upper(), path, re.findall(r"{(\w+)}", path))
        for path, methods in document["paths"].items()
        for method in methods
        if path.startswith("/api/") and path != "/api/auth/logout"
    ]
    return sorted(found, key=lambda o: o[1].endswith(SWEEP_LAST))


def _sampled(field: str, value: str, kinds: dict[str, str], path: str) -> bool:
    if value.startswith("nested"):
        return path == DEEP_ON
    if value in ("another meeting's", "given twice"):
        return value == "another meeting's" or field == next(iter(kinds))
    turns = TURNS["id" if kinds[field] == "ids" else kinds[field]]
    return value == turns[(len(path) + list(kinds).index(field)) % len(turns)]


def _check(response: httpx.Response, where: str, problems: list[str]) -> None:
    if response.status_code >= 500:
        problems.append(f"{where}: {response.status_code} {response.text[:200]}")
    if response.status_code >= 400:
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, dict) or set(body) != {"code", "message", "details"}:
            problems.append(f"{where}: {response.status_code} not in the error shape: {response.text[:120]}")


class Prober:
    """Sends probes and checks each: never a 5xx, refusals in the error shape and writing nothing
    (a refused sign-in records its failure: that is the sign-in throttle's count)."""

    def __init__(self, app: FastAPI, http: httpx.AsyncClient) -> None:
        self.app, self.http = app, http
        self.problems: list[str] = []
        self.state: Fingerprint | None = None

    async def __call__(self, where: str, method: str, url: str, **request: Any) -> httpx.Response:
        before = self.state if self.state is not None else await fingerprint(self.app)
        response = await self.http.request(method, url, **request)
        _check(response, where, self.problems)
        self.state = await fingerprint(self.app)
        changed = [name for name in changed_tables(before, self.state) if name != "login_failures"]
        if response.status_code >= 400 and changed:
            self.problems.append(f"{where}: refused with {response.status_code}, yet wrote {changed}")
        return response


async def test_hostile_fields_and_foreign_ids_are_refused_cleanly(app: FastAPI) -> None:
    world = await build_world(app)
    document = app.openapi()
    own, other = _own(world), _other(world)
    transport = httpx.ASGITransport(app=app, client=("198.51.100.12", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        probe = Prober(app, http)
        problems = probe.problems
        for method, path, params in _operations(document):
            role = "participant_a" if path.endswith(PARTICIPANT_PATHS) else "organiser"
            headers = {"authorization": f"Bearer {world.tokens[role]}", "content-type": "application/json"}
            operation = document["paths"][path][method.lower()]
            schema = body_schema(document, operation)
            body = json.dumps(base_body(document, schema, own)).encode() if schema else b"{}"
            for param in params if len(params) > 1 else []:
                if param in other:
                    url = fill(path, {**own, param: other[param]})
                    where = f"{method} {path} with another meeting's {param}"
                    response = await probe(where, method, url, content=body, headers=headers)
                    if response.status_code < 300:
                        problems.append(f"{where}: {response.status_code}, carried out")
            if schema is None:
                continue
            kinds = dict(field_kinds(document, schema))
            for label, content in hostile_bodies(document, schema, own, other):
                field, value = label.split(": ", 1)
                if not _sampled(field, value, kinds, path):
                    continue
                where = f"{method} {path} {label}"
                url = fill(path, own)
                response = await probe(where, method, url, content=content, headers=headers)
                if value == "another meeting's" and response.status_code < 300:
                    problems.append(f"{where}: {response.status_code}, carried out")
    assert not problems, "\n".join(problems)


async def test_links_and_tokens_of_the_wrong_kind_or_shape_open_nothing(app: FastAPI) -> None:
    world = await build_world(app)
    organiser = {"authorization": f"Bearer {world.tokens['organiser']}"}
    transport = httpx.ASGITransport(app=app, client=("198.51.100.13", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        probe = Prober(app, http)
        problems = probe.problems
        links = {}
        for kind in ("projector", "report"):
            made = await http.post(f"/api/meetings/{world.meeting_id}/{kind}-link", headers=organiser)
            links[kind] = made.json()["url"].rstrip("/").rsplit("/", 1)[1]
        projector, report = links["projector"], links["report"]
        probes = [
            f"/api/reports/{projector}",
            f"/api/projector/{report}",
            f"/api/invites/{projector}",
            f"/api/projector/{projector[:-1]}",
            f"/api/projector/{projector}A",
            f"/api/reports/{report[: len(report) // 2]}",
            f"/api/projector/{projector}/plenary?question_id={world.stranger_question}",
        ]
        for url in probes:
            response = await probe(url, "GET", url)
            # Another meeting's question on the projector's plenary: a 422, as for any question
            # the meeting does not hold.
            if response.status_code != (422 if "question_id" in url else 404):
                problems.append(f"{url}: {response.status_code}")
        # Two people's tokens at once, or one cut short: never more than the first person may read.
        stranger_room = f"/api/rooms/{world.stranger_room}"
        for name, headers, refused in (
            ("two tokens in one header", {"authorization": f"Bearer {world.tokens['participant_a']} x"}, True),
            ("a token cut short", {"authorization": f"Bearer {world.tokens['participant_a'][:-2]}"}, True),
            ("a participant's token as the account cookie", {"cookie": f"breakouts_session={world.tokens['participant_b']}"}, False),
        ):  # fmt: skip
            response = await probe(name, "GET", stranger_room, headers=headers)
            if response.status_code not in (401, 404):
                problems.append(f"{name}: {response.status_code} on another meeting's room")
            mine = await http.get(f"/api/rooms/{world.room_a}", headers=headers)
            if refused and mine.status_code != 401:
                problems.append(f"{name}: {mine.status_code}, not 401")
    assert not problems, "\n".join(problems)
