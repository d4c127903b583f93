"""socketify (uWebSockets, C++, from PyPI) with its topics: the C ceiling of fan-out from
Python. Each socket subscribes to its room's topic (a watcher to every room's); an answer is
published once to the topic and uWebSockets writes it to every subscriber without Python.

    python -m bench.peers.socketify_rooms --port 8104 --rooms 20
"""

from __future__ import annotations

import json
from typing import Any

from socketify import App, CompressOptions, OpCode

from bench.peers.common import ALL_ROOMS, Rooms, ack_text, port_argument

# Frames a slow subscriber may owe before uWebSockets drops what is published to it.
MAX_BACKPRESSURE_BYTES = 4 * 1024 * 1024


def main(port: int, room_count: int) -> None:
    app = App()
    rooms = Rooms()

    def upgrade(res: Any, req: Any, socket_context: Any) -> None:
        res.upgrade(
            req.get_header("sec-websocket-key"),
            req.get_header("sec-websocket-protocol"),
            req.get_header("sec-websocket-extensions"),
            socket_context,
            req.get_query("room") or ALL_ROOMS,
        )

    def opened(ws: Any) -> None:
        room = ws.get_user_data()
        for number in range(room_count) if room == ALL_ROOMS else [int(room)]:
            ws.subscribe(f"room-{number}")

    def message(ws: Any, text: str | bytes, opcode: Any) -> None:
        command = json.loads(text)
        number, event = rooms.event(command)
        app.publish(f"room-{number}", json.dumps(event), OpCode.TEXT)
        ws.send(ack_text(command["id"]), OpCode.TEXT)

    app.ws(
        "/ws",
        {
            "compression": CompressOptions.DISABLED,
            "max_payload_length": 16 * 1024,
            "idle_timeout": 120,
            "max_backpressure": MAX_BACKPRESSURE_BYTES,
            "upgrade": upgrade,
            "open": opened,
            "message": message,
        },
    )
    app.listen(port, lambda config: None)
    app.run()


if __name__ == "__main__":
    arguments = port_argument()
    main(arguments.port, arguments.rooms)
