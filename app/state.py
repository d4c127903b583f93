"""The application's typed state, built by the lifespan of ``create_app`` and read by dependencies."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from fastapi import Request
from redis.asyncio import Redis
from starlette.requests import HTTPConnection

from app.auth.join_throttle import JoinThrottle
from app.database import Database
from app.realtime.bus import Bus
from app.settings import Settings

if TYPE_CHECKING:  # these import features; features import this module
    from app.admission import HeavyReads
    from app.live.runtime import LiveRuntime
    from app.plenary.shared_view import SharedPlenaryViews
    from app.reports.rendering import ReportRenderer


@dataclass(slots=True)
class AppState:
    settings: Settings
    database: Database
    bus: Bus
    # The hub, socket registry, command dispatcher and presence of this process.
    live: LiveRuntime
    # Admission of the heavy reads, the shared plenary view and the exports' renderer.
    heavy: HeavyReads
    plenary_views: SharedPlenaryViews
    reports: ReportRenderer
    # Joining without an account, counted per address and per meeting (in Redis when set).
    joins: JoinThrottle
    # The process's Redis client when ``BREAKOUTS_REDIS_URL`` is set (closed at shutdown): give it
    # to whatever keeps state that every process must share.
    redis: Redis | None = None


def app_state(connection: HTTPConnection) -> AppState:
    state = connection.app.state.breakouts
    assert isinstance(state, AppState)
    return state


def request_state(request: Request) -> AppState:
    return app_state(request)
