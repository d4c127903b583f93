"""Session tokens are looked up in memory: a crowd of requests with the same sessions reads the
sessions table once per token and TTL, and a revocation or a hand-over is seen at once."""

from __future__ import annotations

import asyncio

from fastapi import FastAPI

from app.auth.secrets import token_hash
from app.auth.session_cache import SessionCache
from app.state import AppState
from tests.conftest import ClientFactory
from tests.statements import statements_matching
from tests.world import new_meeting, signed_in_organiser


async def test_many_requests_with_one_session_read_it_once(app: FastAPI, client_factory: ClientFactory) -> None:
    state: AppState = app.state.breakouts
    async with client_factory() as organiser, client_factory() as phone:
        await signed_in_organiser(app, organiser)
        meeting = await new_meeting(organiser)
        joined = await phone.post("/api/join", json={"code": meeting["join_code"], "display_name": "Amina"})
        assert joined.status_code in (200, 201), joined.text
        with statements_matching(state.database, "FROM auth_sessions") as reads:
            for _ in range(20):
                assert (await phone.get(f"/api/meetings/{meeting['id']}/participants/me")).status_code == 200
        assert len(reads) == 1  # the phone's first request after joining; then the cache


async def test_signing_out_is_seen_at_once_despite_the_cache(app: FastAPI, client_factory: ClientFactory) -> None:
    async with client_factory() as organiser, client_factory() as replayer:
        await signed_in_organiser(app, organiser)
        token = organiser.cookies["breakouts_session"]
        headers = {"authorization": f"Bearer {token}"}
        assert (await replayer.get("/api/auth/me", headers=headers)).status_code == 200  # now cached
        assert (await organiser.post("/api/auth/logout")).status_code == 204
        assert (await replayer.get("/api/auth/me", headers=headers)).status_code == 401


async def test_an_erased_participant_is_refused_at_once(app: FastAPI, client_factory: ClientFactory) -> None:
    async with client_factory() as organiser, client_factory() as phone:
        await signed_in_organiser(app, organiser)
        meeting = await new_meeting(organiser)
        joined = await phone.post("/api/join", json={"code": meeting["join_code"], "display_name": "Amina"})
        assert joined.status_code in (200, 201), joined.text
        me = f"/api/meetings/{meeting['id']}/participants/me"
        assert (await phone.get(me)).status_code == 200  # the session is cached now
        erased = await organiser.post(f"/api/participants/{joined.json()['participant_id']}/erase", json={})
        assert erased.status_code == 200, erased.text
        assert (await phone.get(me)).status_code == 401


async def test_a_crowd_of_new_tokens_is_looked_up_in_one_read(app: FastAPI, client_factory: ClientFactory) -> None:
    """A report-back: phones arrive at once, each with a token the cache has not seen."""
    state: AppState = app.state.breakouts
    async with client_factory() as organiser, client_factory() as phones:
        await signed_in_organiser(app, organiser)
        meeting = await new_meeting(organiser)
        tokens = []
        for index in range(30):
            body = {"code": meeting["join_code"], "display_name": f"Phone {index}", "session_delivery": "token"}
            joined = await phones.post("/api/join", json=body)
            assert joined.status_code in (200, 201), joined.text
            tokens.append(joined.json()["token"])
    cache = SessionCache(state.database)
    found = await asyncio.gather(*(cache.sessions_for([token_hash(token)]) for token in [*tokens, "unknown"]))
    assert cache.reads == 1
    assert [len(sessions) for sessions in found] == [1] * len(tokens) + [0]
    assert len({sessions[0].participant_id for sessions in found[:-1]}) == len(tokens)
