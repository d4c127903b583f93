"""Hourly pruning: events and receipts past the retention window. Every process may run it: each
step is idempotent."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime

from app.database import Database, utcnow
from app.realtime.eventlog import prune_events
from app.realtime.limits import EVENT_RETENTION, MAINTENANCE_INTERVAL_S
from app.realtime.receipts import prune_receipts

log = logging.getLogger("breakouts.maintenance")


async def prune_once(database: Database, now: datetime | None = None) -> int:
    """Returns the number of events pruned."""
    now = now or utcnow()
    async with database.write_sessions() as session:
        pruned = await prune_events(session, now - EVENT_RETENTION)
        # A retry after the retention window is not a retry any more.
        await prune_receipts(session, now - EVENT_RETENTION)
        await session.commit()
    return pruned


async def prune_forever(database: Database) -> None:
    while True:
        try:
            await prune_once(database)
        except Exception:
            log.exception("pruning failed")
        await asyncio.sleep(MAINTENANCE_INTERVAL_S)
