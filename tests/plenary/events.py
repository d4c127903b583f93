"""Reading a meeting's event log in tests (what every client of the meeting stream receives)."""

from __future__ import annotations

from sqlalchemy import select

from app.realtime.eventlog import EventRecord, meeting_stream
from tests.reports.consultation import Consultation


async def meeting_events(consultation: Consultation) -> list[EventRecord]:
    async with consultation.state.database.reading() as session:
        rows = await session.scalars(
            select(EventRecord)
            .where(EventRecord.stream == meeting_stream(consultation.meeting_id))
            .order_by(EventRecord.seq)
        )
        return list(rows)
