"""Import and export over HTTP: the round trip, the ways a file may arrive, and who may do it."""

from __future__ import annotations

import json
import uuid

import httpx
import pytest
import yaml
from fastapi import FastAPI
from sqlalchemy import func, select

from app.meetings.models import Meeting
from app.realtime.eventlog import EventRecord, meeting_stream
from app.state import AppState
from app.templates.document import TEMPLATE_MAX_BYTES, TemplateFormat, parse_template
from tests.conftest import ClientFactory
from tests.templates.documents import (
    REFERENCE_YAML,
    as_yaml,
    import_text,
    imported_meeting,
    join_by_invite,
    small_template,
)
from tests.world import signed_in_organiser


async def export(http: httpx.AsyncClient, meeting_id: str, target: str = "yaml") -> httpx.Response:
    return await http.get(f"/api/meetings/{meeting_id}/template", params={"format": target})


@pytest.mark.parametrize("target", ["yaml", "json"])
async def test_reference_meeting_round_trips(app: FastAPI, client: httpx.AsyncClient, target: str) -> None:
    await signed_in_organiser(app, client)
    meeting = await imported_meeting(client, REFERENCE_YAML)

    response = await export(client, meeting["id"], target)

    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(f"application/{target}")
    assert response.headers["content-disposition"] == (
        f'attachment; filename="think-tank-policy-session-on-migrant-smuggling.{target}"'
    )
    original = parse_template(REFERENCE_YAML.encode(), TemplateFormat.YAML)
    assert parse_template(response.content, TemplateFormat(target)) == original


async def test_import_builds_the_meeting_in_draft(app: FastAPI, client: httpx.AsyncClient) -> None:
    await signed_in_organiser(app, client)

    meeting = await imported_meeting(client, REFERENCE_YAML)

    assert meeting["phase"] == "draft"
    assert meeting["title"] == "Think tank policy session on migrant smuggling"
    assert meeting["languages"] == ["en", "bn"]
    assert meeting["default_anonymity"] == "anonymous_to_peers"
    assert [(item["position"], item["planned_minutes"]) for item in meeting["agenda"]] == [
        (0, 5), (1, 10), (2, 15), (3, 15), (4, 45), (5, 30), (6, 5)
    ]  # fmt: skip
    assert (await client.get(f"/api/meetings/{meeting['id']}")).json() == meeting
    state: AppState = app.state.breakouts
    async with state.database.reading() as session:
        events = list(
            await session.scalars(
                select(EventRecord).where(EventRecord.meeting_id == uuid.UUID(meeting["id"])).order_by(EventRecord.id)
            )
        )
    on_meeting = [event for event in events if event.stream == meeting_stream(uuid.UUID(meeting["id"]))]
    assert [event.type for event in on_meeting] == ["meeting.created"] + ["room.created"] * 6
    assert [event.seq for event in on_meeting] == list(range(1, 8))
    assert on_meeting[0].payload["meeting"]["id"] == meeting["id"]
    assert [event.payload["room"]["name"] for event in on_meeting[1:]] == [f"Room {n}" for n in range(1, 7)]
    room_ids = [event.payload["room"]["id"] for event in on_meeting[1:]]
    # Each room hears of its own questions on its own stream, S1 last everywhere.
    asked = {
        event.stream: [q["code"] for q in event.payload["questions"]]
        for event in events
        if event.type == "question.allocated"
    }
    assert set(asked) == {f"room:{room_id}" for room_id in room_ids}
    assert asked[f"room:{room_ids[0]}"] == ["R1.1", "R1.2", "R1.3", "S1"]
    assert all(codes[-1] == "S1" for codes in asked.values())
    assert len(events) == 7 + 6


async def test_a_second_import_is_a_second_meeting(app: FastAPI, client: httpx.AsyncClient) -> None:
    await signed_in_organiser(app, client)
    first = await imported_meeting(client)
    second = await imported_meeting(client)

    assert first["id"] != second["id"] and first["join_code"] != second["join_code"]
    assert len((await client.get("/api/meetings")).json()) == 2


async def test_small_template_round_trips_with_its_settings(app: FastAPI, client: httpx.AsyncClient) -> None:
    await signed_in_organiser(app, client)
    document = small_template()
    meeting = await imported_meeting(client, as_yaml(document))

    exported = yaml.safe_load((await export(client, meeting["id"])).text)

    assert parse_template(as_yaml(exported).encode(), TemplateFormat.YAML) == parse_template(
        as_yaml(document).encode(), TemplateFormat.YAML
    )
    q1, q2, q3 = exported["questions"]
    assert q1["rooms"] == "all"  # both rooms, so written as "all"
    assert "anonymity" not in q1  # the meeting's default (named)
    assert (q2["anonymity"], q2["visibility"]) == ("fully_anonymous", "after_close")
    assert q3["scale"] == {"min": 0, "max": 10, "labels": {0: "no", 10: "yes"}} and "rooms" not in q3


