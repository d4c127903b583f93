"""Serves the built browser app (``frontend/dist``) from the same origin as the API.

Every path that is not an API, socket or asset path gets ``index.html`` so that the app's own
routes (``/join/…``, ``/room/…``) load on a reload.

Light on the wire: the build writes a gzip and a brotli copy beside every text file
(``frontend/scripts/compress.mjs``); a request gets the smallest one its ``Accept-Encoding``
accepts (``Vary: Accept-Encoding``), and nothing is compressed per request. Files under
``/assets/`` carry a content hash in their names, so browsers keep them for a year without asking
again (``immutable``); ``index.html`` and the other files at the root keep their names across
builds, so browsers revalidate them on every load (``no-cache`` with an ``ETag``, answered 304
while unchanged).
"""

from __future__ import annotations

import hashlib
import mimetypes
from dataclasses import dataclass
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, Response

from app.settings import Settings

DEFAULT_DIST = Path(__file__).resolve().parent.parent / "frontend" / "dist"
RESERVED_PREFIXES = ("api/", "ws", "healthz", "readyz", "docs", "redoc", "openapi.json", "assets/")
NOT_FOUND_BODY = b'{"code":"not_found","message":"Not Found","details":null}'

# Vite names every file under assets/ after a hash of its content: a new build, a new name.
HASHED_CACHE_CONTROL = "public, max-age=31536000, immutable"
REVALIDATE_CACHE_CONTROL = "no-cache"
# Brotli first: it is smaller than gzip for the same text (about 15 % on this app's scripts).
ENCODING_SUFFIXES = (("br", ".br"), ("gzip", ".gz"))
MEDIA_TYPES = {".js": "text/javascript; charset=utf-8", ".mjs": "text/javascript; charset=utf-8"}

PLACEHOLDER_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Breakouts</title></head>
<body><h1>Breakouts</h1><p>The server runs. The browser app is not built yet:
run <code>make run</code> (it builds <code>frontend/</code>).</p></body></html>"""


def accepted_encodings(header: str | None) -> set[str]:
    """The content codings an ``Accept-Encoding`` header accepts (``q=0`` refuses one; ``*``
    stands for every coding not named)."""
    accepted: set[str] = set()
    refused: set[str] = set()
    wildcard = False
    for part in (header or "").split(","):
        name, _, params = part.strip().partition(";")
        name = name.strip().lower()
        if not name:
            continue
        quality = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if name == "*":
            wildcard = quality > 0
        elif quality > 0:
            accepted.add(name)
        else:
            refused.add(name)
    if wildcard:
        accepted |= {encoding for encoding, _ in ENCODING_SUFFIXES} - refused
    return accepted


@dataclass(frozen=True, slots=True)
class Variant:
    content: bytes
    etag: str
    encoding: str | None


class BuiltFiles:
    """The files of one build, read once each (a build never changes under a running server:
    a new build means a restart), and their precompressed variants."""

    def __init__(self, dist: Path) -> None:
        self.dist = dist.resolve()
        self._variants: dict[Path, Variant | None] = {}

    def find(self, relative: str, folder: str = "") -> Path | None:
        """The file ``relative`` names inside ``folder`` of the build, or None (also for a path
        leading out of it, and for the compressed copies themselves)."""
        if not relative or relative.endswith((".gz", ".br")):
            return None
        root = (self.dist / folder).resolve()
        candidate = (root / relative).resolve()
        if not candidate.is_relative_to(root) or not candidate.is_file():
            return None
        return candidate

    def _variant(self, path: Path, encoding: str | None) -> Variant | None:
        source = path if encoding is None else path.with_name(path.name + dict(ENCODING_SUFFIXES)[encoding])
        if source not in self._variants:
            if not source.is_file():
                self._variants[source] = None
            else:
                content = source.read_bytes()
                digest = hashlib.sha256(content).hexdigest()[:32]
                self._variants[source] = Variant(content, f'"{digest}"', encoding)
        return self._variants[source]

    def response(self, path: Path, request: Request, cache_control: str) -> Response:
        accepted = accepted_encodings(request.headers.get("accept-encoding"))
        chosen = next(
            (
                variant
                for encoding, _ in ENCODING_SUFFIXES
                if encoding in accepted and (variant := self._variant(path, encoding)) is not None
            ),
            None,
        )
        variant = chosen or self._variant(path, None)
        if variant is None:  # removed since it was found
            return _not_found()
        headers = {"cache-control": cache_control, "vary": "Accept-Encoding", "etag": variant.etag}
        if variant.encoding is not None:
            headers["content-encoding"] = variant.encoding
        if etag_matches(request.headers.get("if-none-match"), variant.etag):
            return Response(status_code=304, headers=headers)
        media_type = MEDIA_TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return Response(content=variant.content, media_type=media_type, headers=headers)


def etag_matches(if_none_match: str | None, etag: str) -> bool:
    """Whether ``If-None-Match`` names this tag (weak comparison, as for GET) or is ``*``."""
    if not if_none_match:
        return False
    tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return "*" in tags or etag in tags


def _not_found() -> Response:
    return Response(status_code=404, content=NOT_FOUND_BODY, media_type="application/json")


def mount_frontend(app: FastAPI, settings: Settings) -> None:
    built = BuiltFiles(settings.static_dir or DEFAULT_DIST)

    @app.get("/assets/{path:path}", include_in_schema=False)
    async def built_asset(path: str, request: Request) -> Response:
        found = built.find(path, "assets")
        return _not_found() if found is None else built.response(found, request, HASHED_CACHE_CONTROL)

    @app.get("/{path:path}", include_in_schema=False)
    async def frontend_page(path: str, request: Request) -> Response:
        if path.startswith(RESERVED_PREFIXES):
            return _not_found()
        found = built.find(path) if path else None
        if found is None:
            found = built.find("index.html")
        if found is None:
            return HTMLResponse(PLACEHOLDER_PAGE)
        return built.response(found, request, REVALIDATE_CACHE_CONTROL)
