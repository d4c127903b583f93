"""Health endpoints for operators and load balancers."""

from __future__ import annotations

import asyncio

from alembic.config import Config
from alembic.script import ScriptDirectory
from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from redis.exceptions import RedisError
from sqlalchemy import text

from app.dependencies import StateDep
from app.migrations_path import ALEMBIC_INI

router = APIRouter(tags=["health"])


# Longer than a healthy Redis ever takes, short enough for a load balancer's probe.
REDIS_PING_TIMEOUT_S = 1.0


class Health(BaseModel):
    status: str
    database: str | None = None
    revision: str | None = None
    expected_revision: str | None = None
    # "ok", the error met ("degraded", still 200), or absent when no Redis is configured.
    redis: str | None = None


@router.get("/healthz", summary="The process is alive")
async def healthz() -> Health:
    return Health(status="ok")


@router.get(
    "/readyz",
    summary="Ready to serve: the database (and Redis, when set) answers and its migrations are current",
    response_model=Health,
    responses={503: {"model": Health}},
)
async def readyz(state: StateDep) -> JSONResponse:
    expected = ScriptDirectory.from_config(Config(str(ALEMBIC_INI))).get_current_head()
    try:
        async with state.database.reading() as session:
            revision = await session.scalar(text("SELECT version_num FROM alembic_version"))
    except Exception as error:  # any failure to reach the database means "not ready"
        body = Health(status="unavailable", database=type(error).__name__, expected_revision=expected)
        return JSONResponse(body.model_dump(), status_code=503)
    health = Health(status="ok", database="ok", revision=revision, expected_revision=expected)
    if state.redis is not None:
        try:
            async with asyncio.timeout(REDIS_PING_TIMEOUT_S):
                await state.redis.ping()
            health.redis = "ok"
        except (RedisError, OSError, TimeoutError) as error:
            # Still ready: without Redis a process serves its sockets, commits commands and reads
            # other processes' events from the log each tick; only joins by code or open link are
            # refused (503) until it is back. Every process shares one Redis, so answering 503
            # here would take all of them out of rotation at once for a partial loss.
            health.status, health.redis = "degraded", type(error).__name__
    if revision != expected:
        health.status = "migrations_pending"
        return JSONResponse(health.model_dump(), status_code=503)
    return JSONResponse(health.model_dump())
