"""Closing the breakouts with a countdown: everyone is told the deadline, the server closes the rooms."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
from fastapi import FastAPI
from sqlalchemy import select, update

from app.meetings.models import Meeting
from app.meetings.service import close_due_breakouts
from app.realtime.eventlog import EventRecord
from app.realtime.outbox import unit_of_work
from app.state import AppState
from tests.world import new_meeting, signed_in_organiser


async def _to_breakouts(client: httpx.AsyncClient) -> str:
    meeting = await new_meeting(client)
    for phase in ("lobby", "plenary", "breakouts"):
        assert (await client.post(f"/api/meetings/{meeting['id']}/phase", json={"phase": phase})).status_code == 200
    return str(meeting["id"])


async def _event_types(state: AppState) -> list[str]:
    async with state.database.reading() as session:
        return list(await session.scalars(select(EventRecord.type).order_by(EventRecord.id)))


async def test_a_countdown_announces_the_deadline_and_the_server_closes_the_rooms(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    state: AppState = app.state.breakouts
    await signed_in_organiser(app, client)
    meeting_id = await _to_breakouts(client)

    before = datetime.now(UTC)
    closing = await client.post(f"/api/meetings/{meeting_id}/phase", json={"phase": "report_back", "countdown_s": 60})
    assert closing.status_code == 200
    assert closing.json()["phase"] == "breakouts"
    close_at = datetime.fromisoformat(closing.json()["breakouts_close_at"])
    assert before + timedelta(seconds=59) <= close_at <= datetime.now(UTC) + timedelta(seconds=61)
    assert (await _event_types(state))[-1] == "meeting.breakouts_closing"

    async with unit_of_work(state.database.write_sessions, state.bus) as uow:
        assert await close_due_breakouts(uow) == 0  # not due yet

    # Let the deadline pass without waiting for it.
    async with state.database.write_sessions() as session:
        await session.execute(update(Meeting).values(breakouts_close_at=datetime.now(UTC) - timedelta(seconds=1)))
        await session.commit()
    async with unit_of_work(state.database.write_sessions, state.bus) as uow:
        assert await close_due_breakouts(uow) == 1
    async with unit_of_work(state.database.write_sessions, state.bus) as uow:
        assert await close_due_breakouts(uow) == 0  # exactly once

    after = (await client.get(f"/api/meetings/{meeting_id}")).json()
    assert after["phase"] == "report_back"
    assert after["breakouts_close_at"] is None
    assert (await _event_types(state))[-1] == "meeting.phase_changed"


async def test_the_organiser_can_close_at_once_during_a_countdown(app: FastAPI, client: httpx.AsyncClient) -> None:
    await signed_in_organiser(app, client)
    meeting_id = await _to_breakouts(client)
    url = f"/api/meetings/{meeting_id}/phase"
    await client.post(url, json={"phase": "plenary", "countdown_s": 120})

    now = await client.post(url, json={"phase": "report_back"})

    assert now.json()["phase"] == "report_back"
    assert now.json()["breakouts_close_at"] is None


async def test_a_countdown_outside_breakouts_changes_the_phase_at_once(app: FastAPI, client: httpx.AsyncClient) -> None:
    await signed_in_organiser(app, client)
    meeting = await new_meeting(client)
    response = await client.post(f"/api/meetings/{meeting['id']}/phase", json={"phase": "lobby", "countdown_s": 30})
    assert response.json()["phase"] == "lobby"
    too_long = await client.post(f"/api/meetings/{meeting['id']}/phase", json={"phase": "plenary", "countdown_s": 601})
    assert too_long.status_code == 422
