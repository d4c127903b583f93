"""Only the content types an endpoint documents. A JSON body is read only when it is sent as JSON:
a body sent as ``text/plain``, a form, or with no type at all (what a plain HTML form or a no-CORS
``fetch`` can send from another site) is refused with 415 before anything runs. Endpoints that read
files (roster and template imports) check their own documented types."""

from __future__ import annotations

from fastapi.routing import APIRoute
from starlette.requests import HTTPConnection

from app.errors import UnsupportedMediaType

BODYLESS_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "DELETE"})


def is_json(content_type: str) -> bool:
    media_type = content_type.split(";")[0].strip().lower()
    return media_type == "application/json" or (media_type.startswith("application/") and media_type.endswith("+json"))


async def documented_content_type(connection: HTTPConnection) -> None:
    if connection.scope["type"] != "http" or connection.scope["method"] in BODYLESS_METHODS:
        return
    route = connection.scope.get("route")
    if not isinstance(route, APIRoute) or route.body_field is None:
        return
    headers = connection.headers
    has_body = headers.get("content-length", "0") not in ("", "0") or "transfer-encoding" in headers
    if has_body and not is_json(headers.get("content-type", "")):
        raise UnsupportedMediaType("send the body as application/json")
