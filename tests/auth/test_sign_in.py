"""Organiser sign-in, throttling, sign-out, invite links and the meeting code."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
from fastapi import FastAPI

from tests.conftest import ClientFactory
from tests.world import ORGANISER_PASSWORD, add_account, new_meeting, signed_in_organiser


def _token(invite: dict[str, str]) -> str:
    return invite["url"].rsplit("/", 1)[1]


async def test_login_sets_an_http_only_cookie_and_logout_revokes_it(app: FastAPI, client: httpx.AsyncClient) -> None:
    await add_account(app, "lead@example.org", "Policy Lead")
    response = await client.post("/api/auth/login", json={"email": "Lead@Example.org", "password": ORGANISER_PASSWORD})
    assert response.status_code == 200
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie
    token = client.cookies["breakouts_session"]
    assert (await client.get("/api/auth/me")).json()["account"]["display_name"] == "Policy Lead"

    assert (await client.post("/api/auth/logout")).status_code == 204
    replay = await client.get("/api/auth/me", headers={"authorization": f"Bearer {token}"})
    assert replay.status_code == 401


async def test_wrong_passwords_are_throttled_per_account_and_per_address(
    app: FastAPI, client_factory: ClientFactory
) -> None:
    await add_account(app, "target@example.org")
    async with client_factory("203.0.113.5") as attacker:
        for _ in range(5):
            wrong = await attacker.post("/api/auth/login", json={"email": "target@example.org", "password": "nope"})
            assert wrong.status_code == 401
            assert wrong.json()["code"] == "not_authenticated"
        throttled = await attacker.post(
            "/api/auth/login", json={"email": "target@example.org", "password": ORGANISER_PASSWORD}
        )
        assert throttled.status_code == 429
        assert throttled.json()["code"] == "rate_limited"
        # The same address is throttled for other accounts too.
        await add_account(app, "other@example.org")
        other = await attacker.post(
            "/api/auth/login", json={"email": "other@example.org", "password": ORGANISER_PASSWORD}
        )
        assert other.status_code == 429
    async with client_factory("198.51.100.99") as elsewhere:
        # And the account is throttled from another address as well.
        again = await elsewhere.post(
            "/api/auth/login", json={"email": "target@example.org", "password": ORGANISER_PASSWORD}
        )
        assert again.status_code == 429


async def test_unknown_email_and_wrong_password_answer_alike(app: FastAPI, client: httpx.AsyncClient) -> None:
    await add_account(app, "known@example.org")
    unknown = await client.post("/api/auth/login", json={"email": "nobody@example.org", "password": "x" * 12})
    wrong = await client.post("/api/auth/login", json={"email": "known@example.org", "password": "x" * 12})
    assert unknown.status_code == wrong.status_code == 401
    assert unknown.json() == wrong.json()


async def test_open_link_creates_a_participant_and_personal_link_signs_in_the_roster_entry(
    app: FastAPI, client: httpx.AsyncClient, client_factory: ClientFactory
) -> None:
    await signed_in_organiser(app, client)
    meeting = await new_meeting(client)
    invite = (await client.post(f"/api/meetings/{meeting['id']}/invites", json={"role": "participant"})).json()
    assert invite["url"].startswith("http://testserver/join/")

    async with client_factory() as phone:
        nameless = await phone.post(f"/api/invites/{_token(invite)}/open", json={})
        assert nameless.status_code == 422
        joined = await phone.post(
            f"/api/invites/{_token(invite)}/open",
            json={"display_name": "Farida Yasmin", "organisation": "Legal Aid", "gender": "female"},
        )
        assert joined.status_code == 200, joined.text
        assert joined.json()["role"] == "participant"
        assert joined.json()["token"] is None
        me = (await phone.get("/api/auth/me")).json()
        assert me["participant"]["display_name"] == "Farida Yasmin"
        assert me["account"] is None
        seen = await phone.get(f"/api/meetings/{meeting['id']}")
        assert seen.status_code == 200
        assert (await phone.post(f"/api/meetings/{meeting['id']}/phase", json={"phase": "lobby"})).status_code == 403
        participant_id = joined.json()["participant_id"]

    personal = await client.post(
        f"/api/meetings/{meeting['id']}/invites", json={"role": "participant", "participant_id": participant_id}
    )
    assert personal.status_code == 201
    async with client_factory() as laptop:
        again = await laptop.post(f"/api/invites/{_token(personal.json())}/open", json={"session_delivery": "token"})
        assert again.json()["participant_id"] == participant_id
        bearer = again.json()["token"]
        assert bearer
    async with client_factory() as api_client:
        me = await api_client.get("/api/auth/me", headers={"authorization": f"Bearer {bearer}"})
        assert me.json()["participant"]["participant_id"] == participant_id


async def test_a_blank_name_is_no_name_on_every_door(
    app: FastAPI, client: httpx.AsyncClient, client_factory: ClientFactory
) -> None:
    """The open link and the code ask for a name and refuse a missing or blank one alike; a
    personal link keeps the roster's name when none (or only spaces) is given."""
    await signed_in_organiser(app, client)
    meeting = await new_meeting(client)
    invite = (await client.post(f"/api/meetings/{meeting['id']}/invites", json={"role": "participant"})).json()
    async with client_factory() as phone:
        for body in ({}, {"display_name": ""}, {"display_name": "   "}):
            opened = await phone.post(f"/api/invites/{_token(invite)}/open", json=body)
            coded = await phone.post("/api/join", json={"code": meeting["join_code"], **body})
            for refused in (opened, coded):
                assert refused.status_code == 422, (body, refused.text)
                assert refused.json()["message"].startswith("display_name"), refused.json()
        preview = await phone.get(f"/api/invites/{_token(invite)}")
        assert preview.json()["name_required"] is True

    added = await client.post(
        f"/api/meetings/{meeting['id']}/participants", json={"display_name": "Mita Roy", "email": "mita@example.org"}
    )
    assert added.status_code == 201, added.text
    personal = await client.post(
        f"/api/meetings/{meeting['id']}/invites", json={"role": "participant", "participant_id": added.json()["id"]}
    )
    async with client_factory() as laptop:
        preview = await laptop.get(f"/api/invites/{_token(personal.json())}")
        assert (preview.json()["name_required"], preview.json()["invitee_name"]) == (False, "Mita Roy")
        opened = await laptop.post(f"/api/invites/{_token(personal.json())}/open", json={"display_name": "  "})
        assert opened.status_code == 200, opened.text
        assert opened.json()["display_name"] == "Mita Roy"


