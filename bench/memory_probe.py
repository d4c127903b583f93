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
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from types import CoroutineType, FrameType, FunctionType
from typing import Any

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
    # What the sockets left for the cyclic collector: the server's RSS (S4's figure) counts it
    # until a collection of the generation it reached runs.
    traced_before, _ = tracemalloc.get_traced_memory()
    rss_before = _rss_bytes()
    gc.set_debug(gc.DEBUG_SAVEALL)  # keep what it finds, to name it below
    unreachable = gc.collect()
    gc.set_debug(0)
    garbage = Counter(_kind(item) for item in gc.garbage)
    gc.garbage.clear()
    gc.collect()
    traced_after, _ = tracemalloc.get_traced_memory()
    full = tracemalloc.take_snapshot()
    filters = [tracemalloc.Filter(False, tracemalloc.__file__)]
    empty, full = empty.filter_traces(filters), full.filter_traces(filters)
    lines = [f"{count} sockets; growth per socket by allocating line (most recent frame first)", ""]
    total = 0
    for stat in full.compare_to(empty, "lineno"):
        total += stat.size_diff
    lines.append(f"total {total / count:,.0f} B per socket")
    lines.append(
        f"cyclic garbage found by a full collection: {unreachable / count:,.1f} objects, "
        f"{(traced_before - traced_after) / count:,.0f} B traced per socket "
        f"(RSS {rss_before / 2**20:,.1f} MB before it, {_rss_bytes() / 2**20:,.1f} MB after)"
    )
    lines += [f"    {number / count:6.2f} {kind}" for kind, number in garbage.most_common(12)]
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


def _rss_bytes() -> int:
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE")


def _kind(item: Any) -> str:
    """An object's type, and for code objects the code they run."""
    if isinstance(item, FrameType):
        return f"frame {item.f_code.co_qualname} ({item.f_code.co_filename.rsplit('/', 2)[-1]})"
    if isinstance(item, CoroutineType | FunctionType):
        return f"{type(item).__name__} {item.__qualname__}"
    return type(item).__qualname__
