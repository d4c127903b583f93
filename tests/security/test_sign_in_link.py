"""Finding: the organiser sign-in link that `breakouts demo` / `make run` print worked for twelve
hours, again and again, and could not be revoked. It opens once; a second use (also one racing the
first) is refused with `sign_in_link_used`, which tells the organiser to sign in with their
password, and staging again prints a new link that works."""

from __future__ import annotations

import asyncio

import httpx
from fastapi import FastAPI

from app.demo.service import another_organiser_link
from app.state import AppState
from tests.conftest import ClientFactory
from tests.demo.test_staging import open_link, stage, token


async def test_the_organiser_link_opens_once(app: FastAPI, client_factory: ClientFactory) -> None:
    links = await stage(app)
    async with client_factory() as first, client_factory() as second:
        assert (await open_link(first, links.organiser_link)).status_code == 200
        assert (await first.get("/api/auth/me")).json()["account"] is not None

        again = await open_link(second, links.organiser_link)
        assert again.status_code == 404
        assert again.json()["code"] == "sign_in_link_used"
        assert "email and password" in again.json()["message"]
        preview = await second.get(f"/api/invites/{token(links.organiser_link)}")
        assert preview.status_code == 404 and preview.json()["code"] == "sign_in_link_used"
        assert (await second.get("/api/auth/me")).status_code == 401

        fresh = await stage(app)  # what `make run` does each time: a new link that works
        assert fresh.organiser_link != links.organiser_link
        assert (await open_link(second, fresh.organiser_link)).status_code == 200


async def test_concurrent_opens_of_the_organiser_link_sign_in_once(app: FastAPI, client_factory: ClientFactory) -> None:
    for _ in range(3):
        links = await stage(app)
        clients = [client_factory() for _ in range(8)]
        try:
            answers: list[httpx.Response] = await asyncio.gather(
                *(open_link(client, links.organiser_link) for client in clients)
            )
        finally:
            for client in clients:
                await client.aclose()
        assert sorted(answer.status_code for answer in answers) == [200] + [404] * 7


async def test_the_simulation_signs_in_with_a_link_of_its_own(app: FastAPI, client_factory: ClientFactory) -> None:
    """`breakouts demo --simulate` prints the link, then signs its simulated organiser in: with
    another link, so the printed one still opens for the person who reads it."""
    links = await stage(app)
    state: AppState = app.state.breakouts
    own = await another_organiser_link(state.database, state.bus, state.settings, links)
    assert own != links.organiser_link
    async with client_factory() as simulation, client_factory() as person:
        assert (await open_link(simulation, own)).status_code == 200
        assert (await open_link(person, links.organiser_link)).status_code == 200