async def test_revoked_expired_and_forged_links_are_refused(
    app: FastAPI, client: httpx.AsyncClient, client_factory: ClientFactory
) -> None:
    await signed_in_organiser(app, client)
    meeting = await new_meeting(client)
    base = f"/api/meetings/{meeting['id']}/invites"
    revoked = (await client.post(base, json={"role": "participant"})).json()
    assert (await client.post(f"{base}/{revoked['id']}/revoke")).json()["revoked_at"] is not None
    soon = (datetime.now(UTC) + timedelta(seconds=30)).isoformat()
    expiring = (await client.post(base, json={"role": "observer", "expires_at": soon})).json()
    past = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
    assert (await client.post(base, json={"role": "observer", "expires_at": past})).status_code == 422

    async with client_factory() as phone:
        body = {"display_name": "Someone"}
        assert (await phone.post(f"/api/invites/{_token(revoked)}/open", json=body)).status_code == 404
        forged = _token(expiring)[:-2] + ("AA" if not _token(expiring).endswith("AA") else "BB")
        assert (await phone.post(f"/api/invites/{forged}/open", json=body)).status_code == 404
        assert (await phone.post("/api/invites/not-a-token/open", json=body)).status_code == 404
        assert (await phone.post(f"/api/invites/{_token(expiring)}/open", json=body)).json()["role"] == "observer"

    listed = (await client.get(base)).json()
    assert {invite["id"] for invite in listed} == {revoked["id"], expiring["id"]}


async def test_join_by_code_and_strangers_cannot_tell_meetings_apart(
    app: FastAPI, client: httpx.AsyncClient, client_factory: ClientFactory
) -> None:
    await signed_in_organiser(app, client)
    meeting = await new_meeting(client)
    async with client_factory() as phone:
        joined = await phone.post(
            "/api/join", json={"code": meeting["join_code"].lower(), "display_name": "Rahim Uddin"}
        )
        assert joined.status_code == 200, joined.text
        assert (await phone.post("/api/join", json={"code": "ZZZZZZ", "display_name": "X"})).status_code == 404

    async with client_factory() as stranger_http:
        await signed_in_organiser(app, stranger_http, "stranger@example.org")
        existing = await stranger_http.get(f"/api/meetings/{meeting['id']}")
        missing = await stranger_http.get("/api/meetings/00000000-0000-0000-0000-000000000000")
        assert existing.status_code == missing.status_code == 404
        assert existing.json() == missing.json()
    async with client_factory() as anonymous:
        assert (await anonymous.get(f"/api/meetings/{meeting['id']}")).status_code == 401
