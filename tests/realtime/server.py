"""A real uvicorn server in the test's own event loop, on a socket bound before it starts (so
clients can connect at once: the kernel queues them until uvicorn accepts)."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass

import uvicorn
from fastapi import FastAPI

from app.realtime.limits import MESSAGE_MAX_BYTES
from app.realtime.ws_protocol import PROTOCOL_CLASS
from app.state import AppState


@dataclass
class LiveServer:
    app: FastAPI
    port: int

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def state(self) -> AppState:
        state: AppState = self.app.state.breakouts
        return state


def uvicorn_config(app: FastAPI, ws: str | type[asyncio.Protocol] = PROTOCOL_CLASS) -> uvicorn.Config:
    """What ``breakouts serve`` passes to uvicorn for the socket (see docs/realtime.md); ``ws``
    another WebSocket protocol (uvicorn's own, say)."""
    return uvicorn.Config(
        app,
        lifespan="off",  # the test runs the app's lifespan itself, before serving
        ws=ws,  # type: ignore[arg-type]  # uvicorn takes a protocol class or its import path
        ws_ping_interval=None,
        ws_max_size=MESSAGE_MAX_BYTES,
        ws_per_message_deflate=False,
        log_config=None,
        access_log=False,
        timeout_graceful_shutdown=2,
    )


@contextlib.asynccontextmanager
async def serving(app: FastAPI, ws: str | type[asyncio.Protocol] = PROTOCOL_CLASS) -> AsyncIterator[LiveServer]:
    # IPPROTO_TCP, not 0: asyncio sets TCP_NODELAY only on sockets that say they are TCP, and
    # without it every small HTTP response waits 40 ms for a delayed ACK.
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    listener.bind(("127.0.0.1", 0))
    listener.listen(256)
    server = uvicorn.Server(uvicorn_config(app, ws))
    task = asyncio.create_task(server.serve(sockets=[listener]))
    try:
        yield LiveServer(app, listener.getsockname()[1])
    finally:
        server.should_exit = True
        await task
        listener.close()
