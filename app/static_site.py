"""Serves the built browser app (``frontend/dist``) from the same origin as the API.

Every path that is not an API, socket or asset path gets ``index.html`` so that the app's own
routes (``/join/…``, ``/room/…``) load on a reload.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

from app.settings import Settings

DEFAULT_DIST = Path(__file__).resolve().parent.parent / "frontend" / "dist"
RESERVED_PREFIXES = ("api/", "ws", "healthz", "readyz", "docs", "redoc", "openapi.json", "assets/")

PLACEHOLDER_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Breakouts</title></head>
<body><h1>Breakouts</h1><p>The server runs. The browser app is not built yet:
run <code>make run</code> (it builds <code>frontend/</code>).</p></body></html>"""


def mount_frontend(app: FastAPI, settings: Settings) -> None:
    dist = settings.static_dir or DEFAULT_DIST
    assets = dist / "assets"
    if assets.is_dir():
        app.mount("/assets", StaticFiles(directory=assets), name="assets")

    @app.get("/{path:path}", include_in_schema=False)
    async def frontend_page(path: str, request: Request) -> Response:
        if path.startswith(RESERVED_PREFIXES):
            return Response(
                status_code=404,
                content=b'{"code":"not_found","message":"Not Found","details":null}',
                media_type="application/json",
            )
        candidate = (dist / path).resolve()
        if path and candidate.is_file() and candidate.is_relative_to(dist.resolve()):
            return FileResponse(candidate)
        index = dist / "index.html"
        if index.is_file():
            return FileResponse(index, headers={"cache-control": "no-cache"})
        return HTMLResponse(PLACEHOLDER_PAGE)
