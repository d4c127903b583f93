"""A bare Redis connection for the bus's hot path.

The bus publishes a message per stream and batch and receives every message of the streams its
sockets follow: thousands a second on a busy process. Through redis-py each crossed several layers
per message (a pipeline and a pool checkout per publish; per received message a read with its own
timeout, a retry wrapper and a dict), about a sixth of a busy process's CPU in S11's profile. Here
the loop hands what it read to hiredis, which parses every complete reply in C, and each reply goes
to one callback; commands are packed by hiredis and written as given (the bus writes what queued
in one loop tick with one write). Nothing here retries or times out: the bus owns reconnecting and
deciding that a silent connection is dead (it reads ``heard_at``).
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable
from typing import Any, cast

import hiredis

from app.redis_client import RedisEndpoint

ReplyHandler = Callable[[Any], None]


class RedisLinkError(Exception):
    """Redis refused the connection's set-up (e.g. a wrong password)."""


def command(*parts: bytes | str) -> bytes:
    """One command as Redis reads it off the wire."""
    packed: bytes = hiredis.pack_command(parts)  # type: ignore[arg-type]  # its stub takes one part
    return packed


class RedisLink(asyncio.Protocol):
    """One connection. Until ``on_reply`` is set, replies answer ``call`` in order."""

    def __init__(self) -> None:
        self.on_reply: ReplyHandler | None = None
        self.heard_at = time.monotonic()
        self.closed: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._reader = hiredis.Reader()
        self._transport: asyncio.Transport | None = None
        self._answers: deque[asyncio.Future[Any]] = deque()

    # --- asyncio.Protocol -----------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = cast(asyncio.Transport, transport)  # uvloop's transports do not subclass it

    def data_received(self, data: bytes) -> None:
        self.heard_at = time.monotonic()
        self._reader.feed(data)
        try:
            while (reply := self._reader.gets()) is not False:
                if self.on_reply is not None:
                    self.on_reply(reply)
                elif self._answers:
                    answer = self._answers.popleft()
                    if not answer.done():
                        answer.set_result(reply)
        except hiredis.ProtocolError:
            self.close()

    def eof_received(self) -> bool:
        return False  # the transport closes itself

    def connection_lost(self, exc: Exception | None) -> None:
        self._transport = None
        for answer in self._answers:
            if not answer.done():
                answer.set_exception(ConnectionError("Redis connection lost"))
        self._answers.clear()
        if not self.closed.done():
            self.closed.set_result(None)

    # --- use ------------------------------------------------------------------------------

    @property
    def open(self) -> bool:
        return self._transport is not None and not self._transport.is_closing()

    def write(self, data: bytes) -> None:
        if self._transport is not None:
            self._transport.write(data)

    async def call(self, *parts: bytes | str) -> Any:
        """Send one command and wait for its reply (only before ``on_reply`` is set)."""
        answer: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._answers.append(answer)
        self.write(command(*parts))
        reply = await answer
        if isinstance(reply, hiredis.ReplyError):
            raise RedisLinkError(str(reply))
        return reply

    def close(self) -> None:
        """Drop the connection at once (a paused Redis would never answer a goodbye)."""
        if self._transport is not None:
            self._transport.abort()


async def open_link(endpoint: RedisEndpoint) -> RedisLink:
    """Connect and authenticate; the caller bounds the wait. A Redis that accepts the connection
    but does not answer (paused) leaves this waiting for the ``PING``."""
    loop = asyncio.get_running_loop()
    link = RedisLink()
    if endpoint.path is not None:
        await loop.create_unix_connection(lambda: link, endpoint.path)
    else:
        await loop.create_connection(lambda: link, endpoint.host, endpoint.port, ssl=endpoint.tls)
    try:
        if endpoint.password is not None:
            if endpoint.username is not None:
                await link.call("AUTH", endpoint.username, endpoint.password)
            else:
                await link.call("AUTH", endpoint.password)
        await link.call("PING")
    except BaseException:
        link.close()
        raise
    return link
