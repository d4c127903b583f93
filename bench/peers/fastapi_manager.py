"""The FastAPI documentation's ``ConnectionManager`` (the "handling disconnections and multiple
clients" example) with rooms, as people first write it: a list of sockets per room and an
``await websocket.send_text`` per recipient inside the sender's own handler. The one change from
the docs: a failed send (a socket that just dropped) is skipped instead of ending the sender.

    python -m uvicorn --factory bench.peers.fastapi_manager:create_app --port 8102 …
"""

from __future__ import annotations

import contextlib
import json

from fastapi import FastAPI, WebSocket, WebSocketDisconnect

from bench.peers.common import ALL_ROOMS, Rooms, ack_text


class ConnectionManager:
    def __init__(self) -> None:
        self.active_connections: dict[str, list[WebSocket]] = {}

    async def connect(self, websocket: WebSocket, room: str) -> None:
        await websocket.accept()
        self.active_connections.setdefault(room, []).append(websocket)

    def disconnect(self, websocket: WebSocket, room: str) -> None:
        self.active_connections[room].remove(websocket)

    async def broadcast(self, message: str, room: str) -> None:
        for connection in self.active_connections.get(room, []) + self.active_connections.get(ALL_ROOMS, []):
            with contextlib.suppress(Exception):
                await connection.send_text(message)


def create_app() -> FastAPI:
    app = FastAPI()
    manager = ConnectionManager()
    rooms = Rooms()

    @app.websocket("/ws")
    async def websocket_endpoint(websocket: WebSocket, room: str = ALL_ROOMS) -> None:
        await manager.connect(websocket, room)
        try:
            while True:
                command = json.loads(await websocket.receive_text())
                number, event = rooms.event(command)
                await manager.broadcast(json.dumps(event), str(number))
                await websocket.send_text(ack_text(command["id"]))
        except WebSocketDisconnect:
            manager.disconnect(websocket, room)

    return app
