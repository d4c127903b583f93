"""Presence for staff: connected / last seen per person, converging after a socket or a node dies."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest
from redis.asyncio import Redis

from app.client.connection import LiveClient
from app.realtime.limits import PRESENCE_TIMEOUT_S
from app.realtime.presence import RedisPresenceStore, SocketMark
from tests.realtime.people import World, world
from tests.realtime.server import LiveServer
from tests.redis_store import FakeClock


async def _presence(w: World, client: LiveClient) -> list[dict[str, Any]]:
    """Run a presence round now and return what reached ``client`` (nothing is left queued)."""
    await w.server.state.live.presence.report(w.meeting_id)
    await client.ping()
    entries = []
    while not client.controls.empty():
        frame = client.controls.get_nowait()
        if frame["type"] == "presence.changed":
            entries.extend(frame["entries"])
    return entries


async def test_staff_see_who_is_connected_where_and_when_they_left(
    live_server: LiveServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with world(live_server) as w:
        room_a, room_b = await w.add_room("Room A"), await w.add_room("Room B")
        organiser = await w.client(w.organiser)
        moderator = await w.client(await w.join("moderator", room_a, name="Moderator"))
        await _presence(w, organiser)
        await _presence(w, moderator)

        amina = await w.join("participant", room_a, name="Amina")
        bilal = await w.join("participant", room_b, name="Bilal")
        amina_client = await w.client(amina)
        await w.client(bilal)
        seen = {entry["participant_id"]: entry for entry in await _presence(w, organiser)}
        assert seen[str(amina.participant_id)]["connected"] is True
        assert seen[str(amina.participant_id)]["room_id"] == str(room_a)
        assert seen[str(bilal.participant_id)]["connected"] is True
        # A moderator hears of their own room only.
        assert {e["participant_id"] for e in await _presence(w, moderator)} == {str(amina.participant_id)}

        # The server tells its presence store after it has seen the socket go; the next round
        # reports it.
        store = w.server.state.live.presence.store
        told = asyncio.Event()
        close = store.close

        async def close_and_tell(socket_id: uuid.UUID) -> None:
            await close(socket_id)
            told.set()

        monkeypatch.setattr(store, "close", close_and_tell)
        await amina_client.close()
        await amina_client.wait_closed()
        await asyncio.wait_for(told.wait(), 30)
        (left,) = [e for e in await _presence(w, organiser) if e["participant_id"] == str(amina.participant_id)]
        assert left["connected"] is False
        assert left["room_id"] == str(room_a)
        assert left["last_seen"]


async def test_people_of_a_dead_process_show_as_gone_after_the_timeout(
    live_server: LiveServer, redis_client: Redis, redis_prefix: str
) -> None:
    """Two processes share presence in Redis; one of them holds Amina's socket and dies (stops
    beating). A clock moved past the timeout stands in for the wait."""
    async with world(live_server) as w:
        room_a = await w.add_room("Room A")
        organiser = await w.client(w.organiser)
        amina = await w.join("participant", room_a, name="Amina")
        assert amina.participant_id is not None
        clock = FakeClock()
        reporter = live_server.state.live.presence
        reporter.store = RedisPresenceStore(redis_client, redis_prefix, clock=clock)
        dying = RedisPresenceStore(redis_client, redis_prefix, clock=clock)  # the other process
        mark = SocketMark(uuid.uuid4(), f"participant:{amina.participant_id}", w.meeting_id, amina.participant_id)
        assert await dying.try_open(mark, 5)
        (entry,) = await _presence(w, organiser)
        assert entry["connected"] is True

        clock.now += PRESENCE_TIMEOUT_S / 2
        await reporter.store.heartbeat()  # this process beats; the other one is gone
        assert [e["connected"] for e in await _presence(w, organiser)] == []  # nothing changed yet
        clock.now += PRESENCE_TIMEOUT_S / 2 + 1
        (entry,) = await _presence(w, organiser)
        assert entry["connected"] is False
        assert entry["participant_id"] == str(amina.participant_id)
