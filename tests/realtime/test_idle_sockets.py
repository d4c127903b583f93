"""A socket that sends nothing for IDLE_TIMEOUT_S is closed (4408, resume with your cursors) by
the hub's sweep; one that keeps pinging stays. The sweep is called with the moment it judges by,
so the test waits for no clock."""

from __future__ import annotations

import json

from websockets.exceptions import ConnectionClosed

from app.realtime.limits import IDLE_TIMEOUT_S, CloseCode
from tests.realtime.people import world
from tests.realtime.raw import frames_until, raw_socket
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
