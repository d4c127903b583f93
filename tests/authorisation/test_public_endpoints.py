"""The endpoints reached without a session (the matrix leaves them out): each admits exactly what
its credential allows, and a revoked or forged credential reads the same as a missing one."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from app.auth.models import Invite
from app.auth.secrets import sign_id
from app.auth.service import INVITE_PURPOSE
from app.meetings.models import Meeting
from app.projector.service import PROJECTOR_LINK_PURPOSE
from app.reports.service import REPORT_LINK_PURPOSE
from app.state import AppState
from tests.authorisation.fingerprint import fingerprint
from tests.authorisation.world import build_world
from tests.world import ORGANISER_PASSWORD, add_account


@pytest.fixture
async def http(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app, client=("198.51.100.10", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


def _signed(app: FastAPI, purpose: str, value: Any) -> str:
    state: AppState = app.state.breakouts
    return sign_id(state.settings.secret_key.get_secret_value(), purpose, value)


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_health_needs_no_session(http: httpx.AsyncClient) -> None:
    assert (await http.get("/healthz")).status_code == 200
    assert (await http.get("/readyz")).status_code == 200


async def test_login_admits_the_right_password_only(app: FastAPI, http: httpx.AsyncClient) -> None:
    await add_account(app, "owner@authz.example")
    wrong = await http.post("/api/auth/login", json={"email": "owner@authz.example", "password": "not it at all"})
    unknown = await http.post("/api/auth/login", json={"email": "nobody@authz.example", "password": "not it at all"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()
    body = {"email": "owner@authz.example", "password": ORGANISER_PASSWORD, "session_delivery": "token"}
    signed_in = await http.post("/api/auth/login", json=body)
    assert signed_in.status_code == 200
    assert (await http.get("/api/meetings", headers=_bearer(signed_in.json()["token"]))).status_code == 200


async def test_a_meeting_code_joins_the_meeting_but_no_room(app: FastAPI, http: httpx.AsyncClient) -> None:
    world = await build_world(app)
    missing = await http.post("/api/join", json={"code": "ZZZZ99", "display_name": "Guess"})
    assert missing.status_code == 404
    joined = await http.post(
        "/api/join", json={"code": world.join_code, "display_name": "Newcomer", "session_delivery": "token"}
    )
    assert joined.status_code == 200, joined.text
    newcomer = _bearer(joined.json()["token"])
    http.cookies.clear()
    assert (await http.get(f"/api/meetings/{world.meeting_id}", headers=newcomer)).status_code == 200
    assert (await http.get(f"/api/rooms/{world.room_a}/answers", headers=newcomer)).status_code == 403
    assert (await http.get(f"/api/meetings/{world.meeting_id}/participants", headers=newcomer)).status_code == 403


async def _open(http: httpx.AsyncClient, token: str, name: str = "Invited") -> httpx.Response:
    http.cookies.clear()
    return await http.post(f"/api/invites/{token}/open", json={"display_name": name, "session_delivery": "token"})


async def test_an_invite_admits_its_role_and_room_and_a_bad_one_reads_as_missing(
    app: FastAPI, http: httpx.AsyncClient
) -> None:
    world = await build_world(app)
    opened = await _open(http, _signed(app, INVITE_PURPOSE, world.invite))
    assert opened.status_code == 200, opened.text
    invited = _bearer(opened.json()["token"])
    assert (await http.get(f"/api/rooms/{world.room_a}/answers", headers=invited)).status_code == 200
    assert (await http.get(f"/api/rooms/{world.room_b}/answers", headers=invited)).status_code == 403

    other_secret = sign_id("another-secret-key-that-is-long-enough-to-sign", INVITE_PURPOSE, world.invite)
    revoke = f"/api/meetings/{world.meeting_id}/invites/{world.invite}/revoke"
    assert (await http.post(revoke, headers=_bearer(world.tokens["organiser"]))).status_code == 200
    refusals = [
        await _open(http, token)
        for token in (
            _signed(app, INVITE_PURPOSE, world.invite),  # revoked
            _signed(app, INVITE_PURPOSE, world.answer_a),  # signed, but no such invite
            _signed(app, REPORT_LINK_PURPOSE, world.invite),  # signed for another purpose
            other_secret,
            "not-a-token",
        )
    ]
    assert [refusal.status_code for refusal in refusals] == [404] * len(refusals)
    assert len({refusal.text for refusal in refusals}) == 1, [refusal.text for refusal in refusals]


async def test_an_open_moderator_invite_makes_a_moderator_of_its_room(app: FastAPI, http: httpx.AsyncClient) -> None:
    """As adding a moderator with a room to the roster does: whoever opens the link steers that room."""
    world = await build_world(app)
    organiser = _bearer(world.tokens["organiser"])
    invite = await http.post(
        f"/api/meetings/{world.meeting_id}/invites",
        json={"role": "moderator", "room_id": str(world.room_a)},
        headers=organiser,
    )
    assert invite.status_code == 201, invite.text
    opened = await _open(http, invite.json()["url"].rsplit("/", 1)[1], "Second moderator")
    assert opened.status_code == 200, opened.text
    moderator = _bearer(opened.json()["token"])
    steered = await http.post(f"/api/rooms/{world.room_a}/questions/{world.q_live}/close", headers=moderator)
    assert steered.status_code == 200, steered.text
    other_room = f"/api/rooms/{world.room_b}/questions/{world.q_live}/close"
    assert (await http.post(other_room, headers=moderator)).status_code == 403


async def test_an_invite_says_what_it_grants_before_it_is_opened(app: FastAPI, http: httpx.AsyncClient) -> None:
    """Role, room and meeting of the link only; nothing written; a bad link reads as a missing one."""
    world = await build_world(app)
    organiser = _bearer(world.tokens["organiser"])
    moderator_link = await http.post(
        f"/api/meetings/{world.meeting_id}/invites",
        json={"role": "moderator", "participant_id": str(world.moderator_a)},
        headers=organiser,
    )
    assert moderator_link.status_code == 201, moderator_link.text
    http.cookies.clear()
    before = await fingerprint(app)

    open_link = await http.get(f"/api/invites/{_signed(app, INVITE_PURPOSE, world.invite)}")
    assert open_link.status_code == 200, open_link.text
    assert open_link.json() == {
        "meeting_id": str(world.meeting_id),
        "meeting_title": open_link.json()["meeting_title"],
        "role": "participant",
        "room_name": "Room A",
        "personal": False,
        "invitee_name": None,
        "participant_id": None,
        "name_required": True,
        "closed": False,
        "signed_in_as": {"account": None, "participant": None},
    }
    assert open_link.json()["meeting_title"].startswith("Authorisation world")

    personal = await http.get(f"/api/invites/{moderator_link.json()['url'].rsplit('/', 1)[1]}")
    assert personal.status_code == 200, personal.text
    body = personal.json()
    assert (body["role"], body["room_name"], body["personal"], body["name_required"]) == (
        "moderator",
        "Room A",
        True,
        False,
    )
    assert (body["invitee_name"], body["participant_id"]) == (world.people["moderator_a"].name, str(world.moderator_a))
    for person in world.people.values():
        assert person.email not in personal.text
        if person.name != world.people["moderator_a"].name:
            assert person.name not in personal.text and person.name not in open_link.text
    as_peer = await http.get(personal.request.url.path, headers=_bearer(world.tokens["participant_a"]))
    assert as_peer.status_code == 200, as_peer.text
    assert as_peer.json()["signed_in_as"]["participant"]["participant_id"] == str(world.participant_a)
    assert as_peer.json()["signed_in_as"]["account"] is None
    assert await fingerprint(app) == before, "reading a link must not open it"

    revoke = f"/api/meetings/{world.meeting_id}/invites/{world.invite}/revoke"
    assert (await http.post(revoke, headers=organiser)).status_code == 200
    http.cookies.clear()
    other_secret = sign_id("another-secret-key-that-is-long-enough-to-sign", INVITE_PURPOSE, world.invite)
    refusals = [
        await http.get(f"/api/invites/{token}")
        for token in (
            _signed(app, INVITE_PURPOSE, world.invite),  # revoked
            _signed(app, INVITE_PURPOSE, world.answer_a),  # signed, but no such invite
            _signed(app, REPORT_LINK_PURPOSE, world.invite),  # signed for another purpose
            other_secret,
            "not-a-token",
            "x" * 600,
        )
    ]
    assert [refusal.status_code for refusal in refusals] == [404] * len(refusals)
    assert len({refusal.text for refusal in refusals}) == 1, [refusal.text for refusal in refusals]
    assert set(refusals[0].json()) == {"code", "message", "details"}


async def test_an_organiser_sign_in_link_says_it_is_one(app: FastAPI, http: httpx.AsyncClient) -> None:
    world = await build_world(app)
    state: AppState = app.state.breakouts
    invite_id = uuid.uuid4()
    async with state.database.write_sessions() as session:
        meeting = await session.get(Meeting, world.meeting_id)
        assert meeting is not None
        session.add(Invite(id=invite_id, meeting_id=meeting.id, role="organiser", account_id=meeting.owner_id))
        await session.commit()
    preview = await http.get(f"/api/invites/{_signed(app, INVITE_PURPOSE, invite_id)}")
    assert preview.status_code == 200, preview.text
    body = preview.json()
    assert (body["role"], body["personal"], body["name_required"], body["room_name"], body["invitee_name"]) == (
        "organiser",
        True,
        False,
        None,
        "Owner",
    )


REPORT_FORMATS = ("", "/report.md", "/report.docx", "/report.pdf", "/answers.csv")


async def test_the_report_link_opens_the_report_until_revoked(app: FastAPI, http: httpx.AsyncClient) -> None:
    world = await build_world(app)
    token = _signed(app, REPORT_LINK_PURPOSE, world.report_token_id)
    for suffix in REPORT_FORMATS:
        shared = await http.get(f"/api/reports/{token}{suffix}")
        assert shared.status_code == 200, (suffix, shared.text)
        if suffix not in ("/report.docx", "/report.pdf"):
            # The report names authors of anonymous-to-peers answers by pseudonym only.
            for person in world.people.values():
                assert person.email not in shared.text and person.name not in shared.text, (suffix, person)

    revoke = await http.delete(
        f"/api/meetings/{world.meeting_id}/report-link", headers=_bearer(world.tokens["organiser"])
    )
    assert revoke.status_code == 204
    forged = sign_id("another-secret-key-that-is-long-enough-to-sign", REPORT_LINK_PURPOSE, world.report_token_id)
    for suffix in REPORT_FORMATS:
        refusals = [
            await http.get(f"/api/reports/{candidate}{suffix}")
            for candidate in (token, forged, _signed(app, INVITE_PURPOSE, world.report_token_id), "not-a-token")
        ]
        assert [refusal.status_code for refusal in refusals] == [404] * len(refusals), suffix
        assert len({refusal.text for refusal in refusals}) == 1, [refusal.text for refusal in refusals]


async def test_a_session_ends_at_logout(app: FastAPI, http: httpx.AsyncClient) -> None:
    world = await build_world(app)
    participant = _bearer(world.tokens["participant_a"])
    assert (await http.get("/api/auth/me", headers=participant)).status_code == 200
    assert (await http.post("/api/auth/logout", headers=participant)).status_code == 204
    http.cookies.clear()
    assert (await http.get("/api/auth/me", headers=participant)).status_code == 401
    assert (await http.get(f"/api/meetings/{world.meeting_id}", headers=participant)).status_code == 401


PROJECTOR_READS = ("", "/snapshot", "/questions", "/plenary")


async def test_the_projector_link_reads_without_names_until_revoked(app: FastAPI, http: httpx.AsyncClient) -> None:
    world = await build_world(app)
    token = _signed(app, PROJECTOR_LINK_PURPOSE, world.projector_token_id)
    for suffix in PROJECTOR_READS:
        read = await http.get(f"/api/projector/{token}{suffix}")
        assert read.status_code == 200, (suffix, read.text)
        for person in world.people.values():
            assert person.email not in read.text and person.name not in read.text, (suffix, person)
    assert (await http.post(f"/api/projector/{token}/tickets")).status_code == 201
    # The link is no session: as a bearer token it opens nothing.
    assert (await http.get(f"/api/meetings/{world.meeting_id}", headers=_bearer(token))).status_code == 401

    revoke = await http.delete(
        f"/api/meetings/{world.meeting_id}/projector-link", headers=_bearer(world.tokens["organiser"])
    )
    assert revoke.status_code == 204
    forged = sign_id("another-secret-key-that-is-long-enough-to-sign", PROJECTOR_LINK_PURPOSE, world.projector_token_id)
    for suffix in PROJECTOR_READS:
        refusals = [
            await http.get(f"/api/projector/{candidate}{suffix}")
            for candidate in (
                token,
                forged,
                _signed(app, REPORT_LINK_PURPOSE, world.projector_token_id),
                "not-a-token",
            )
        ]
        assert [refusal.status_code for refusal in refusals] == [404] * len(refusals), suffix
        assert len({refusal.text for refusal in refusals}) == 1, [refusal.text for refusal in refusals]
        assert refusals[0].json()["code"] == "projector_link_invalid"
    assert (await http.post(f"/api/projector/{token}/tickets")).status_code == 404
