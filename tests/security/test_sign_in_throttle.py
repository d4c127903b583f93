"""Finding: the sign-in throttle could be raced on PostgreSQL. Concurrent wrong passwords for one
account each counted the failures before any of them was recorded, so far more passwords were
checked than the limit allows. An attempt is now counted and recorded in one step before its
password is checked: exactly the allowed number of attempts is checked, the rest get 429."""

from __future__ import annotations

import asyncio
from collections import Counter

from fastapi import FastAPI

from app.state import AppState
from tests.conftest import ClientFactory
from tests.world import ORGANISER_PASSWORD, add_account

ATTEMPTS = 40
ROUNDS = 3


async def test_concurrent_wrong_passwords_get_exactly_the_allowed_checks(
    app: FastAPI, client_factory: ClientFactory
) -> None:
    state: AppState = app.state.breakouts
    allowed = state.settings.login_failures_allowed
    for round_number in range(ROUNDS):
        email = f"organiser-{round_number}@example.org"
        await add_account(app, email)
        async with client_factory(f"203.0.113.{round_number + 1}") as http:
            responses = await asyncio.gather(
                *(
                    http.post("/api/auth/login", json={"email": email, "password": "wrong guess"})
                    for _ in range(ATTEMPTS)
                )
            )
            statuses = Counter(response.status_code for response in responses)
            assert statuses == {401: allowed, 429: ATTEMPTS - allowed}, (round_number, statuses)
            assert all(set(response.json()) == {"code", "message", "details"} for response in responses)
            correct = await http.post("/api/auth/login", json={"email": email, "password": ORGANISER_PASSWORD})
            assert correct.status_code == 429, correct.text
            assert correct.headers["retry-after"] == str(state.settings.login_failure_window_s)


async def test_a_correct_password_within_the_limit_still_signs_in(app: FastAPI, client_factory: ClientFactory) -> None:
    await add_account(app, "organiser@example.org")
    async with client_factory() as http:
        wrong = await http.post("/api/auth/login", json={"email": "organiser@example.org", "password": "nope"})
        assert wrong.status_code == 401
        right = await http.post(
            "/api/auth/login", json={"email": "organiser@example.org", "password": ORGANISER_PASSWORD}
        )
        assert right.status_code == 200, right.text
        again = await http.post("/api/auth/login", json={"email": "organiser@example.org", "password": "nope"})
        assert again.status_code == 401
