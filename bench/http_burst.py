"""Plain HTTP/1.1 GETs for the generator, cheap enough that two thousand phones fit in a second of
its core (an HTTP client library spends about a millisecond of CPU per request, which would
measure the generator rather than the server).

Each phone opens its own connection (phones share none), sends one GET with its bearer token and
the ``Accept-Encoding`` a phone's browser sends, and reads the status and the body as sent
(``Content-Length``; uvicorn sends it for every response here).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass


@dataclass(slots=True)
class Fetched:
    status: int  # 0: the connection failed or closed before a whole response
    size: int
    retry_after: str | None = None


async def fetch(host: str, port: int, path: str, token: str, timeout_s: float = 60) -> Fetched:
    try:
        async with asyncio.timeout(timeout_s):
            reader, writer = await asyncio.open_connection(host, port)
            try:
                writer.write(
                    f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nAuthorization: Bearer {token}\r\n"
                    "Accept-Encoding: gzip, deflate, br\r\nConnection: close\r\n\r\n".encode()
                )
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                status = int(lines[0].split(" ", 2)[1])
                headers = {
                    name.strip().lower(): value.strip()
                    for name, _, value in (line.partition(":") for line in lines[1:] if line)
                }
                size = int(headers.get("content-length", "0"))
                if size:
                    await reader.readexactly(size)
                return Fetched(status, size, headers.get("retry-after"))
            finally:
                writer.close()
    except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, TimeoutError, ValueError, IndexError):
        return Fetched(0, 0)
