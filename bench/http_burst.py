"""Plain HTTP/1.1 requests for the generator, cheap enough that two thousand phones fit in a second of
its core (an HTTP client library spends about a millisecond of CPU per request, which would
measure the generator rather than the server).

Each phone opens its own connection (phones share none), sends one request (a GET with its bearer
token and the ``Accept-Encoding`` a phone's browser sends, or a JSON POST: a join, a ticket) and
reads the status and the body as sent (``Content-Length``; uvicorn sends it for every response here).
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass


@dataclass(slots=True)
class Fetched:
    status: int  # 0: the connection failed or closed before a whole response
    size: int
    retry_after: str | None = None
    body: bytes = b""


async def fetch(host: str, port: int, path: str, token: str, timeout_s: float = 60) -> Fetched:
    """A phone's GET of ``path`` with its bearer token (the body is read, not kept)."""
    head = f"Authorization: Bearer {token}\r\nAccept-Encoding: gzip, deflate, br\r\n"
    fetched = await _request(host, port, "GET", path, head, b"", timeout_s)
    fetched.body = b""
    return fetched


async def post_json(
    host: str, port: int, path: str, payload: object, token: str | None = None, timeout_s: float = 60
) -> Fetched:
    """A phone's POST of ``payload`` as JSON (with its bearer token when it has one); the body kept."""
    body = json.dumps(payload).encode()
    head = "Content-Type: application/json\r\n" + (f"Authorization: Bearer {token}\r\n" if token else "")
    return await _request(host, port, "POST", path, head, body, timeout_s)


async def _request(host: str, port: int, method: str, path: str, head: str, body: bytes, timeout_s: float) -> Fetched:
    try:
        async with asyncio.timeout(timeout_s):
            reader, writer = await asyncio.open_connection(host, port)
            try:
                writer.write(
                    f"{method} {path} HTTP/1.1\r\nHost: {host}:{port}\r\n{head}"
                    f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
                    + body
                )
                response_head = await reader.readuntil(b"\r\n\r\n")
                lines = response_head.decode("latin-1").split("\r\n")
                status = int(lines[0].split(" ", 2)[1])
                headers = {
                    name.strip().lower(): value.strip()
                    for name, _, value in (line.partition(":") for line in lines[1:] if line)
                }
                size = int(headers.get("content-length", "0"))
                content = await reader.readexactly(size) if size else b""
                return Fetched(status, size, headers.get("retry-after"), content)
            finally:
                writer.close()
    except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, TimeoutError, ValueError, IndexError):
        return Fetched(0, 0)
