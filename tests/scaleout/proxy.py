"""A round-robin TCP proxy: each new connection goes to the next process, as a load balancer with
no sticky sessions sends it; WebSocket upgrades take turns among themselves (so the sockets of a
test spread over the processes whatever HTTP requests come between them). It relays bytes both
ways, so the upgrade and the frames pass as they would through nginx. It sets no X-Forwarded-For:
the processes see 127.0.0.1, one client address for everyone."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import socket
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, OSError):
        pass
    finally:
        with contextlib.suppress(ConnectionError, OSError):
            writer.close()


class RoundRobinProxy:
    def __init__(self, upstream_ports: Sequence[int]) -> None:
        self._next_port = itertools.cycle(upstream_ports)
        self._next_socket_port = itertools.cycle(upstream_ports)
        self.sockets_per_port: dict[int, int] = dict.fromkeys(upstream_ports, 0)
        self._relays: set[asyncio.Task[None]] = set()

    async def _serve(self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        first = await client_reader.read(65536)  # the request line and headers
        if b"upgrade: websocket" in first.lower():
            port = next(self._next_socket_port)
            self.sockets_per_port[port] += 1
        else:
            port = next(self._next_port)
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            client_writer.close()
            return
        upstream_writer.write(first)
        relays = [
            asyncio.create_task(_pipe(client_reader, upstream_writer)),
            asyncio.create_task(_pipe(upstream_reader, client_writer)),
        ]
        self._relays.update(relays)
        try:
            await asyncio.gather(*relays, return_exceptions=True)  # cancelled at shutdown
        finally:
            self._relays.difference_update(relays)

    @asynccontextmanager
    async def serving(self) -> AsyncIterator[str]:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        listener.bind(("127.0.0.1", 0))
        server = await asyncio.start_server(self._serve, sock=listener)
        try:
            yield f"http://127.0.0.1:{listener.getsockname()[1]}"
        finally:
            server.close()
            for relay in list(self._relays):
                relay.cancel()
            await asyncio.gather(*self._relays, return_exceptions=True)
            await server.wait_closed()
