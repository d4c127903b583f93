"""What the published OpenAPI document says beyond the routes' own declarations, and the methods
each API path allows.

Some refusals happen before an operation runs, so no route declares them: 400 for a body that
cannot be parsed, 415 for a body of another content type (``app/content_types.py``), 403 for a
state-changing request from another site (``app/cross_site.py``). ``document_statuses`` adds them
to every operation they can answer.

``MethodGuard`` answers a method the document does not list for an API path with 405 and an
``Allow`` header naming exactly the methods it lists (the router alone would name the methods of
the first route whose path matched, or let the browser app's catch-all answer 404).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Receive, Scope, Send

from app.errors import ErrorBody

ERROR_SCHEMA = {"$ref": "#/components/schemas/ErrorBody"}
STATE_CHANGING = frozenset({"post", "put", "patch", "delete"})
BODY_STATUSES = {
    "400": "The body could not be parsed (not JSON, or a broken multipart upload)",
    "415": "The body's Content-Type is not one this operation reads",
}
CROSS_SITE = "a state-changing request with a session cookie from another site (`cross_site_request`)"


def _error_response(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": ERROR_SCHEMA}}}


def add_statuses(schema: dict[str, Any]) -> None:
    for operations in schema.get("paths", {}).values():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            if "requestBody" in operation:
                for status, description in BODY_STATUSES.items():
                    responses.setdefault(status, _error_response(description))
            if method in STATE_CHANGING:
                forbidden = responses.get("403")
                if forbidden is None:
                    responses["403"] = _error_response(f"Refused: {CROSS_SITE}")
                elif CROSS_SITE not in forbidden.get("description", ""):
                    forbidden["description"] = f"{forbidden.get('description', 'Forbidden')}; or {CROSS_SITE}"


def document_statuses(app: FastAPI) -> None:
    """Make ``app.openapi()`` (``/openapi.json``) carry the statuses no route declares."""
    generate: Callable[[], dict[str, Any]] = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            add_statuses(generate())
        assert app.openapi_schema is not None
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


class PathMethods:
    """The methods the OpenAPI document lists per path. A request path takes the most specific
    template that matches it: ``/api/meetings/import`` is not ``/api/meetings/{meeting_id}``.

    Read from the routes the document is generated from (the API routes it includes, by their
    path templates), not from the document itself: generating the document costs about a second
    of CPU, and the guard is needed on every application's first API request."""

    def __init__(self, routes: Iterable[BaseRoute]) -> None:
        listed: dict[str, set[str]] = {}
        for route in iter_route_contexts(list(routes)):  # as the document walks included routers
            if isinstance(route.original_route, APIRoute) and route.include_in_schema and route.path_format:
                listed.setdefault(route.path_format, set()).update(method.upper() for method in route.methods or ())
        self._templates: list[tuple[int, re.Pattern[str], frozenset[str]]] = []
        for template, methods in listed.items():
            if "GET" in methods:
                methods.add("HEAD")
            pattern = re.compile("^" + re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template)) + "$")
            self._templates.append((template.count("{"), pattern, frozenset(methods)))
        self._templates.sort(key=lambda entry: entry[0])

    def allowed(self, path: str) -> frozenset[str] | None:
        """The methods of the path's template, or None for a path the document does not list."""
        for _, pattern, methods in self._templates:
            if pattern.match(path):
                return methods
        return None


class MethodGuard:
    """405 with the documented ``Allow`` for a method an API path does not list."""

    def __init__(self, app: ASGIApp, prefix: str = "/api/") -> None:
        self.app = app
        self.prefix = prefix
        self._methods: PathMethods | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not str(scope.get("path", "")).startswith(self.prefix):
            await self.app(scope, receive, send)
            return
        if self._methods is None:
            application = scope["app"]
            assert isinstance(application, FastAPI)
            self._methods = PathMethods(application.routes)
        allowed = self._methods.allowed(scope["path"])
        if allowed is None or scope["method"] in allowed:
            await self.app(scope, receive, send)
            return
        body = ErrorBody(code="method_not_allowed", message="Method Not Allowed").model_dump_json().encode()
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"allow", ", ".join(sorted(allowed)).encode()),
        ]
        await send({"type": "http.response.start", "status": 405, "headers": headers})
        await send({"type": "http.response.body", "body": body})
