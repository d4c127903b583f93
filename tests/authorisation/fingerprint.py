"""A fingerprint of the whole database, to prove that a refused request changed nothing."""

from __future__ import annotations

import hashlib

from fastapi import FastAPI
from sqlalchemy import func, select

from app.realtime.eventlog import EventRecord
from app.state import AppState
from app.tables import metadata

Fingerprint = dict[str, object]


async def fingerprint(app: FastAPI) -> Fingerprint:
    """Every table's row count and a digest of its rows, and the last event id: equal before and
    after a request exactly when the request changed nothing in the database. (Cheap: the tables
    hold one test's worlds only.)"""
    state: AppState = app.state.breakouts
    found: Fingerprint = {}
    async with state.database.reading() as session:
        for table in metadata.sorted_tables:
            rows = sorted(repr(tuple(row)) for row in (await session.execute(table.select())).all())
            found[table.name] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest()[:16])
        found["max_event_id"] = await session.scalar(select(func.max(EventRecord.id)))
    return found


def changed_tables(before: Fingerprint, after: Fingerprint) -> list[str]:
    return sorted(name for name in before.keys() | after.keys() if before.get(name) != after.get(name))
