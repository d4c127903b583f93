"""A socket that sends nothing for IDLE_TIMEOUT_S is closed (4408, resume with your cursors) by
the hub's sweep; one that keeps pinging stays. The sweep is called with the moment it judges by,
so the test waits for no clock. An accepted socket leaves nothing of its handshake behind."""

from __future__ import annotations

import gc
import json

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from websockets.exceptions import ConnectionClosed

from app.realtime.limits import IDLE_TIMEOUT_S, CloseCode
from tests.realtime.people import world
from tests.realtime.raw import frames_until, raw_socket, ticket_for
from tests.realtime.server import LiveServer


async def test_a_silent_socket_is_closed_and_a_pinging_one_stays(live_server: LiveServer) -> None:
    async with world(live_server) as w:
        room_id = await w.add_room("Room 1")
        silent_person, talking_person = [await w.join("participant", room_id, name=f"P{i}") for i in range(2)]
        silent = await raw_socket(w, silent_person)
        await frames_until(silent, "resumed")
        talking = await raw_socket(w, talking_person)
        await frames_until(talking, "resumed")
        await frames_until(talking, "resumed")
        await talking.send(json.dumps({"type": "ping"}))
        await frames_until(talking, "pong")  # heard after everything the silent socket sent

        registry = live_server.state.live.registry
        assert silent_person.participant_id is not None and talking_person.participant_id is not None
        (silent_side,) = registry.of_participant(silent_person.participant_id)
        (talking_side,) = registry.of_participant(talking_person.participant_id)
        assert silent_side.connection.heard_at < talking_side.connection.heard_at

        live_server.state.live.hub.close_silent(talking_side.connection.heard_at + IDLE_TIMEOUT_S)

        try:
            while True:
                await silent.recv()
        except ConnectionClosed:
            pass
        assert silent.close_code == CloseCode.TOO_SLOW
        assert silent_side.connection.close_code is CloseCode.TOO_SLOW
        await talking.send(json.dumps({"type": "ping"}))
        assert (await frames_until(talking, "pong"))[-1]["type"] == "pong"
        assert talking_side.connection.close_code is None
        await talking.close()


def _http_protocols() -> int:
    return sum(isinstance(thing, HttpToolsProtocol) for thing in gc.get_objects())


async def test_the_http_protocol_a_socket_was_upgraded_from_is_freed_without_the_cyclic_collector(
    live_server: LiveServer,
) -> None:
    """uvicorn's HTTP protocol and its parser hold each other: unless the socket's protocol
    releases it, each socket leaves kilobytes that only a full collection frees."""
    async with world(live_server) as w:
        room_id = await w.add_room("Room 1")
        person = await w.join("participant", room_id)
        ticket = await ticket_for(w, person)  # before counting: its HTTP connection stays open
        gc.collect()
        gc.disable()
        try:
            before = _http_protocols()
            socket = await raw_socket(w, person, ticket=ticket)
            await frames_until(socket, "resumed")
            after = _http_protocols()
        finally:
            gc.enable()
        await socket.close()
    assert after == before
