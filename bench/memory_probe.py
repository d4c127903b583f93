"""What an idle socket holds, by allocation site: Breakouts with ``tracemalloc`` on, for S4.

    BENCH_BREAKOUTS_FACTORY=bench.memory_probe:create_app BENCH_MEMORY_PROBE=out.txt \\
        python -m bench.run --runs 1 --only S4 --servers breakouts

The probe starts tracing when the first socket arrives, and snapshots the heap then and once the
number of open sockets has stood still (above zero) for ``STEADY_S``; it writes the difference
per socket, by the line that allocated it, to ``BENCH_MEMORY_PROBE``. tracemalloc slows the
server and adds its own bookkeeping to RSS: use it to see what a socket holds, not S4's figure.
"""

from __future__ import annotations

import asyncio
import gc
import os
import tracemalloc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI

from app.asgi import create_from_environment

FRAMES = 12
POLL_S = 0.25
STEADY_S = 1.0
TOP = 40


def create_app() -> FastAPI:
    app = create_from_environment()
    breakouts_lifespan = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with breakouts_lifespan(app):
            task = asyncio.create_task(_probe(app, Path(os.environ.get("BENCH_MEMORY_PROBE", "memory-probe.txt"))))
            try:
                yield
            finally:
                task.cancel()

    app.router.lifespan_context = lifespan
    return app


async def _probe(app: FastAPI, out: Path) -> None:
    hub = app.state.breakouts.live.hub
    # Tracing starts with the first socket (staging the meeting under tracemalloc is too slow);
    # the sockets that came in before the first snapshot are not counted.
    while True:
        await asyncio.sleep(POLL_S / 10)
        if hub.recipients:
            break
    tracemalloc.start(FRAMES)
    untraced = len(hub.recipients)
    empty = tracemalloc.take_snapshot()
    clock = asyncio.get_running_loop().time
    last, since = untraced, clock()
    while True:
        await asyncio.sleep(POLL_S)
        count, now = len(hub.recipients), clock()
        if count != last:
            last, since = count, now
            continue
        if count > untraced and now - since >= STEADY_S:
            break
    count -= untraced
    gc.collect()
    full = tracemalloc.take_snapshot()
    filters = [tracemalloc.Filter(False, tracemalloc.__file__)]
    empty, full = empty.filter_traces(filters), full.filter_traces(filters)
    lines = [f"{count} sockets; growth per socket by allocating line (most recent frame first)", ""]
    total = 0
    for stat in full.compare_to(empty, "lineno"):
        total += stat.size_diff
    lines.append(f"total {total / count:,.0f} B per socket")
    for stat in full.compare_to(empty, "lineno")[:TOP]:
        frame = stat.traceback[0]
        lines.append(
            f"{stat.size_diff / count:8,.0f} B {stat.count_diff / count:6.2f} blocks  {frame.filename}:{frame.lineno}"
        )
    lines += ["", "by traceback (the biggest, a few frames each)", ""]
    for stat in full.compare_to(empty, "traceback")[:15]:
        lines.append(f"{stat.size_diff / count:8,.0f} B {stat.count_diff / count:6.2f} blocks")
        lines += [f"      {frame.filename}:{frame.lineno}" for frame in list(reversed(stat.traceback))[:6]]
    await asyncio.to_thread(out.write_text, "\n".join(lines) + "\n")
