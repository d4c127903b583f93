import time, sys
import aiosqlite.core as core
from app.asgi import create_from_environment
_orig = core.Connection._execute
async def _timed(self, fn, *args, **kwargs):
    t = time.perf_counter()
    try:
        return await _orig(self, fn, *args, **kwargs)
    finally:
        d = time.perf_counter() - t
        if d > 0.08:
            name = getattr(getattr(fn, "func", fn), "__name__", str(fn))
            sql = str(args[0])[:80] if args else ""
            print(f"SLOW {d*1000:.0f} ms {name} {sql!r} at {time.time():.2f}", file=sys.stderr, flush=True)
core.Connection._execute = _timed
_loop_lag = []
def create_app():
    import asyncio
    app = create_from_environment()
    async def lag():
        while True:
            t = time.perf_counter(); await asyncio.sleep(0.01); d = time.perf_counter() - t
            if d > 0.08: print(f"LOOP BLOCKED {d*1000:.0f} ms at {time.time():.2f}", file=sys.stderr, flush=True)
    inner = app.router.lifespan_context
    from contextlib import asynccontextmanager
    @asynccontextmanager
    async def lifespan(a):
        async with inner(a):
            task = asyncio.get_running_loop().create_task(lag())
            yield
            task.cancel()
    app.router.lifespan_context = lifespan
    return app
import os
if os.environ.get("NO_PRESENCE_REPORT"):
    from app.live.presence import PresenceReporter
    async def _nothing(self, meeting_id):
        return None
    PresenceReporter.report = _nothing
