"""The application factory. Nothing is built at import time: ``create_app(settings)`` returns an app
whose lifespan builds the database engines and the bus and keeps them in a typed ``AppState``."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI
from redis.asyncio import Redis

from app.admission import HeavyReads
from app.answers.router import router as answers_router
from app.api_docs import mount_api_docs
from app.api_statuses import MethodGuard, document_statuses
from app.auth.dependencies import ACCOUNT_COOKIE, PARTICIPANT_COOKIE
from app.auth.join_throttle import JoinThrottle, MemoryJoinThrottle
from app.auth.join_throttle_redis import RedisJoinThrottle
from app.auth.router import router as auth_router
from app.collector import freeze_startup_heap
from app.content_types import documented_content_type
from app.cross_site import CrossSiteRequestGuard
from app.database import create_database
from app.errors import install_error_handlers
from app.facilitation.router import router as facilitation_router
from app.findings.router import router as findings_router
from app.hands.router import router as hands_router
from app.health.router import router as health_router
from app.live.ledger import RedisTicketLedger
from app.live.router import router as live_router
from app.live.runtime import LiveRuntime
from app.meetings.router import router as meetings_router
from app.participants.router import router as participants_router
from app.plenary.router import router as plenary_router
from app.plenary.shared_view import SharedPlenaryViews
from app.projector.router import router as projector_router
from app.questions.router import router as questions_router
from app.realtime.bus import Bus, InProcessBus
from app.realtime.presence import RedisPresenceStore
from app.realtime.redis_bus import RedisBus
from app.redis_client import create_redis
from app.reports.rendering import ReportRenderer
from app.reports.router import router as reports_router
from app.rooms.router import router as rooms_router
from app.security_headers import SecurityHeadersMiddleware
from app.settings import Settings
from app.socket_door import BreakoutsApp
from app.state import AppState
from app.static_site import mount_frontend
from app.templates.router import router as templates_router

log = logging.getLogger("breakouts")

API_ROUTERS = (
    auth_router,
    meetings_router,
    rooms_router,
    participants_router,
    findings_router,
    facilitation_router,
    hands_router,
    templates_router,
    questions_router,
    answers_router,
    live_router,
    plenary_router,
    reports_router,
    projector_router,
)


def _redis_address(redis: Redis) -> str:
    options = redis.connection_pool.connection_kwargs
    return f"{options.get('host', '?')}:{options.get('port', '?')}/{options.get('db', 0)}"


def create_app(settings: Settings) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        database = create_database(settings.database_url)
        # One Redis client per process when configured: the bus and the shared state use it.
        redis = create_redis(settings.redis_url) if settings.redis_url else None
        bus: Bus = RedisBus(redis) if redis is not None else InProcessBus()
        joins: JoinThrottle = RedisJoinThrottle(settings, redis) if redis is not None else MemoryJoinThrottle(settings)
        await bus.start()
        # Tickets' single use and presence: shared through Redis by the processes that share it.
        live = (
            LiveRuntime(database, bus, ledger=RedisTicketLedger(redis), presence_store=RedisPresenceStore(redis))
            if redis is not None
            else LiveRuntime(database, bus)
        )
        await live.start()
        heavy = HeavyReads.create()
        reports = ReportRenderer(database.url)
        app.state.breakouts = AppState(
            settings=settings,
            database=database,
            bus=bus,
            live=live,
            heavy=heavy,
            plenary_views=SharedPlenaryViews(database, heavy.plenary_readers, heavy.plenary_builds, redis=redis),
            reports=reports,
            joins=joins,
            redis=redis,
        )
        log.info("serving with database %s", database.write_engine.url.render_as_string(hide_password=True))
        if redis is not None:
            log.info("processes share events and counters through Redis at %s", _redis_address(redis))
        if settings.tune_gc:
            freeze_startup_heap()
        try:
            yield
        finally:
            await asyncio.to_thread(reports.close)
            await live.stop()
            await bus.stop()
            if redis is not None:
                await redis.aclose()
            await database.dispose()

    # ``/ws`` is served by BreakoutsApp itself, below the HTTP middleware stack (app/socket_door.py).
    app = BreakoutsApp(
        title="Breakouts",
        version="0.1.0",
        summary="Facilitated online consultations: plenary, breakout rooms, merged findings, reports.",
        lifespan=lifespan,
        dependencies=[Depends(documented_content_type)],
        docs_url=None,  # served by mount_api_docs from the server's own files
        redoc_url=None,
    )
    install_error_handlers(app)
    document_statuses(app)
    app.add_middleware(MethodGuard)
    app.add_middleware(
        CrossSiteRequestGuard,
        allowed_origins=[*settings.allowed_origins, settings.public_base_url],
        session_cookies=(ACCOUNT_COOKIE, PARTICIPANT_COOKIE),
    )
    app.add_middleware(SecurityHeadersMiddleware)
    app.include_router(health_router)
    for router in API_ROUTERS:
        app.include_router(router)
    mount_api_docs(app)
    mount_frontend(app, settings)
    return app
