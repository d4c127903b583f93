"""python-socketio rooms on uvicorn (ASGI), the usual pick for "chat rooms in Python": each
client enters its room on connect; an answer is emitted to the room and to the watchers' room
in one ``emit``; the sender gets Socket.IO's own acknowledgement (the handler's return value).

    python -m uvicorn --factory bench.peers.socketio_rooms:create_app --port 8103 …
"""

from __future__ import annotations

from typing import Any

import socketio

from bench.peers.common import ALL_ROOMS, Rooms, room_of_query


def create_app() -> socketio.ASGIApp:
    sio = socketio.AsyncServer(async_mode="asgi", transports=["websocket"], cors_allowed_origins=[])
    rooms = Rooms()

    @sio.event
    async def connect(sid: str, environ: dict[str, Any], auth: Any = None) -> None:
        room = room_of_query(environ.get("QUERY_STRING", ""))
        await sio.enter_room(sid, ALL_ROOMS if room == ALL_ROOMS else f"room-{room}")

    @sio.on("answer.submit")
    async def answer(sid: str, command: dict[str, Any]) -> dict[str, Any]:
        number, event = rooms.event(command)
        await sio.emit("answer.submitted", event, to=[f"room-{number}", ALL_ROOMS])
        return {"type": "ack", "ref": command["id"], "result": None}

    return socketio.ASGIApp(sio)
