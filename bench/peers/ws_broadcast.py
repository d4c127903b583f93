"""The Python ceiling: a raw ``websockets`` server fanning out with ``websockets.broadcast()``,
which writes one pre-encoded frame to every connection without a task or an await per recipient
(a connection whose buffer is full is skipped: it loses the frame).

    python -m bench.peers.ws_broadcast --port 8101
"""

from __future__ import annotations

import itertools
import json
import logging

import uvloop
from websockets.asyncio.server import ServerConnection, broadcast, serve

from bench.peers.common import ALL_ROOMS, Rooms, ack_text, port_argument, room_of_query


async def main(port: int) -> None:
    rooms = Rooms()
    members: dict[int, set[ServerConnection]] = {}
    watchers: set[ServerConnection] = set()

    async def handler(connection: ServerConnection) -> None:
        path = connection.request.path if connection.request is not None else "/"
        room = room_of_query(path.partition("?")[2])
        mine = watchers if room == ALL_ROOMS else members.setdefault(int(room), set())
        mine.add(connection)
        try:
            async for message in connection:
                command = json.loads(message)
                number, event = rooms.event(command)
                broadcast(itertools.chain(members.get(number, ()), watchers), json.dumps(event))
                await connection.send(ack_text(command["id"]))
        finally:
            mine.discard(connection)

    async with serve(handler, "127.0.0.1", port, compression=None, max_size=16 * 1024, backlog=4096) as server:
        await server.serve_forever()


if __name__ == "__main__":
    logging.getLogger("websockets").setLevel(logging.CRITICAL)  # clients leave without a close frame
    uvloop.run(main(port_argument().port))
