"""The live socket's own door: ``/ws`` is served below the HTTP middleware stack.

An ASGI call stays suspended, with every frame of the chain that led to it, for as long as the
socket is open. Through the whole stack that is Starlette's error middleware, the three HTTP
middlewares, the exception middleware with its handler wrapper, FastAPI's exit-stack middleware
(an ``AsyncExitStack`` per socket), the router and the route: a dozen coroutine frames, closures and
a scope copy per idle socket, for code that does nothing with a socket. The middlewares look at
HTTP scopes only (``CrossSiteRequestGuard``, ``SecurityHeadersMiddleware``, ``MethodGuard`` pass
every other scope through untouched); what guards a socket (the origin, the ticket, the frame cap,
the rate limit) is the socket's own code in ``app/live/gateway.py`` and ``app/realtime/``, and runs
the same through this door. The socket takes no dependencies, so it needs no route either. Every other scope, and a socket on any other path (refused by the
router as before), goes through the whole stack.
"""

from __future__ import annotations

from fastapi import FastAPI
from starlette._utils import get_route_path
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket

from app.live.gateway import serve_socket
from app.state import app_state

LIVE_SOCKET_PATH = "/ws"


class BreakoutsApp(FastAPI):
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket" and get_route_path(scope) == LIVE_SOCKET_PATH:
            scope["app"] = self  # as Starlette sets it: the state is found there
            websocket = WebSocket(scope, receive, send)
            state = app_state(websocket)
            await serve_socket(websocket, state.live, state.settings)
            return
        await super().__call__(scope, receive, send)
