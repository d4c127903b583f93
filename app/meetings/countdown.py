"""Closes breakout rooms when their countdown ends, and starts that countdown when the rooms reach
their planned end, in the background of every server process. Both are deadlines in the meeting's
row, so they hold across restarts and need no console open."""

from __future__ import annotations

import asyncio
import logging

from app.database import Database
from app.meetings.service import any_breakouts_due, close_due_breakouts
from app.realtime.bus import Bus
from app.realtime.outbox import unit_of_work

log = logging.getLogger("breakouts.countdown")

# Rooms close within a second of their deadline; a due-check is one indexed query.
COUNTDOWN_SWEEP_INTERVAL_S = 1.0


async def close_breakouts_when_due(database: Database, bus: Bus) -> None:
    while True:
        try:
            # A read first: the write lock (all of SQLite) is taken only when a countdown ended.
            async with database.polling() as session:
                due = await any_breakouts_due(session)
            closed = 0
            if due:
                async with unit_of_work(database.write_sessions, bus) as uow:
                    closed = await close_due_breakouts(uow)
            if closed:
                log.info("closed the breakout rooms of %d meeting(s) at the end of their countdown", closed)
        except Exception:
            log.exception("closing breakouts failed; trying again")
        await asyncio.sleep(COUNTDOWN_SWEEP_INTERVAL_S)
