"""Short steps of the findings flow over REST, asserting that each one succeeded."""

from __future__ import annotations

from typing import Any

import httpx

from tests.findings.scene import Scene


async def drafted(scene: Scene, http: httpx.AsyncClient | None = None, **body: Any) -> dict[str, Any]:
    """A draft in room A (by its moderator unless ``http`` says otherwise)."""
    body.setdefault("text", "Smuggled migrants are victims, not criminals.")
    response = await (http or scene.moderator_a.http).post(f"/api/rooms/{scene.room_a}/findings", json=body)
    assert response.status_code == 201, response.text
    finding: dict[str, Any] = response.json()
    return finding


async def proposed(scene: Scene, **body: Any) -> dict[str, Any]:
    finding = await drafted(scene, **body)
    response = await scene.moderator_a.http.post(f"/api/findings/{finding['id']}/propose")
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result
