"""Finding (bench/hostile.py): an upgrade to ``/ws`` whose headers websockets' parser refuses (a
header line over 8 KiB, such as a ticket of 60 KB in ``Sec-WebSocket-Protocol``, or more than 128
headers) got no answer at all: the parser queued its 431, but uvicorn's WebSocket protocol neither
wrote it nor closed the connection, which stayed open until the client gave up. Now the 431 is
written and the connection closed, and the server goes on serving."""

from __future__ import annotations

import asyncio

import pytest

from tests.realtime.server import LiveServer

UPGRADE = (
    b"GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
    b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
)


async def _exchange(server: LiveServer, request: bytes) -> bytes:
    """Everything the server sends until it closes the connection (a hang fails the wait)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
    writer.write(request)
    await writer.drain()
    try:
        return await asyncio.wait_for(reader.read(), 10)
    finally:
        writer.close()


@pytest.mark.parametrize(
    "headers",
    [
        b"Sec-WebSocket-Protocol: breakouts.v1, ticket." + b"a" * 60_000 + b"\r\n",
        b"".join(b"X-Filler-%d: x\r\n" % n for n in range(200)),
    ],
    ids=["a ticket of 60 KB", "200 headers"],
)
async def test_an_upgrade_with_headers_too_large_is_answered_431_and_closed(
    live_server: LiveServer, headers: bytes
) -> None:
    answer = await _exchange(live_server, UPGRADE + headers + b"\r\n")

    assert answer.startswith(b"HTTP/1.1 431 "), answer[:200]
    assert (await _exchange(live_server, b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")).startswith(
        b"HTTP/1.1 200 "
    )
