"""Cross-site request forgery: a state-changing REST request that a browser sends with the session
cookie must come from one of the allowed origins.

``SameSite=Lax`` cookies do not separate the origins of one site (another port of the same host, a
sibling subdomain), and a plain HTML form can send a bodyless POST, ``text/plain`` or a multipart
upload. So a request that carries a session cookie and changes something (any method but GET, HEAD
and OPTIONS) is refused with 403 ``cross_site_request`` when its ``Origin`` is not in
``BREAKOUTS_ALLOWED_ORIGINS`` (or the server's own public origin), or, when a browser sent no
``Origin``, when ``Sec-Fetch-Site`` says ``cross-site`` or ``same-site``. A request that presents a
bearer token is not a browser's ambient credential and is not checked; neither are requests
without a session cookie (API clients, the first sign-in).
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

from starlette.datastructures import Headers
from starlette.requests import cookie_parser
from starlette.types import ASGIApp, Receive, Scope, Send

from app.errors import ErrorBody

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
FOREIGN_FETCH_SITES = frozenset({"cross-site", "same-site"})


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


class CrossSiteRequestGuard:
    def __init__(self, app: ASGIApp, *, allowed_origins: Iterable[str], session_cookies: Iterable[str]) -> None:
        self.app = app
        self.allowed = frozenset(origin_of(origin) for origin in allowed_origins)
        self.session_cookies = tuple(session_cookies)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] not in SAFE_METHODS and self._refused(Headers(scope=scope)):
            body = ErrorBody(
                code="cross_site_request",
                message="this request came from a page outside this server's allowed origins; it was not carried out",
            ).model_dump_json()
            encoded = body.encode()
            headers = [(b"content-type", b"application/json"), (b"content-length", str(len(encoded)).encode())]
            await send({"type": "http.response.start", "status": 403, "headers": headers})
            await send({"type": "http.response.body", "body": encoded})
            return
        await self.app(scope, receive, send)

    def _refused(self, headers: Headers) -> bool:
        scheme, _, credentials = headers.get("authorization", "").partition(" ")
        if scheme.lower() == "bearer" and credentials.strip():
            return False
        cookies = cookie_parser(headers.get("cookie", ""))
        if not any(cookies.get(name) for name in self.session_cookies):
            return False
        origin = headers.get("origin")
        if origin is not None:
            return origin.strip().lower() == "null" or origin_of(origin.strip()) not in self.allowed
        return headers.get("sec-fetch-site", "").lower() in FOREIGN_FETCH_SITES
