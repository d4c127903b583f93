"""What every process must agree on: the join throttle's limits hold whichever process a request
reaches (the counts are in Redis), and a socket ticket opens one socket even when it is presented
to two processes at once."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import httpx
import pytest
from websockets.exceptions import ConnectionClosed

from app.client.connection import LiveClient
from app.realtime.limits import CloseCode
from tests.scaleout.cluster import Cluster, cluster, join_room, stage_room
from tests.scaleout.redis_server import SHARED_REDIS_URL, own_redis

pytestmark = pytest.mark.postgres

WRONG_CODES_ALLOWED = 4
ENTRIES_ALLOWED = 3
LIMITS = {
    "BREAKOUTS_JOIN_ATTEMPTS_PER_ADDRESS": "50",
    "BREAKOUTS_JOIN_WRONG_CODES_PER_ADDRESS": str(WRONG_CODES_ALLOWED),
    "BREAKOUTS_JOIN_NEW_ENTRIES_PER_MEETING": str(ENTRIES_ALLOWED),
}


async def _join(c: Cluster, via: str, address: str, code: str, name: str) -> httpx.Response:
    """``POST /api/join`` on one process, from ``address`` (the processes trust the proxy header
    from 127.0.0.1, as behind the load balancer)."""
    async with httpx.AsyncClient(base_url=c.server(via).base_url, timeout=30) as http:
        return await http.post(
            "/api/join",
            json={"code": code, "display_name": name, "session_delivery": "token"},
            headers={"x-forwarded-for": address},
        )


def _statuses(responses: Sequence[httpx.Response]) -> list[int]:
    return [response.status_code for response in responses]


async def test_the_join_throttle_holds_across_processes() -> None:
    async with own_redis() as redis, cluster(redis.url, extra_env=LIMITS) as c:
        organiser = await c.organiser(via="a")
        http = organiser.http["a"]
        meeting = (await http.post("/api/meetings", json={"title": "Throttled"})).json()
        assert (await http.post(f"/api/meetings/{meeting['id']}/phase", json={"phase": "lobby"})).status_code == 200

        # Wrong codes from one address, alternating between the processes: the limit is shared.
        guesses = [
            await _join(c, "ab"[index % 2], "198.51.100.1", f"NOPE{index:04d}", "Guess")
            for index in range(WRONG_CODES_ALLOWED)
        ]
        assert _statuses(guesses) == [404] * WRONG_CODES_ALLOWED
        for via in ("a", "b"):
            refused = await _join(c, via, "198.51.100.1", meeting["join_code"], "Guess")
            assert refused.status_code == 429, refused.text
            assert refused.json()["code"] == "rate_limited" and int(refused.headers["retry-after"]) >= 1

        # New roster entries of one meeting, from many addresses, on both processes.
        joins = [
            await _join(c, "ab"[index % 2], f"198.51.100.{10 + index}", meeting["join_code"], f"Person {index}")
            for index in range(ENTRIES_ALLOWED)
        ]
        assert _statuses(joins) == [200] * ENTRIES_ALLOWED
        for via in ("a", "b"):
            refused = await _join(c, via, f"198.51.100.{50 if via == 'a' else 51}", meeting["join_code"], "Late")
            assert refused.status_code == 429, refused.text

        # Redis unreachable: joining is refused as overloaded (503), never let through unthrottled.
        # The process stays ready (degraded): it serves its sockets and commands meanwhile.
        probe = await c.stack.enter_async_context(httpx.AsyncClient(base_url=c.server("b").base_url, timeout=30))
        redis.pause()
        try:
            paused = await _join(c, "b", "198.51.100.99", meeting["join_code"], "During")
            degraded = await probe.get("/readyz")
        finally:
            redis.resume()
        assert paused.status_code == 503, paused.text
        assert paused.json()["code"] == "overloaded" and "retry-after" in paused.headers
        assert degraded.status_code == 200 and degraded.json()["status"] == "degraded", degraded.text
        ready = await probe.get("/readyz")
        assert ready.status_code == 200 and ready.json()["redis"] == "ok", ready.text


async def test_a_ticket_presented_to_two_processes_at_once_opens_one_socket() -> None:
    async with cluster(SHARED_REDIS_URL) as c:
        organiser = await c.organiser(via="a")
        scene = await stage_room(organiser, via="a")
        for round_ in range(5):
            member = await join_room(c, organiser, scene, f"twice{round_}", via="a")
            ticket = await c.live(member, scene.meeting_id, via="a").ticket()
            on_a = c.live(member, scene.meeting_id, via="a")
            on_b = c.live(member, scene.meeting_id, via="b")
            outcomes = await asyncio.gather(on_a.connect(ticket), on_b.connect(ticket), return_exceptions=True)
            refused = [outcome for outcome in outcomes if isinstance(outcome, BaseException)]
            assert len(refused) == 1, outcomes
            assert isinstance(refused[0], ConnectionClosed) and refused[0].rcvd is not None
            assert refused[0].rcvd.code == CloseCode.BAD_TICKET
            await _close(on_a, on_b)


async def _close(*clients: LiveClient) -> None:
    for client in clients:
        await client.close()
