"""Finding: a NUL character (U+0000) in text. PostgreSQL cannot store it, so it used to reach the
database and come back as a plain-text 500 without the security headers. It is refused at
validation on both databases, everywhere outside input is read, with a 422 in the error shape (a
protocol error frame on the socket). And any unexpected error is still a 500 in the error shape,
with the security headers."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from app.main import create_app
from tests.conftest import make_settings
from tests.databases import TestDatabase
from tests.questions.staging import Stage
from tests.realtime.people import world
from tests.realtime.raw import frames_until, next_frame, raw_socket
from tests.realtime.server import LiveServer

NUL = "\x00"


def assert_error_shape(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert set(body) == {"code", "message", "details"}, body
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "content-security-policy" in response.headers
    return body


async def test_anonymous_text_with_nul_is_refused(stage: Stage) -> None:
    anonymous = await stage.client()
    code = stage.meeting["join_code"]
    probes = [
        ("/api/join", {"code": code, "display_name": f"Amina{NUL}"}),
        ("/api/join", {"code": f"{code[:3]}{NUL}{code[3:]}"}),
        ("/api/auth/login", {"email": f"organiser{NUL}@example.org", "password": "wrong"}),
        ("/api/auth/login", {"email": "organiser@example.org", "password": f"x{NUL}"}),
    ]
    for path, body in probes:
        refused = assert_error_shape(await anonymous.post(path, json=body), 422)
        assert "NUL" in refused["message"], (path, refused)


async def test_signed_in_text_with_nul_is_refused_and_nothing_is_written(stage: Stage) -> None:
    question = await stage.live_question()
    participant = await stage.participant()
    room, meeting = stage.rooms[0], stage.meeting_id
    probes: list[tuple[httpx.AsyncClient, str, dict[str, Any]]] = [
        (stage.organiser, "/api/meetings", {"title": f"Policy{NUL}session"}),
        (stage.organiser, f"/api/meetings/{meeting}/rooms", {"name": f"Room{NUL}"}),
        (stage.organiser, f"/api/meetings/{meeting}/broadcasts", {"message": f"Five minutes{NUL}"}),
        (stage.organiser, f"/api/meetings/{meeting}/questions", {"text": "Why?", "kind": "open", NUL: 1}),
        (participant.http, f"/api/rooms/{room}/questions/{question['id']}/answers", {"text": f"Clear law{NUL}"}),
    ]
    for http, path, body in probes:
        assert_error_shape(await http.post(path, json=body), 422)
    answers = await stage.events("answer.submitted")
    broadcasts = await stage.events("broadcast.sent")
    assert (answers, broadcasts) == ([], [])


async def test_files_and_query_text_with_nul_are_refused(stage: Stage) -> None:
    meeting = stage.meeting_id
    imported = await stage.organiser.post(
        f"/api/meetings/{meeting}/participants/import",
        content=f"name,email,organisation,gender,role,room\nAmina{NUL},,Ministry,F,participant,\n".encode(),
        headers={"content-type": "text/csv"},
    )
    assert_error_shape(imported, 422)
    template = await stage.organiser.post(
        "/api/meetings/import",
        content=json.dumps({"format": "breakouts-meeting-template", "version": 1, "meeting": {"title": f"T{NUL}"}}),
        headers={"content-type": "application/json"},
    )
    assert_error_shape(template, 422)
    snapshot = await stage.organiser.get("/api/live/snapshot", params={"meeting_id": meeting, "stream": f"m{NUL}"})
    assert 400 <= snapshot.status_code < 500, snapshot.text
    assert_error_shape(snapshot, snapshot.status_code)
    for path in ("/api/invites/%00abc", "/api/reports/%00abc"):
        response = await stage.client()
        assert_error_shape(await response.get(path), 404)


async def test_a_socket_command_with_nul_gets_an_error_frame(live_server: LiveServer) -> None:
    async with world(live_server) as w:
        connection = await raw_socket(w, w.organiser)
        await frames_until(connection, "resumed")
        await connection.send(
            json.dumps({"type": "broadcast.send", "id": "c1", "meeting_id": str(w.meeting_id), "message": f"Hi{NUL}"})
        )
        refused = (await frames_until(connection, "error"))[-1]
        assert (refused["type"], refused["code"], refused["ref"]) == ("error", "invalid_frame", "c1")
        assert "NUL" in refused["message"]
        await connection.send(json.dumps({"type": "ping"}))
        assert (await next_frame(connection)) == {"type": "pong"}


@pytest.fixture
async def failing_app(database: TestDatabase) -> Any:
    application = create_app(make_settings(database))

    @application.get("/api/probe/unexpected")
    async def unexpected() -> None:
        raise RuntimeError("an error nobody expected")

    # Ahead of the frontend's catch-all route.
    application.router.routes.insert(0, application.router.routes.pop())

    async with application.router.lifespan_context(application):
        yield application


async def test_an_unexpected_error_is_a_500_in_the_error_shape_with_the_headers(failing_app: FastAPI) -> None:
    transport = httpx.ASGITransport(app=failing_app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        body = assert_error_shape(await http.get("/api/probe/unexpected"), 500)
        assert body["code"] == "internal_error"
        assert "nobody expected" not in body["message"]
        assert (await http.get("/healthz")).status_code == 200
