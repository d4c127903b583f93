"""``breakouts demo --simulate`` fills the six rooms of the reference meeting with live answers."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select

from app.answers.models import Answer
from app.client.simulate import run_simulation
from app.demo.service import stage_reference_meeting
from app.rooms.models import Room
from tests.realtime.server import LiveServer


async def test_simulated_participants_answer_in_every_room(live_server: LiveServer) -> None:
    state = live_server.state
    links = await stage_reference_meeting(state.database, state.bus, state.settings)
    async with asyncio.timeout(120):
        report = await run_simulation(links, base_url=live_server.base_url, pace_s=0.01, questions_per_room=1)

    async with state.database.reading() as session:
        rows = await session.execute(
            select(Room.name, func.count(Answer.id))
            .join(Answer, Answer.room_id == Room.id)
            .where(Room.meeting_id == links.meeting_id)
            .group_by(Room.name)
        )
        stored = dict(rows.all())
    assert len(stored) == 6 and all(count > 0 for count in stored.values())
    assert report.answers == sum(stored.values())
    assert dict(report.by_room) == stored