@pytest.mark.parametrize("content_type", ["text/yaml", "application/x-yaml", "application/yaml; charset=utf-8"])
async def test_yaml_arrives_under_its_media_types(app: FastAPI, client: httpx.AsyncClient, content_type: str) -> None:
    await signed_in_organiser(app, client)
    response = await import_text(client, REFERENCE_YAML, content_type)
    assert response.status_code == 201, response.text


async def test_json_and_multipart_uploads_import(app: FastAPI, client: httpx.AsyncClient) -> None:
    await signed_in_organiser(app, client)
    as_json = json.dumps(small_template())

    from_json = await import_text(client, as_json, "application/json")
    from_yaml_file = await client.post(
        "/api/meetings/import", files={"file": ("meeting.yaml", REFERENCE_YAML.encode(), "application/octet-stream")}
    )
    from_json_file = await client.post(
        "/api/meetings/import", files={"file": ("meeting.json", as_json.encode(), "application/json")}
    )

    assert [r.status_code for r in (from_json, from_yaml_file, from_json_file)] == [201, 201, 201]
    assert from_yaml_file.json()["title"] == "Think tank policy session on migrant smuggling"
    assert from_json_file.json()["title"] == from_json.json()["title"] == "Small consultation"


async def test_what_cannot_be_read_is_refused_and_nothing_is_written(app: FastAPI, client: httpx.AsyncClient) -> None:
    await signed_in_organiser(app, client)
    unknown_room = as_yaml(small_template(questions=[{"text": "x", "rooms": ["Nowhere"]}]))

    bad_field = await import_text(client, unknown_room)
    plain_text = await import_text(client, REFERENCE_YAML, "text/plain")
    no_file = await client.post("/api/meetings/import", files={"other": ("a.yaml", b"x", "text/yaml")})
    too_large = await import_text(client, "#" * (TEMPLATE_MAX_BYTES + 1))
    too_large_file = await client.post(
        "/api/meetings/import", files={"file": ("a.yaml", b"#" * (TEMPLATE_MAX_BYTES + 1), "text/yaml")}
    )

    assert bad_field.status_code == 422
    assert bad_field.json()["code"] == "invalid_template"
    assert bad_field.json()["message"] == "questions.0.rooms.0: no room is named 'Nowhere'"
    assert bad_field.json()["details"][0]["loc"] == ["questions", 0, "rooms", 0]
    assert plain_text.status_code == 415
    assert no_file.status_code == 422 and no_file.json()["message"].startswith("file:")
    assert too_large.status_code == 413 and too_large_file.status_code == 413
    assert (await client.get("/api/meetings")).json() == []
    state: AppState = app.state.breakouts
    async with state.database.reading() as session:
        assert await session.scalar(select(func.count()).select_from(Meeting)) == 0


async def test_import_needs_an_organiser_account(
    app: FastAPI, client: httpx.AsyncClient, client_factory: ClientFactory
) -> None:
    await signed_in_organiser(app, client)
    meeting = await imported_meeting(client)
    async with client_factory() as anonymous, client_factory() as participant, client_factory() as moderator:
        await join_by_invite(client, participant, meeting["id"], "participant")
        await join_by_invite(client, moderator, meeting["id"], "moderator")

        assert (await import_text(anonymous, REFERENCE_YAML)).status_code == 401
        # Refused before the file is read: its errors tell an outsider nothing.
        assert (await import_text(anonymous, "format: [broken")).status_code == 401
        assert (await import_text(participant, REFERENCE_YAML)).status_code == 403
        assert (await import_text(moderator, REFERENCE_YAML)).status_code == 403


async def test_export_is_for_the_meetings_organisers(
    app: FastAPI, client: httpx.AsyncClient, client_factory: ClientFactory
) -> None:
    await signed_in_organiser(app, client)
    meeting = await imported_meeting(client)
    async with (
        client_factory() as anonymous,
        client_factory() as participant,
        client_factory() as moderator,
        client_factory() as stranger,
    ):
        await join_by_invite(client, participant, meeting["id"], "participant")
        await join_by_invite(client, moderator, meeting["id"], "moderator")
        await signed_in_organiser(app, stranger, "stranger@example.org")

        assert (await export(anonymous, meeting["id"])).status_code == 401
        assert (await export(participant, meeting["id"])).status_code == 403
        assert (await export(moderator, meeting["id"])).status_code == 403
        assert (await export(stranger, meeting["id"])).status_code == 404
        assert (await export(client, str(uuid.uuid4()))).status_code == 404
        assert (await export(client, meeting["id"], "xml")).status_code == 422
