"""The bad-input matrix: each malformed frame gets its documented answer and the socket stays
usable; abuse (oversized frames, floods, foreign origins, bad tickets) is refused. A bystander
in the same meeting notices nothing."""

from __future__ import annotations

import json

import pytest
from websockets.asyncio.client import ClientConnection
from websockets.exceptions import ConnectionClosed, InvalidStatus

from app.realtime.eventlog import meeting_stream
from app.realtime.limits import MAX_CONNECTIONS_PER_ACTOR, MESSAGE_MAX_BYTES, CloseCode
from tests.realtime.events import emit_broadcasts
from tests.realtime.people import Person, World, world
from tests.realtime.raw import frames_until, next_frame, raw_socket, ticket_for
from tests.realtime.server import LiveServer

ROOM = "7f0c2a9e-3b7d-4c1e-9a57-0d2b8f4e6a11"
MALFORMED: list[tuple[str, str | bytes, str, str | None]] = [
    ("invalid JSON", "{not json", "invalid_json", None),
    ("not an object", "[1, 2]", "unknown_type", None),
    ("no type", json.dumps({"id": "c1"}), "unknown_type", "c1"),
    ("unknown type", json.dumps({"type": "answer.delete", "id": "c2"}), "unknown_type", "c2"),
    (
        "wrong field type",
        json.dumps({"type": "answer.submit", "id": "c3", "room_id": "room one", "question_id": ROOM}),
        "invalid_frame",
        "c3",
    ),
    ("missing command id", json.dumps({"type": "answer.vote", "answer_id": ROOM}), "invalid_frame", None),
    (
        "unknown field",
        json.dumps({"type": "answer.vote", "id": "c4", "answer_id": ROOM, "x": 1}),
        "invalid_frame",
        "c4",
    ),
    ("bad command id", json.dumps({"type": "answer.vote", "id": "a b", "answer_id": ROOM}), "invalid_frame", "a b"),
    ("binary frame", b'{"type": "ping"}', "binary_frame", None),
    ("a second hello", json.dumps({"type": "hello"}), "hello_repeated", None),
]


async def _still_usable(connection: ClientConnection) -> None:
    await connection.send(json.dumps({"type": "ping"}))
    assert (await next_frame(connection)) == {"type": "pong"}


async def _bystander_unaffected(w: World, bystander: ClientConnection) -> None:
    await emit_broadcasts(w.server.state, w.meeting_id, meeting_stream(w.meeting_id), 1)
    event = await next_frame(bystander)
    assert event["type"] == "broadcast.sent"
    await _still_usable(bystander)


async def test_each_malformed_frame_gets_its_error_and_the_socket_stays_usable(live_server: LiveServer) -> None:
    async with world(live_server) as w:
        person = await w.join("participant", None)
        bystander = await raw_socket(w, await w.join("participant", None, name="Bystander"))
        await frames_until(bystander, "resumed")
        connection = await raw_socket(w, person)
        await frames_until(connection, "resumed")
        for name, frame, code, ref in MALFORMED:
            await connection.send(frame)
            answer = await next_frame(connection)
            assert (answer["type"], answer["code"], answer["ref"]) == ("error", code, ref), name
            assert answer["message"], name
            await _still_usable(connection)
        await _bystander_unaffected(w, bystander)


async def test_commands_before_the_hello_are_refused_until_it_comes(live_server: LiveServer) -> None:
    async with world(live_server) as w:
        connection = await raw_socket(w, await w.join("participant", None), hello=False)
        await connection.send(json.dumps({"type": "broadcast.send", "id": "early", "meeting_id": ROOM, "message": "x"}))
        refused = await next_frame(connection)
        assert (refused["code"], refused["ref"]) == ("hello_required", "early")
        await _still_usable(connection)
        await connection.send(json.dumps({"type": "hello"}))
        assert (await next_frame(connection))["type"] == "welcome"


