"""Personal invitation links for the whole roster: one idempotent call, read back as JSON and CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI

from app.auth.roster_links import inert_cell
from tests.conftest import ClientFactory
from tests.participants.scene import Scene, build_scene


@pytest.fixture
async def scene(app: FastAPI, client: httpx.AsyncClient, client_factory: ClientFactory) -> AsyncIterator[Scene]:
    async with build_scene(app, client, client_factory) as built:
        yield built


def read_csv(response: httpx.Response) -> list[dict[str, str]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


async def test_one_call_gives_everyone_a_link_and_a_second_call_keeps_them(scene: Scene) -> None:
    room = await scene.room("Room 2")
    amina = await scene.entry("Amina Rahman", email="amina@example.org", room_id=room["id"])
    await scene.entry("Bilal Khan")
    await scene.entry("Maya Moderator", role="moderator")
    # Someone with an active personal link keeps it; a revoked one does not count.
    kept = await scene.organiser.post(
        f"/api/meetings/{scene.meeting_id}/invites", json={"role": "participant", "participant_id": amina["id"]}
    )
    erased = await scene.entry("Erin Erased")
    assert (
        await scene.organiser.post(f"/api/participants/{erased['id']}/erase", json={"reason": "asked"})
    ).status_code == 200
    url = f"/api/meetings/{scene.meeting_id}/invites/roster"

    first = await scene.organiser.post(url, json={})
    assert first.status_code == 200, first.text
    body = first.json()
    assert body["created"] == 2
    names = [link["display_name"] for link in body["links"]]
    assert names == ["Amina Rahman", "Bilal Khan", "Maya Moderator"]
    by_name = {link["display_name"]: link for link in body["links"]}
    assert by_name["Amina Rahman"]["url"] == kept.json()["url"]
    assert (by_name["Amina Rahman"]["room_name"], by_name["Amina Rahman"]["email"]) == ("Room 2", "amina@example.org")
    assert by_name["Maya Moderator"]["role"] == "moderator"

    again = await scene.organiser.post(url, json={})
    assert again.json() == {"created": 0, "links": body["links"]}
    assert (await scene.organiser.get(url)).json()["links"] == body["links"]
    invites = (await scene.organiser.get(f"/api/meetings/{scene.meeting_id}/invites")).json()
    assert len([invite for invite in invites if invite["participant_id"]]) == 3

    # A revoked link is replaced by a new one on the next call; only the new one is listed.
    bilal = by_name["Bilal Khan"]
    bilal_invite = next(invite for invite in invites if invite["participant_id"] == bilal["participant_id"])
    revoked = await scene.organiser.post(f"/api/meetings/{scene.meeting_id}/invites/{bilal_invite['id']}/revoke")
    assert revoked.status_code == 200
    renewed = (await scene.organiser.post(url, json={"roles": ["participant"]})).json()
    assert renewed["created"] == 1
    assert {link["display_name"]: link["url"] for link in renewed["links"]}["Bilal Khan"] != bilal["url"]

    # The link opens as that person.
    person = await scene.client()
    token = by_name["Amina Rahman"]["url"].rsplit("/", 1)[1]
    opened = await person.post(f"/api/invites/{token}/open", json={})
    assert opened.status_code == 200, opened.text
    assert (await person.get(f"/api/meetings/{scene.meeting_id}/participants/me")).json()["id"] == amina["id"]

    rows = read_csv(await scene.organiser.get(f"{url}.csv"))
    assert list(rows[0]) == ["name", "email", "room", "link"]
    assert [(row["name"], row["email"], row["room"]) for row in rows] == [
        ("Amina Rahman", "amina@example.org", "Room 2"),
        ("Bilal Khan", "", ""),
        ("Maya Moderator", "", ""),
    ]
    assert rows[0]["link"] == by_name["Amina Rahman"]["url"]


async def test_csv_cells_never_start_a_formula(scene: Scene) -> None:
    hostile = ['=HYPERLINK("http://evil")', "+1+1", "-2+3", "@SUM(A1)", " =1+1", "\t=1", "Ok\r\n=cmd|' /C calc'!A0"]
    for name in hostile:
        await scene.entry(name)
    await scene.organiser.post(f"/api/meetings/{scene.meeting_id}/invites/roster", json={})
    rows = read_csv(await scene.organiser.get(f"/api/meetings/{scene.meeting_id}/invites/roster.csv"))
    assert len(rows) == len(hostile)
    for row in rows:
        for cell in row.values():
            assert "\r" not in cell and "\n" not in cell
            assert not cell.lstrip(" \t").startswith(("=", "+", "-", "@")), cell
    assert inert_cell("Amina Rahman") == "Amina Rahman"
    assert inert_cell("=1") == "'=1"
    assert inert_cell("a\n=1") == "a =1"


@pytest.mark.parametrize(
    "body",
    [
        {"roles": []},
        {"roles": ["organiser"]},
        {"roles": "participant"},
        {"roles": ["participant"] * 4},
        {"roles": [None]},
    ],
)
async def test_bad_requests_are_refused_and_create_nothing(scene: Scene, body: object) -> None:
    await scene.entry("Bilal Khan")
    refused = await scene.organiser.post(f"/api/meetings/{scene.meeting_id}/invites/roster", json=body)
    assert refused.status_code == 422, refused.text
    assert set(refused.json()) == {"code", "message", "details"}
    assert (await scene.organiser.get(f"/api/meetings/{scene.meeting_id}/invites")).json() == []


async def test_people_other_than_the_organiser_get_no_links(scene: Scene) -> None:
    participant = await scene.person("Parvez")
    stranger = await scene.stranger()
    url = f"/api/meetings/{scene.meeting_id}/invites/roster"
    assert (await participant.http.post(url, json={})).status_code == 403
    assert (await participant.http.get(f"{url}.csv")).status_code == 403
    assert (await stranger.get(url)).status_code == 404
    assert (await (await scene.client()).get(f"{url}.csv")).status_code == 401
