"""Finding: cross-site request forgery from same-site origins. A page on another port of the same
host (or a sibling subdomain) could make the signed-in organiser's browser import roster entries
and close questions: SameSite=Lax cookies do not separate origins of one site. State-changing
requests that carry a session cookie are refused (403 in the error shape) unless they come from an
allowed origin; bearer-token requests are unaffected."""

from __future__ import annotations

import httpx

from tests.questions.staging import Stage
from tests.security.test_nul_and_server_errors import assert_error_shape
from tests.world import ORGANISER_PASSWORD

FOREIGN = (
    {"origin": "http://testserver:8081"},
    {"origin": "http://reports.testserver"},
    {"origin": "null"},
    {"sec-fetch-site": "same-site"},
    {"sec-fetch-site": "cross-site"},
)


async def test_cookie_requests_from_foreign_origins_are_refused(stage: Stage) -> None:
    question = await stage.question()
    await stage.allocate(question["id"], 0)
    room, meeting = stage.rooms[0], stage.meeting_id
    for headers in FOREIGN:
        refused = [
            await stage.organiser.post(f"/api/meetings/{meeting}/broadcasts", json={"message": "Hi"}, headers=headers),
            await stage.organiser.post(f"/api/rooms/{room}/questions/{question['id']}/push", headers=headers),
            await stage.organiser.post(
                f"/api/meetings/{meeting}/participants/import",
                content=b"name,email,organisation,gender,role,room\nAmina Rahman,,Ministry,F,participant,\n",
                headers={**headers, "content-type": "text/plain"},
            ),
            await stage.organiser.delete(f"/api/rooms/{room}", headers=headers),
        ]
        for response in refused:
            assert assert_error_shape(response, 403)["code"] == "cross_site_request", headers
    assert await stage.events("broadcast.sent") == []
    assert await stage.events("question.pushed") == []
    roster = (await stage.organiser.get(f"/api/meetings/{meeting}/participants")).json()
    assert roster == []
    rooms = (await stage.organiser.get(f"/api/meetings/{meeting}/rooms", headers=FOREIGN[0])).json()
    assert len(rooms) == len(stage.rooms)


async def test_the_allowed_origin_api_clients_and_bearer_tokens_are_served(stage: Stage) -> None:
    url = f"/api/meetings/{stage.meeting_id}/broadcasts"
    same_origin = await stage.organiser.post(url, json={"message": "One"}, headers={"origin": "http://testserver"})
    assert same_origin.status_code == 201, same_origin.text
    no_origin = await stage.organiser.post(url, json={"message": "Two"}, headers={"sec-fetch-site": "same-origin"})
    assert no_origin.status_code == 201, no_origin.text
    api_client = await stage.organiser.post(url, json={"message": "Three"})
    assert api_client.status_code == 201, api_client.text
    anonymous = await stage.client()
    login = await anonymous.post(
        "/api/auth/login",
        json={"email": "organiser@example.org", "password": ORGANISER_PASSWORD, "session_delivery": "token"},
        headers={"origin": "http://testserver:8081"},
    )
    assert login.status_code == 200, login.text
    bearer = httpx.Headers({"authorization": f"Bearer {login.json()['token']}", "origin": "http://testserver:8081"})
    with_token = await anonymous.post(url, json={"message": "Four"}, headers=bearer)
    assert with_token.status_code == 201, with_token.text
    assert len(await stage.events("broadcast.sent")) == 4


async def test_only_the_documented_content_types_are_accepted(stage: Stage) -> None:
    meeting = stage.meeting_id
    url = f"/api/meetings/{meeting}/broadcasts"
    for content_type in ("text/plain", "application/x-www-form-urlencoded", None):
        headers = {"content-type": content_type} if content_type else {}
        refused = await stage.organiser.post(url, content=b'{"message": "Hi"}', headers=headers)
        assert assert_error_shape(refused, 415)["code"] == "unsupported_media_type", content_type
    csv = b"name,email,organisation,gender,role,room\nAmina Rahman,,Ministry,F,participant,\n"
    imported = await stage.organiser.post(
        f"/api/meetings/{meeting}/participants/import", content=csv, headers={"content-type": "text/plain"}
    )
    assert_error_shape(imported, 415)
    assert await stage.events("broadcast.sent") == []
    assert (await stage.organiser.get(f"/api/meetings/{meeting}/participants")).json() == []
    as_json = await stage.organiser.post(
        url, content=b'{"message": "Hi"}', headers={"content-type": "application/json"}
    )
    assert as_json.status_code == 201, as_json.text
    as_csv = await stage.organiser.post(
        f"/api/meetings/{meeting}/participants/import", content=csv, headers={"content-type": "text/csv; charset=utf-8"}
    )
    assert as_csv.status_code == 200, as_csv.text
