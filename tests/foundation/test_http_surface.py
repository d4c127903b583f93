"""Health endpoints, the one error shape, security headers and the OpenAPI document."""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from sqlalchemy import text

from app.state import AppState
from tests.world import new_meeting, signed_in_organiser


async def test_health_and_readiness(app: FastAPI, client: httpx.AsyncClient) -> None:
    assert (await client.get("/healthz")).json() == {
        "status": "ok",
        "database": None,
        "revision": None,
        "expected_revision": None,
        "redis": None,
    }
    ready = await client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["revision"] == ready.json()["expected_revision"] is not None

    state: AppState = app.state.breakouts
    async with state.database.write_sessions() as session:
        await session.execute(text("UPDATE alembic_version SET version_num = 'older'"))
        await session.commit()
    try:
        pending = await client.get("/readyz")
        assert pending.status_code == 503
        assert pending.json()["status"] == "migrations_pending"
    finally:
        async with state.database.write_sessions() as session:
            expected = ready.json()["expected_revision"]
            await session.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": expected})
            await session.commit()


async def test_bad_input_gets_the_error_shape_and_changes_nothing(app: FastAPI, client: httpx.AsyncClient) -> None:
    await signed_in_organiser(app, client)
    meeting = await new_meeting(client)
    cases = [
        ("post", "/api/meetings", {"title": ""}),
        ("post", "/api/meetings", {"title": "x" * 201}),
        ("post", "/api/meetings", {"title": "T", "languages": ["english!"]}),
        ("post", f"/api/meetings/{meeting['id']}/phase", {"phase": "party"}),
        ("post", f"/api/meetings/{meeting['id']}/agenda", {"title": "T", "planned_minutes": -1}),
        ("get", "/api/meetings/not-a-uuid", None),
        ("post", "/api/meetings", "not json"),
    ]
    for method, url, body in cases:
        if isinstance(body, str):
            response = await client.request(method, url, content=body, headers={"content-type": "application/json"})
        else:
            response = await client.request(method, url, json=body)
        assert response.status_code == 422, (url, body, response.text)
        error = response.json()
        assert set(error) == {"code", "message", "details"}
        assert error["code"] == "invalid" and error["message"]
    listed = (await client.get("/api/meetings")).json()
    assert [m["id"] for m in listed] == [meeting["id"]]
    assert (await client.get("/api/nothing-here")).json()["code"] == "not_found"


async def test_responses_carry_security_headers(client: httpx.AsyncClient) -> None:
    page = await client.get("/")
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy
    assert page.headers["x-content-type-options"] == "nosniff"
    assert (await client.get("/healthz")).headers["x-frame-options"] == "DENY"


async def test_openapi_document_describes_every_route(client: httpx.AsyncClient) -> None:
    document = (await client.get("/openapi.json")).json()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            assert operation.get("summary"), f"{method.upper()} {path} has no summary"
