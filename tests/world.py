"""Builds the people of a test through the real API: organisers sign in, others open invite links."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi import FastAPI

from app.auth.service import create_account
from app.state import AppState

ORGANISER_PASSWORD = "correct horse battery staple"


async def add_account(app: FastAPI, email: str, name: str = "Organiser") -> None:
    state: AppState = app.state.breakouts
    async with state.database.write_sessions() as session:
        await create_account(session, email, name, ORGANISER_PASSWORD)
        await session.commit()


async def signed_in_organiser(app: FastAPI, http: httpx.AsyncClient, email: str = "organiser@example.org") -> None:
    await add_account(app, email)
    response = await http.post("/api/auth/login", json={"email": email, "password": ORGANISER_PASSWORD})
    assert response.status_code == 200, response.text


async def new_meeting(http: httpx.AsyncClient, **fields: Any) -> dict[str, Any]:
    body = {"title": "Think tank policy session", "languages": ["en", "bn"], **fields}
    response = await http.post("/api/meetings", json=body)
    assert response.status_code == 201, response.text
    meeting: dict[str, Any] = response.json()
    return meeting
