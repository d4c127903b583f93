"""The CPU of one process's polling reads on PostgreSQL, apart from any server: the hub's check of
every stream it follows (``stream_positions``, once a second in every process), run ``--polls``
times through the reading session (a transaction: ``BEGIN``, the statement, ``ROLLBACK``, on a
connection pinged before use) and through ``Database.polling`` (the statement alone, in autocommit,
not pinged). Reported: this process's CPU time (user and system) per poll, and the wall time;
PostgreSQL's own CPU is not in it. CPU time survives a loaded machine far better than wall time.

    python -m bench.poll_cost [--polls 2000] [--streams 40]

It migrates a database of its own on the machine's PostgreSQL (``BENCH_POSTGRES``, as S11 does) and
drops it after. The streams need not exist (an unknown stream stands at zero): the statement is
the hub's.
"""

from __future__ import annotations

import argparse
import time
import uuid
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager

import uvloop
from sqlalchemy.ext.asyncio import AsyncSession

from app.database import create_database
from app.realtime.eventlog import room_stream, stream_positions
from bench.scaleout import postgres_database


async def measure(polls: int, streams: int) -> str:
    async with postgres_database() as url:
        return await _measure(url, polls, streams)


async def _measure(url: str, polls: int, streams: int) -> str:
    database = create_database(url)
    names = [room_stream(uuid.uuid4()) for _ in range(streams)]
    lines = []
    try:
        ways: dict[str, Callable[[], AbstractAsyncContextManager[AsyncSession]]] = {
            "reading": database.reading,
            "polling": database.polling,
        }
        for name, session_of in [*ways.items(), *ways.items()]:  # each twice, alternating
            for _ in range(50):  # connections made, statements cached
                async with session_of() as session:
                    await stream_positions(session, names)
            cpu, wall = time.process_time(), time.perf_counter()
            for _ in range(polls):
                async with session_of() as session:
                    await stream_positions(session, names)
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            lines.append(
                f"{name}: polls={polls} streams={streams} cpu={cpu:.3f}s wall={wall:.2f}s "
                f"cpu_per_poll_us={1e6 * cpu / polls:.0f} wall_per_poll_us={1e6 * wall / polls:.0f}"
            )
    finally:
        await database.dispose()
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--polls", type=int, default=2000)
    parser.add_argument("--streams", type=int, default=40)
    arguments = parser.parse_args()
    print(uvloop.run(measure(arguments.polls, arguments.streams)))


if __name__ == "__main__":
    main()
