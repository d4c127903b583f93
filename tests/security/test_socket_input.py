"""Finding: JSON nested a thousand levels deep (2 KB) closed the socket with 1011 and logged a
RecursionError. It is answered with an error frame, and the socket stays usable."""

from __future__ import annotations

import json

from tests.realtime.people import world
from tests.realtime.raw import frames_until, raw_socket
from tests.realtime.server import LiveServer


async def test_deeply_nested_json_gets_an_error_frame(live_server: LiveServer) -> None:
    async with world(live_server) as w:
        connection = await raw_socket(w, w.organiser)
        await frames_until(connection, "resumed")
        for deep in ("[" * 1000 + "]" * 1000, '{"a":' * 1000 + "1" + "}" * 1000):
            await connection.send(deep)
            refused = (await frames_until(connection, "error"))[-1]
            assert refused["type"] == "error", refused
            assert refused.get("ref") is None
            assert refused["code"] in ("invalid_json", "unknown_type"), refused
            await connection.send(json.dumps({"type": "ping"}))
            await frames_until(connection, "pong")
