"""The Redis bus between two processes' buses (two clients, as two processes have), on the real
Redis: events cross in order and once, revocations cross, a process never hears itself twice, and
a paused Redis neither blocks publishing nor stops local delivery; the subscriber notices, comes
back when Redis does and says so (the hub then reads what it missed from the log); and once the bus
says it has caught up, it has delivered everything Redis published to it before."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest
from fastapi import FastAPI
from pydantic_core import to_json
from redis.asyncio import Redis

from app.database import utcnow
from app.realtime.eventlog import CommittedEvent, room_stream
from app.realtime.hub import Hub
from app.realtime.outbox import transaction
from app.realtime.protocol import VotesChanged
from app.realtime.redis_bus import (
    MESSAGE_FORMAT,
    REVOKED_CHANNEL,
    RedisBus,
    decode_events,
    encode_events,
    stream_channel,
)
from app.redis_client import create_redis, endpoint_of
from app.state import AppState
from tests.realtime.test_gap_fill import Recorder
from tests.scaleout.redis_server import SHARED_REDIS_URL, own_redis
from tests.world import new_meeting, signed_in_organiser


def _event(stream: str, seq: int) -> CommittedEvent:
    return CommittedEvent(
        stream=stream,
        seq=seq,
        type="broadcast.sent",
        payload={"note": f"event {seq}", "script": "বাংলা"},
        staff_payload={"note": "staff only"} if seq % 2 else None,
        at=utcnow(),
    )


@asynccontextmanager
async def _bus(url: str) -> AsyncIterator[RedisBus]:
    client: Redis = create_redis(url)
    bus = RedisBus(client)
    await bus.start()
    try:
        async with asyncio.timeout(10):
            await bus.connected.wait()
        yield bus
    finally:
        await bus.stop()
        await client.aclose()


def _collector() -> tuple[list[CommittedEvent], asyncio.Queue[CommittedEvent]]:
    return [], asyncio.Queue()


async def _take(queue: asyncio.Queue[CommittedEvent], count: int) -> list[CommittedEvent]:
    async with asyncio.timeout(10):
        return [await queue.get() for _ in range(count)]


async def test_events_cross_processes_in_order_once_and_not_back_to_their_origin() -> None:
    stream = f"room:{uuid.uuid4()}"
    async with _bus(SHARED_REDIS_URL) as writer, _bus(SHARED_REDIS_URL) as reader:
        heard_by_reader: asyncio.Queue[CommittedEvent] = asyncio.Queue()
        heard_by_writer: list[CommittedEvent] = []
        await reader.subscribe(stream, heard_by_reader.put_nowait)
        await writer.subscribe(stream, heard_by_writer.append)
        sent = [_event(stream, seq) for seq in range(1, 8)]
        await writer.publish(sent[:3])
        await writer.publish(sent[3:])
        assert heard_by_writer == sent  # at once, in the writer's own process
        assert await _take(heard_by_reader, len(sent)) == sent
        # Its own messages came back to the writer from Redis too, and were dropped: a message
        # sent after them arrives at the reader after they have been through the writer.
        marker = _event(stream, 8)
        await writer.publish([marker])
        assert await _take(heard_by_reader, 1) == [marker]
        assert heard_by_writer == [*sent, marker]
        assert heard_by_reader.empty()


async def test_a_process_hears_only_the_streams_it_follows() -> None:
    followed, other = f"room:{uuid.uuid4()}", f"room:{uuid.uuid4()}"
    async with _bus(SHARED_REDIS_URL) as writer, _bus(SHARED_REDIS_URL) as reader:
        heard: asyncio.Queue[CommittedEvent] = asyncio.Queue()
        await reader.subscribe(followed, heard.put_nowait)
        await writer.publish([_event(other, 1), _event(followed, 1)])
        assert [event.stream for event in await _take(heard, 1)] == [followed]
        await reader.unsubscribe(followed)
        await reader.subscribe(other, heard.put_nowait)
        await writer.publish([_event(followed, 2), _event(other, 2)])
        assert [(event.stream, event.seq) for event in await _take(heard, 1)] == [(other, 2)]


async def test_once_caught_up_the_bus_has_delivered_everything_redis_published_before() -> None:
    stream = f"room:{uuid.uuid4()}"
    other: Redis = create_redis(SHARED_REDIS_URL)  # another process's publisher, waited on
    try:
        async with _bus(SHARED_REDIS_URL) as reader:
            heard: list[CommittedEvent] = []
            await reader.subscribe(stream, heard.append)
            sent = [_event(stream, seq) for seq in range(1, 201)]
            for start in range(0, len(sent), 20):
                # Redis has taken each message when PUBLISH returns; the reader may not have yet.
                await other.publish(stream_channel(stream), encode_events("other", sent[start : start + 20]))
            assert await reader.caught_up()
            assert heard == sent  # no wait: the pong came behind them
    finally:
        await other.aclose()


async def test_revocations_reach_every_process() -> None:
    async with _bus(SHARED_REDIS_URL) as writer, _bus(SHARED_REDIS_URL) as reader:
        at_reader: asyncio.Queue[frozenset[uuid.UUID]] = asyncio.Queue()
        at_writer: list[frozenset[uuid.UUID]] = []
        await reader.on_revoked_sessions(at_reader.put_nowait)
        await writer.on_revoked_sessions(at_writer.append)
        revoked = {uuid.uuid4(), uuid.uuid4()}
        await writer.publish_revoked_sessions(revoked)
        async with asyncio.timeout(10):
            assert await at_reader.get() == revoked
        assert at_writer == [revoked]


async def test_a_paused_redis_blocks_nothing_and_the_subscriber_comes_back() -> None:
    stream = f"room:{uuid.uuid4()}"
    async with own_redis() as redis, _bus(redis.url) as writer, _bus(redis.url) as reader:
        reconnected = asyncio.Event()
        await reader.on_reconnected(reconnected.set)
        heard: asyncio.Queue[CommittedEvent] = asyncio.Queue()
        local: list[CommittedEvent] = []
        await reader.subscribe(stream, heard.put_nowait)
        await writer.subscribe(stream, local.append)
        redis.pause()
        try:
            # Publishing only queues: it returns while Redis says nothing, and the writer's own
            # subscribers have the events at once.
            during = [_event(stream, seq) for seq in range(1, 4)]
            async with asyncio.timeout(1):
                await writer.publish(during)
            assert local == during
            # The reader cannot tell whether it has heard everything, and says so.
            async with asyncio.timeout(10):
                assert not await reader.caught_up()
            # The reader notices the silence and gives its connection up.
            async with asyncio.timeout(30):
                while reader.connected.is_set():
                    await asyncio.sleep(0.1)  # polling a flag; orders nothing
        finally:
            redis.resume()
        async with asyncio.timeout(30):
            await reconnected.wait()
        assert reader.reconnects >= 1
        after = _event(stream, 4)
        async with asyncio.timeout(30):
            await writer.connected.wait()
        await writer.publish([after])
        # What was published during the pause may or may not have got through (at-most-once);
        # what is published after the return does.
        received = []
        async with asyncio.timeout(15):
            while after not in received:
                received.append(await heard.get())
        assert [event.seq for event in received] == sorted({event.seq for event in received})


def test_the_bus_connects_where_the_client_does() -> None:
    plain = endpoint_of(Redis.from_url("redis://127.0.0.1:6390/3"))
    assert (plain.host, plain.port, plain.path, plain.username, plain.password, plain.tls) == (
        "127.0.0.1",
        6390,
        None,
        None,
        None,
        None,
    )
    secure = endpoint_of(Redis.from_url("rediss://bus:secret@redis.example:6380/0"))
    assert (secure.host, secure.port, secure.username, secure.password) == ("redis.example", 6380, "bus", "secret")
    assert secure.tls is not None and secure.tls.check_hostname
    local = endpoint_of(Redis.from_url("unix:///run/redis/redis.sock?db=1"))
    assert local.path == "/run/redis/redis.sock"


async def test_messages_of_another_format_are_counted_and_left_to_the_log() -> None:
    """A rolling upgrade: processes of two versions share Redis. A message of a format this
    process does not read (the unnumbered first one, or a newer one) is dropped undecoded and
    counted; the hub reads its events from the log, as for a message Redis lost."""
    stream = f"room:{uuid.uuid4()}"
    other: Redis = create_redis(SHARED_REDIS_URL)  # processes of other versions, publishing
    try:
        async with _bus(SHARED_REDIS_URL) as reader:
            heard: asyncio.Queue[CommittedEvent] = asyncio.Queue()
            revoked: list[frozenset[uuid.UUID]] = []
            await reader.subscribe(stream, heard.put_nowait)
            await reader.on_revoked_sessions(revoked.append)
            sent = _event(stream, 3)
            current = encode_events("current", [sent])
            assert current.startswith(MESSAGE_FORMAT + b" ")
            unnumbered = current[len(MESSAGE_FORMAT) + 1 :]  # ``<origin> <events>``, as before formats
            newer = b"3 " + current[len(MESSAGE_FORMAT) + 1 :]
            await other.publish(stream_channel(stream), unnumbered.replace(b"current", uuid.uuid4().hex.encode()))
            await other.publish(stream_channel(stream), newer)
            revocation = b"3 " + uuid.uuid4().hex.encode() + b" " + to_json([str(uuid.uuid4())])
            await other.publish(REVOKED_CHANNEL, revocation)
            await other.publish(stream_channel(stream), current)
            assert await _take(heard, 1) == [sent]
            assert await reader.caught_up()
            assert heard.empty() and revoked == []
            assert reader.foreign_messages == 3
    finally:
        await other.aclose()


def test_a_message_of_another_format_does_not_decode() -> None:
    stream = f"room:{uuid.uuid4()}"
    message = encode_events("origin", [_event(stream, 1)])
    assert decode_events(stream, message)[0] == "origin"
    for foreign in (message[len(MESSAGE_FORMAT) + 1 :], b"3 " + message[len(MESSAGE_FORMAT) + 1 :]):
        with pytest.raises(ValueError):
            decode_events(stream, foreign)


async def test_events_in_a_message_of_another_format_reach_sockets_from_the_log(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    """A rolling upgrade: a process of another version writes and publishes in a format this one
    does not read. This process's hub reads those events from the log (on the gap the next
    readable message opens), in order, once, and its bus counts what it dropped."""
    state: AppState = app.state.breakouts
    await signed_in_organiser(app, client)
    meeting_id = uuid.UUID((await new_meeting(client))["id"])
    stream = room_stream(uuid.uuid4())
    answer_id = uuid.uuid4()
    other: Redis = create_redis(SHARED_REDIS_URL)  # the other version's publisher
    try:
        async with _bus(SHARED_REDIS_URL) as bus:
            hub = Hub(state.database, bus)  # not started: no periodic check, only the gap
            socket = Recorder()
            (await hub.subscribe(stream, False, socket)).go_live()

            async def commit(votes: list[int]) -> list[CommittedEvent]:
                async with transaction(state.database.write_sessions) as uow:
                    for count in votes:
                        await uow.emit(
                            stream, meeting_id, "answer.voted", VotesChanged(answer_id=answer_id, votes=count)
                        )
                return uow.committed

            older = await commit([1, 2, 3])
            newer = b"3 " + encode_events("other-version", older)[len(MESSAGE_FORMAT) + 1 :]
            await other.publish(stream_channel(stream), newer)
            readable = await commit([4])
            await other.publish(stream_channel(stream), encode_events("this-version", readable))
            async with asyncio.timeout(15):
                while len(socket.frames) < 4:
                    await asyncio.sleep(0.05)  # polling the recorder; orders nothing
            assert [frame["seq"] for frame in socket.frames] == [1, 2, 3, 4]
            assert [frame["data"]["votes"] for frame in socket.frames] == [1, 2, 3, 4]
            assert bus.foreign_messages == 1
            await hub.stop()
    finally:
        await other.aclose()
