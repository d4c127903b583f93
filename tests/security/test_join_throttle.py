"""Finding: nothing throttled `/api/join`: 400 wrong codes at 86/s were all answered, and 60
anonymous joins with the right code made 60 roster entries. Attempts and wrong codes are limited
per address, new roster entries per meeting (open invite links too), with 429 `rate_limited` and
`Retry-After`; concurrent requests cannot slip past a limit."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from app.main import create_app
from app.participants.models import Participant
from app.state import AppState
from tests.conftest import ClientFactory, make_settings
from tests.databases import TestDatabase
from tests.world import new_meeting, signed_in_organiser

LIMITS = {
    "join_window_s": 600,
    "join_attempts_per_address": 12,
    "join_wrong_codes_per_address": 4,
    "join_new_entries_per_meeting": 6,
}


@pytest.fixture
async def throttled_app(database: TestDatabase) -> AsyncIterator[FastAPI]:
    application = create_app(make_settings(database, **LIMITS))
    async with application.router.lifespan_context(application):
        yield application


async def _meeting(app: FastAPI, email: str = "organiser@example.org") -> dict[str, Any]:
    async with ClientFactory(app)("203.0.113.1") as organiser:
        await signed_in_organiser(app, organiser, email)
        meeting = await new_meeting(organiser)
        opened = await organiser.post(f"/api/meetings/{meeting['id']}/phase", json={"phase": "lobby"})
        assert opened.status_code == 200, opened.text
        invite = await organiser.post(f"/api/meetings/{meeting['id']}/invites", json={"role": "participant"})
        assert invite.status_code == 201, invite.text
        return {**meeting, "open_link": invite.json()["url"].rsplit("/", 1)[1]}


async def _entries(app: FastAPI) -> int:
    state: AppState = app.state.breakouts
    async with state.database.reading() as session:
        return int(await session.scalar(select(func.count()).select_from(Participant)) or 0)


def _assert_throttled(response: httpx.Response) -> None:
    assert response.status_code == 429, response.text
    body = response.json()
    assert set(body) == {"code", "message", "details"} and body["code"] == "rate_limited"
    retry_after = int(response.headers["retry-after"])
    assert 0 < retry_after <= LIMITS["join_window_s"]
    assert body["details"]["retry_after_s"] == retry_after


async def test_wrong_codes_from_one_address_are_throttled_even_when_concurrent(throttled_app: FastAPI) -> None:
    meeting = await _meeting(throttled_app)
    async with ClientFactory(throttled_app)("198.51.100.20") as guesser:
        answers = await asyncio.gather(
            *(guesser.post("/api/join", json={"code": f"WRONG{n:03d}", "display_name": "Guess"}) for n in range(30))
        )
        assert sorted(a.status_code for a in answers) == [404] * LIMITS["join_wrong_codes_per_address"] + [429] * (
            30 - LIMITS["join_wrong_codes_per_address"]
        )
        _assert_throttled(next(a for a in answers if a.status_code == 429))
        # Now even the right code is refused from this address, until the window passes.
        right = await guesser.post("/api/join", json={"code": meeting["join_code"], "display_name": "Guess"})
        _assert_throttled(right)
    async with ClientFactory(throttled_app)("198.51.100.21") as elsewhere:
        joined = await elsewhere.post("/api/join", json={"code": meeting["join_code"], "display_name": "Dana"})
        assert joined.status_code == 200, joined.text


async def test_attempts_from_one_address_are_throttled(throttled_app: FastAPI) -> None:
    first, second = await _meeting(throttled_app), await _meeting(throttled_app, "second@example.org")
    # Right and wrong codes both count: 3 wrong, 6 joins of one meeting, 3 of another: 12.
    codes = ["NOPE0000"] * 3 + [first["join_code"]] * 6 + [second["join_code"]] * 3
    assert len(codes) == LIMITS["join_attempts_per_address"]
    async with ClientFactory(throttled_app)("198.51.100.30") as one:
        for n, code in enumerate(codes):
            answer = await one.post("/api/join", json={"code": code, "display_name": f"Person {n}"})
            assert answer.status_code == (404 if code == "NOPE0000" else 200), answer.text
        _assert_throttled(await one.post("/api/join", json={"code": second["join_code"], "display_name": "One more"}))


async def test_new_roster_entries_per_meeting_are_throttled_from_any_address(throttled_app: FastAPI) -> None:
    meeting = await _meeting(throttled_app)
    limit = LIMITS["join_new_entries_per_meeting"]
    before = await _entries(throttled_app)
    factory = ClientFactory(throttled_app)
    answers = []
    for n in range(limit + 4):
        async with factory(f"192.0.2.{n + 1}") as person:
            if n % 2:
                answers.append(
                    await person.post(f"/api/invites/{meeting['open_link']}/open", json={"display_name": f"P{n}"})
                )
            else:
                answers.append(
                    await person.post("/api/join", json={"code": meeting["join_code"], "display_name": f"P{n}"})
                )
    assert [a.status_code for a in answers] == [200] * limit + [429] * 4
    for answer in answers[limit:]:
        _assert_throttled(answer)
    assert await _entries(throttled_app) == before + limit


# A venue's crowd behind one address (its Wi-Fi's NAT), all joining at once with the right code.
VENUE = {**LIMITS, "join_attempts_per_address": 80, "join_new_entries_per_meeting": 80}
VENUE_CROWD = 50


@pytest.fixture
async def venue_app(database: TestDatabase) -> AsyncIterator[FastAPI]:
    application = create_app(make_settings(database, **VENUE))
    async with application.router.lifespan_context(application):
        yield application


async def test_a_crowd_behind_one_address_joins_at_once_and_wrong_codes_are_still_throttled(
    venue_app: FastAPI,
) -> None:
    meeting = await _meeting(venue_app)
    before = await _entries(venue_app)
    async with ClientFactory(venue_app)("198.51.100.40") as venue:
        answers = await asyncio.gather(
            *(
                venue.post("/api/join", json={"code": meeting["join_code"], "display_name": f"Guest {n}"})
                for n in range(VENUE_CROWD)
            )
        )
        assert [a.status_code for a in answers] == [200] * VENUE_CROWD, [
            a.text for a in answers if a.status_code != 200
        ]
        assert await _entries(venue_app) == before + VENUE_CROWD
        # Wrong codes from the same address still count, and at the limit the right one is refused too.
        wrong = [await venue.post("/api/join", json={"code": f"NOPE{n:04d}", "display_name": "G"}) for n in range(5)]
        assert [a.status_code for a in wrong] == [404] * LIMITS["join_wrong_codes_per_address"] + [429]
        _assert_throttled(wrong[-1])
        _assert_throttled(await venue.post("/api/join", json={"code": meeting["join_code"], "display_name": "Late"}))
