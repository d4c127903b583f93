"""Sending a row's request as a role, and reading what came back."""

from __future__ import annotations

import dataclasses
import uuid
from typing import Any

import httpx

from tests.authorisation.cells import Raw, Row
from tests.authorisation.world import World


async def send(http: httpx.AsyncClient, row: Row, world: World, role: str) -> httpx.Response:
    """The row's request with the role's bearer token (none for the anonymous caller), no cookies."""
    headers = {} if role == "anonymous" else {"Authorization": f"Bearer {world.tokens[role]}"}
    request: dict[str, Any] = {"params": row.query(world) if row.query else None}
    if isinstance(row.body, Raw):
        headers["content-type"] = row.body.content_type
        request["content"] = row.body.content(world)
    elif row.body is not None:
        request["json"] = row.body(world)
    http.cookies.clear()
    return await http.request(row.method, row.url(world), headers=headers, **request)


def json_of(response: httpx.Response) -> Any:
    if not response.content or not response.headers.get("content-type", "").startswith("application/json"):
        return None
    return response.json()


def as_seen(response: httpx.Response, world: World) -> tuple[int, str]:
    """The status and body with the world's ids written as their names, so that the answers for
    a real world and for its phantom compare equal when they differ only by the ids sent."""
    text = response.text
    for field in dataclasses.fields(world):
        value = getattr(world, field.name)
        if isinstance(value, uuid.UUID):
            text = text.replace(str(value), f"<{field.name}>")
    return response.status_code, text