async def test_a_hello_in_another_protocol_version_is_closed(live_server: LiveServer) -> None:
    async with world(live_server) as w:
        connection = await raw_socket(w, await w.join("participant", None), hello=False)
        await connection.send(json.dumps({"type": "hello", "protocol": 99}))
        with pytest.raises(ConnectionClosed):
            await next_frame(connection)
        assert connection.close_code == CloseCode.HELLO_EXPECTED


async def test_an_oversized_frame_closes_the_socket_and_spares_the_bystander(live_server: LiveServer) -> None:
    async with world(live_server) as w:
        bystander = await raw_socket(w, await w.join("participant", None, name="Bystander"))
        await frames_until(bystander, "resumed")
        connection = await raw_socket(w, await w.join("participant", None))
        await frames_until(connection, "resumed")
        await connection.send(json.dumps({"type": "ping", "padding": "x" * MESSAGE_MAX_BYTES}))
        with pytest.raises(ConnectionClosed):
            await next_frame(connection)
        assert connection.close_code == CloseCode.TOO_BIG
        await _bystander_unaffected(w, bystander)


async def test_a_flood_is_rate_limited_then_closed(live_server: LiveServer) -> None:
    async with world(live_server) as w:
        bystander = await raw_socket(w, await w.join("participant", None, name="Bystander"))
        await frames_until(bystander, "resumed")
        connection = await raw_socket(w, await w.join("participant", None))
        await frames_until(connection, "resumed")
        answers: list[dict[str, object]] = []
        with pytest.raises(ConnectionClosed):
            for index in range(1000):
                await connection.send(json.dumps({"type": "ping"}))
                del index
            while True:
                answers.append(await next_frame(connection))
        assert connection.close_code == CloseCode.POLICY
        limited = [a for a in answers if a.get("code") == "rate_limited"]
        assert limited and {"type": "pong"} in answers
        await _bystander_unaffected(w, bystander)


async def test_foreign_origins_and_bad_tickets_are_refused(live_server: LiveServer) -> None:
    async with world(live_server) as w:
        person = await w.join("participant", None)
        with pytest.raises(InvalidStatus) as refused:
            await raw_socket(w, person, origin="https://evil.example")
        assert refused.value.response.status_code == 403
        for ticket in ("not-a-ticket", ""):
            connection = await raw_socket(w, person, ticket=ticket or "x", hello=False)
            await connection.wait_closed()
            assert connection.close_code == CloseCode.BAD_TICKET
        # The foreign origin's ticket was not spent: the same ticket still opens from our origin.
        ticket = await ticket_for(w, person)
        with pytest.raises(InvalidStatus):
            await raw_socket(w, person, origin="https://evil.example", ticket=ticket)
        connection = await raw_socket(w, person, ticket=ticket)
        assert (await next_frame(connection))["type"] == "welcome"


async def test_connections_per_person_are_capped(live_server: LiveServer) -> None:
    async with world(live_server) as w:
        person = await w.join("participant", None)
        open_ones = [await raw_socket(w, person) for _ in range(MAX_CONNECTIONS_PER_ACTOR)]
        for connection in open_ones:
            assert (await next_frame(connection))["type"] == "welcome"
        extra = await raw_socket(w, person, hello=False)
        await extra.wait_closed()
        assert extra.close_code == CloseCode.TOO_MANY_CONNECTIONS
        await open_ones[0].close()
        await open_ones[0].wait_closed()
        # Closing one frees its place (the row is marked closed when the server sees it go).
        again = await _reopen_when_counted(w, person)
        assert (await frames_until(again, "pong"))[-1] == {"type": "pong"}


async def _reopen_when_counted(w: World, person: Person) -> ClientConnection:
    """The server marks a socket closed just after it sees it go: retry until it has."""
    for _ in range(50):
        connection = await raw_socket(w, person)
        try:
            first = await next_frame(connection)
        except ConnectionClosed:
            continue
        assert first["type"] == "welcome"
        await connection.send(json.dumps({"type": "ping"}))
        return connection
    raise AssertionError("the closed socket was never counted out")
