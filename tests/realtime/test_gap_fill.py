"""The hub's fill from the event log racing the bus: each event reaches a socket once, in order,
and the log is read only for what the bus, once caught up, did not bring.

The periodic check sees a stream's head ahead of what the channel delivered whenever it reads
between a batch's commit and its publishing (on SQLite the batch commits on the writer thread and
is published once the server's loop gets to it). The fill it starts reads the log while the bus
keeps publishing; what it read must not be taken for a pruned gap, nor delivered again.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Sequence
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from app.realtime import hub as hub_module
from app.realtime.bus import InProcessBus
from app.realtime.eventlog import CommittedEvent, room_stream
from app.realtime.hub import Hub
from app.realtime.limits import CloseCode
from app.realtime.outbox import transaction
from app.realtime.protocol import VotesChanged
from app.state import AppState
from tests.world import new_meeting, signed_in_organiser


class Recorder:
    """A socket as the hub sees it, keeping every frame pushed to it."""

    def __init__(self) -> None:
        self.frames: list[dict[str, Any]] = []
        self.failed: CloseCode | None = None

    def push(self, text: str) -> None:
        self.frames.append(json.loads(text))

    def fail(self, code: CloseCode, reason: str) -> None:
        self.failed = code


async def voted_stream(app: FastAPI, client: httpx.AsyncClient) -> tuple[AppState, uuid.UUID, str, uuid.UUID]:
    """A meeting of a signed-in organiser, a room's stream in it and an answer whose votes it tells."""
    state: AppState = app.state.breakouts
    await signed_in_organiser(app, client)
    meeting_id = uuid.UUID((await new_meeting(client))["id"])
    return state, meeting_id, room_stream(uuid.uuid4()), uuid.uuid4()


async def test_a_fill_overtaken_by_the_bus_delivers_each_event_once(
    app: FastAPI, client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    state, meeting_id, stream, answer_id = await voted_stream(app, client)

    async def commit(votes: Sequence[int]) -> list[CommittedEvent]:
        """Commit events without publishing them (the batch's commit before its publishing)."""
        async with transaction(state.database.write_sessions) as uow:
            for count in votes:
                await uow.emit(stream, meeting_id, "answer.voted", VotesChanged(answer_id=answer_id, votes=count))
        return uow.committed

    bus = InProcessBus()
    hub = Hub(state.database, bus)  # not started: the test runs the periodic check itself
    socket = Recorder()
    (await hub.subscribe(stream, False, socket)).go_live()

    # The fill's read pauses after the log answered (its read transaction open), until released.
    read, release = asyncio.Event(), asyncio.Event()
    events_after = hub_module.events_after

    async def paused_read(*args: Any) -> Any:
        rows = await events_after(*args)
        if not read.is_set():
            read.set()
            await release.wait()
        return rows

    monkeypatch.setattr(hub_module, "events_after", paused_read)

    first = await commit([1, 2, 3])
    await hub.check_streams()  # head 3, nothing delivered yet: the channel fills from the log
    await read.wait()  # the fill has read events 1-3
    await bus.publish(first)  # meanwhile the bus brings them, and the next batch
    await bus.publish(await commit([4, 5, 6]))
    release.set()
    filling = hub._channels[stream].filling
    assert filling is not None
    await filling

    sent = [(frame["type"], frame.get("seq"), frame.get("reason")) for frame in socket.frames]
    assert sent == [("answer.voted", seq, None) for seq in range(1, 7)]  # no resync, no repeat
    assert [frame["data"]["votes"] for frame in socket.frames] == [1, 2, 3, 4, 5, 6]
    assert socket.failed is None
    await hub.stop()


class HeldBus(InProcessBus):
    """An in-process bus whose ``caught_up`` answers only once the test releases it (a process
    whose subscriber has not yet read what Redis sent it)."""

    def __init__(self) -> None:
        super().__init__()
        self.asked = asyncio.Event()
        self.release = asyncio.Event()

    async def caught_up(self) -> bool:
        self.asked.set()
        await self.release.wait()
        return True


async def test_a_gap_is_read_from_the_log_only_when_the_caught_up_bus_did_not_close_it(
    app: FastAPI, client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    state, meeting_id, stream, answer_id = await voted_stream(app, client)
    reads: list[int] = []
    events_after = hub_module.events_after

    async def counted_read(session: Any, read_stream: str, after: int, limit: int) -> Any:
        reads.append(after)
        return await events_after(session, read_stream, after, limit)

    monkeypatch.setattr(hub_module, "events_after", counted_read)

    bus = HeldBus()
    hub = Hub(state.database, bus)  # not started: no periodic check
    socket = Recorder()
    (await hub.subscribe(stream, False, socket)).go_live()

    async with transaction(state.database.write_sessions) as uow:
        for count in range(1, 5):
            await uow.emit(stream, meeting_id, "answer.voted", VotesChanged(answer_id=answer_id, votes=count))
    first, second, _, fourth = uow.committed

    # Event 2 overtakes event 1; past the grace the hub asks the bus to catch up, and the bus
    # brings event 1 before it answers: no read.
    await bus.publish([second])
    async with asyncio.timeout(10):
        await bus.asked.wait()
    await bus.publish([first])
    bus.release.set()
    filling = hub._channels[stream].filling
    assert filling is not None
    await filling
    assert reads == []
    assert [frame["seq"] for frame in socket.frames] == [1, 2]

    # Event 4 overtakes event 3, which the bus lost: once caught up, the hub reads it.
    bus.asked, bus.release = asyncio.Event(), asyncio.Event()
    await bus.publish([fourth])
    async with asyncio.timeout(10):
        await bus.asked.wait()
    bus.release.set()
    filling = hub._channels[stream].filling
    assert filling is not None
    await filling
    assert reads == [2]
    assert [frame["seq"] for frame in socket.frames] == [1, 2, 3, 4]
    assert socket.failed is None
    await hub.stop()
