"""Finding: a template file holding an integer of more than 4,300 digits (JSON or YAML) was a 500:
Python refuses to convert such a number with a ValueError that neither parser's error covers. It
is a 422 ``invalid_template`` now. The same number in a JSON request body is a 400 (a body the
server cannot read), and in a socket frame an ``invalid_frame`` error (bench/hostile.py)."""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from tests.security.test_nul_and_server_errors import assert_error_shape
from tests.templates.documents import REFERENCE_YAML
from tests.world import signed_in_organiser

HUGE = "9" * 5000


async def _import(http: httpx.AsyncClient, text: str, content_type: str) -> httpx.Response:
    return await http.post("/api/meetings/import", content=text.encode(), headers={"content-type": content_type})


async def test_a_number_beyond_what_python_converts_is_a_422(app: FastAPI, client: httpx.AsyncClient) -> None:
    await signed_in_organiser(app, client)
    organiser_client = client
    json_text = '{"format": "breakouts-meeting", "version": 1, "meeting": {"title": "x", "position": %s}}' % HUGE  # noqa: UP031
    yaml_text = REFERENCE_YAML + f"\nextra_number: {HUGE}\n"
    for text, content_type in ((json_text, "application/json"), (yaml_text, "application/x-yaml")):
        refused = await _import(organiser_client, text, content_type)
        body = assert_error_shape(refused, 422)
        assert body["code"] == "invalid_template", refused.text
        assert "digits" in body["message"]
    meetings = await organiser_client.get("/api/meetings")
    assert meetings.json() == []
    room = await organiser_client.post(
        "/api/meetings", content=b'{"title": "x", "position": ' + HUGE.encode() + b"}",
        headers={"content-type": "application/json"},
    )  # fmt: skip
    assert_error_shape(room, 400)  # a body the server cannot read (docs/security.md)
