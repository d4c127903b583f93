"""Dependency aliases that read like prose in route signatures."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends
from sqlalchemy.ext.asyncio import AsyncSession

from app.realtime.outbox import UnitOfWork, unit_of_work
from app.settings import Settings
from app.state import AppState, request_state

StateDep = Annotated[AppState, Depends(request_state)]


def _settings(state: StateDep) -> Settings:
    return state.settings


async def _unit_of_work(state: StateDep) -> AsyncIterator[UnitOfWork]:
    async with unit_of_work(state.database.write_sessions, state.bus) as uow:
        yield uow


async def _read_session(state: StateDep) -> AsyncIterator[AsyncSession]:
    async with state.database.reading() as session:
        yield session


SettingsDep = Annotated[Settings, Depends(_settings)]
# Commits when the route function returns, before the response is sent: a 2xx means committed.
UowDep = Annotated[UnitOfWork, Depends(_unit_of_work, scope="function")]
ReadSessionDep = Annotated[AsyncSession, Depends(_read_session, scope="function")]
