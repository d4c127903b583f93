"""The resume table: what a reconnecting client gets for each kind of cursor, on a real socket."""

from __future__ import annotations

from typing import Any

import pytest

from app.database import utcnow
from app.realtime.eventlog import (
    EMPTY_POSITION,
    StreamPosition,
    meeting_stream,
    prune_events,
    reset_stream,
    room_stream,
)
from app.realtime.hub import HUB_CHECK_TASK
from app.realtime.limits import MAX_REPLAY_EVENTS, RING_EVENTS
from app.realtime.resume import resume_outcome
from tests.realtime.events import emit_broadcasts
from tests.realtime.people import world
from tests.realtime.server import LiveServer
from tests.statements import statements_matching


async def _events_until_marker(client: Any, stream: str) -> tuple[list[int], dict[str, Any]]:
    """The seqs replayed on ``stream`` before its marker, and the marker."""
    markers = await client.until_resumed()
    seqs = []
    while not client.events.empty():
        event = client.events.get_nowait()
        if event.stream == stream:
            seqs.append(event.seq)
    return seqs, markers[stream]


@pytest.mark.parametrize(
    ("case", "cursor_at", "expected"),
    [
        ("from_a_position", "head-6", ("resumed", 6)),
        ("at_the_head", "head", ("resumed", 0)),
        ("from_zero", "zero", ("resumed", "all")),
        ("no_cursor", None, ("resumed", 0)),
        ("beyond_the_window", "pruned", ("resync_required", "too_old")),
        ("ahead_of_the_head", "head+5", ("resync_required", "ahead")),
        ("reset_stream", "reset", ("resync_required", "reset")),
    ],
)
async def test_resume_table(
    live_server: LiveServer, case: str, cursor_at: str | None, expected: tuple[str, Any]
) -> None:
    async with world(live_server) as w:
        state = live_server.state
        stream = meeting_stream(w.meeting_id)
        await emit_broadcasts(state, w.meeting_id, stream, 10)
        head = 11  # meeting.created, then ten broadcasts
        client = await w.client(w.organiser, connect=False)
        if cursor_at == "head-6":
            client.cursors[stream] = head - 6
        elif cursor_at == "head":
            client.cursors[stream] = head
        elif cursor_at == "zero":
            client.cursors[stream] = 0
        elif cursor_at == "head+5":
            client.cursors[stream] = head + 5
        elif cursor_at == "pruned":
            async with state.database.write_sessions() as session:
                await prune_events(session, utcnow())
                await session.commit()
            client.cursors[stream] = 3
        elif cursor_at == "reset":
            async with state.database.write_sessions() as session:
                await reset_stream(session, stream)
                await session.commit()
            await emit_broadcasts(state, w.meeting_id, stream, 2)
            client.cursors[stream] = 5
            head = 2

        await client.connect()
        seqs, marker = await _events_until_marker(client, stream)

        kind, detail = expected
        assert marker["type"] == kind
        assert marker["head"] == head
        if kind == "resumed":
            count = head if detail == "all" else detail
            assert seqs == list(range(head - count + 1, head + 1))
        else:
            assert marker["reason"] == detail
            assert seqs == []
            assert marker["epoch"] == (2 if case == "reset_stream" else 1)
        # Whatever the outcome, the socket is live from the head on: the next event follows.
        await emit_broadcasts(state, w.meeting_id, stream, 1)
        event = await client.next_event()
        assert (event.stream, event.seq) == (stream, head + 1)
        assert client.duplicates == 0 and client.gaps == 0


async def test_an_empty_stream_resumes_at_zero(live_server: LiveServer) -> None:
    async with world(live_server) as w:
        room_id = await w.add_room("Room 1")
        stream = room_stream(room_id)
        client = await w.client(w.organiser, connect=False)
        client.cursors[stream] = 0
        await client.connect()
        markers = await client.until_resumed()
        assert markers[stream] == {"type": "resumed", "stream": stream, "head": 0, "epoch": 1}
        await emit_broadcasts(live_server.state, w.meeting_id, stream, 1)
        assert (await client.next_event()).seq == 1


async def test_a_stream_reset_while_connected_tells_the_client(live_server: LiveServer) -> None:
    async with world(live_server) as w:
        state = live_server.state
        stream = meeting_stream(w.meeting_id)
        client = await w.client(w.organiser)
        async with state.database.write_sessions() as session:
            await reset_stream(session, stream)
            await session.commit()
        await state.live.hub.check_streams()  # the periodic tick, run now
        frame = await client.next_control()
        assert (frame["type"], frame["reason"], frame["head"], frame["epoch"]) == ("resync_required", "reset", 0, 2)
        await emit_broadcasts(state, w.meeting_id, stream, 1)
        event = await client.next_event()
        assert event.seq == 1
        assert client.epochs[stream] == 2


def test_resume_outcomes_at_the_edges() -> None:
    position = StreamPosition(head=MAX_REPLAY_EVENTS + 100, floor=50, epoch=3)
    assert resume_outcome(position, None, 1) is None
    assert resume_outcome(position, 100, 3) is None
    assert resume_outcome(position, 99, 3) == "too_old"  # more than MAX_REPLAY_EVENTS behind
    assert resume_outcome(position, 49, 3) == "too_old"  # below the floor
    assert resume_outcome(position, position.head, 3) is None
    assert resume_outcome(position, position.head + 1, 3) == "ahead"
    assert resume_outcome(position, 100, 2) == "reset"
    assert resume_outcome(EMPTY_POSITION, 0, 1) is None


async def test_a_resume_within_the_ring_reads_no_database(live_server: LiveServer) -> None:
    """While a stream's channel is open on this process its recent events are in memory: a client
    resuming within them (and every stream it follows from now) is served without a statement;
    a cursor older than the ring is replayed from the log, as before."""
    async with world(live_server) as w:
        state = live_server.state
        stream = meeting_stream(w.meeting_id)
        watcher = await w.client(w.organiser)  # keeps the meeting's channels open here
        events = RING_EVENTS + 50
        await emit_broadcasts(state, w.meeting_id, stream, events)
        head = events + 1  # meeting.created, then the broadcasts
        while watcher.cursors.get(stream) != head:
            await watcher.next_event()

        recent = await w.client(w.organiser, connect=False)
        recent.cursors[stream] = head - 6
        # The hub's once-a-second check against the log may land in the block: not the resume's.
        with statements_matching(
            state.database, "FROM events", "stream_heads", besides_tasks=(HUB_CHECK_TASK,)
        ) as reads:
            await recent.connect()
            seqs, marker = await _events_until_marker(recent, stream)
        assert reads == []
        assert (seqs, marker["type"], marker["head"]) == (list(range(head - 5, head + 1)), "resumed", head)

        older = await w.client(w.organiser, connect=False)
        older.cursors[stream] = 1  # before the ring: the log is read
        with statements_matching(state.database, "FROM events", "stream_heads") as reads:
            await older.connect()
            seqs, marker = await _events_until_marker(older, stream)
        assert reads != []
        assert (seqs, marker["type"], marker["head"]) == (list(range(2, head + 1)), "resumed", head)

        await emit_broadcasts(state, w.meeting_id, stream, 1)
        for client in (recent, older):
            assert (await client.next_event()).seq == head + 1
            assert client.duplicates == 0 and client.gaps == 0
