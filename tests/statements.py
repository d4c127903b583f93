"""The SQL statements an app runs while a block runs, as its engines report them (counted, not
timed): what a test asserts when it says "this reads the database once" or "this writes nothing"."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator
from typing import Any

from sqlalchemy import event

from app.database import Database


@contextlib.contextmanager
def statements_matching(
    database: Database, *fragments: str, besides_tasks: tuple[str, ...] = ()
) -> Iterator[list[str]]:
    """The statements run meanwhile on every engine of ``database`` (the write, the read and the
    polling engine) that contain any of ``fragments``; with no fragment, every statement. Statements an
    asyncio task named in ``besides_tasks`` runs are left out (a server's own periodic work that
    may land in the block, such as the hub's check against the log)."""
    seen: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if besides_tasks and _task_name() in besides_tasks:
            return
        if not fragments or any(fragment in statement for fragment in fragments):
            seen.append(statement)

    engines = {id(e): e for e in (database.write_engine, database.read_engine, database.polling_engine)}.values()
    for engine in engines:
        event.listen(engine.sync_engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        for engine in engines:
            event.remove(engine.sync_engine, "before_cursor_execute", note)


def _task_name() -> str | None:
    try:
        task = asyncio.current_task()
    except RuntimeError:  # a thread with no running loop (the SQLite writer's own thread has one)
        return None
    return task.get_name() if task is not None else None
