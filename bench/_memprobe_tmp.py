"""Run Breakouts in a subprocess-free way: staged DB from /tmp/bs4? No: start server with tracemalloc via env."""
import os, sys, tracemalloc, asyncio, linecache
tracemalloc.start(8)
import uvicorn
from app.asgi import create_from_environment
SNAP = []
def create_app():
    app = create_from_environment()
    @app.get("/__snap")
    async def snap(kind: str):
        import gc; gc.collect()
        SNAP.append(tracemalloc.take_snapshot())
        if len(SNAP) == 2:
            stats = SNAP[1].compare_to(SNAP[0], "traceback")
            with open("/tmp/memprobe.txt", "w") as out:
                total = sum(s.size_diff for s in stats)
                out.write(f"total diff {total/1e6:.1f} MB\n")
                for s in stats[:25]:
                    out.write(f"{s.size_diff/1e3:9.1f} KB {s.count_diff:7d} blocks\n")
                    for line in s.traceback.format()[-8:]:
                        out.write("      " + line + "\n")
        return {"ok": len(SNAP)}
    return app
