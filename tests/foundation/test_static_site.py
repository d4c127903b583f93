"""The browser app's files on the wire: the build's precompressed copies (brotli, gzip) picked by
``Accept-Encoding``, a year of caching for hashed assets, revalidation of ``index.html``.

The build here is a small one written by the test and compressed by the real build step
(``frontend/scripts/compress.mjs``), so the server and the script are checked together.
"""

from __future__ import annotations

import gzip
import shutil
import subprocess
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from app.main import create_app
from app.settings import Settings
from app.static_site import accepted_encodings
from tests.conftest import TEST_SECRET

ROOT = Path(__file__).resolve().parents[2]
COMPRESS = ROOT / "frontend" / "scripts" / "compress.mjs"
SCRIPT = "assets/index-Dq3xK9aB.js"
STYLE = "assets/index-C4mPz0Qe.css"
FONT = "assets/noto-bengali-B7yTt2Lw.woff2"
IMMUTABLE = "public, max-age=31536000, immutable"


def _script_text() -> bytes:
    lines = [f"export const message{n} = 'Room {n} answered {n * 3} questions';" for n in range(400)]
    return "\n".join(lines).encode()


@dataclass
class Built:
    dist: Path
    script: bytes
    index: bytes


@pytest.fixture
def built(tmp_path: Path) -> Built:
    node = shutil.which("node")
    assert node is not None, "Node is needed to build the browser app (and by this test)"
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    index = (
        f'<!doctype html><html><head><script type="module" src="/{SCRIPT}"></script>'
        f'<link rel="stylesheet" href="/{STYLE}"></head><body><div id="app"></div></body></html>\n' * 3
    ).encode()
    (dist / "index.html").write_bytes(index)
    script = _script_text()
    (dist / SCRIPT).write_bytes(script)
    (dist / STYLE).write_bytes(b"body { margin: 0; font-family: system-ui; }\n" * 40)
    (dist / FONT).write_bytes(bytes(range(256)) * 8)  # compressed already: no copies
    rects = "".join(f'<rect x="{n}" y="{n}" width="1" height="1"/>' for n in range(40))
    (dist / "favicon.svg").write_text(f'<svg xmlns="http://www.w3.org/2000/svg">{rects}</svg>')
    (dist / "robots.txt").write_text("User-agent: *\n")  # too small to gain: no copies
    subprocess.run([node, str(COMPRESS), str(dist)], check=True, capture_output=True)
    return Built(dist, script, index)


@pytest.fixture
async def http(built: Built, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    # Static files need no database: the app is not started, only asked.
    settings = Settings.model_validate(
        {
            "environment": "test",
            "database_url": f"sqlite+aiosqlite:///{tmp_path / 'unused.db'}",
            "secret_key": TEST_SECRET,
            "static_dir": built.dist,
            "tune_gc": False,
        }
    )
    transport = httpx.ASGITransport(app=create_app(settings))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


async def _raw(http: httpx.AsyncClient, path: str, **headers: str) -> tuple[httpx.Response, bytes]:
    """The response and its body as sent (not decoded)."""
    async with http.stream("GET", path, headers=headers) as response:
        body = b"".join([chunk async for chunk in response.aiter_raw()])
    return response, body


def _unbrotli(data: bytes) -> bytes:
    node = shutil.which("node")
    assert node is not None
    script = "process.stdout.write(require('zlib').brotliDecompressSync(require('fs').readFileSync(0)))"
    return subprocess.run([node, "-e", script], input=data, check=True, capture_output=True).stdout


def test_the_build_writes_brotli_and_gzip_copies_of_text_files_only(built: Built) -> None:
    for name in (SCRIPT, STYLE, "index.html", "favicon.svg"):
        original = (built.dist / name).read_bytes()
        assert gzip.decompress((built.dist / f"{name}.gz").read_bytes()) == original
        assert _unbrotli((built.dist / f"{name}.br").read_bytes()) == original
    for name in (FONT, "robots.txt"):
        assert not (built.dist / f"{name}.gz").exists() and not (built.dist / f"{name}.br").exists()
    script = built.dist / SCRIPT
    assert len((built.dist / f"{SCRIPT}.br").read_bytes()) < len((built.dist / f"{SCRIPT}.gz").read_bytes())
    assert len((built.dist / f"{SCRIPT}.gz").read_bytes()) < len(script.read_bytes()) / 3


async def test_a_browser_that_takes_brotli_gets_the_brotli_copy_cached_for_a_year(
    http: httpx.AsyncClient, built: Built
) -> None:
    response, body = await _raw(http, f"/{SCRIPT}", **{"accept-encoding": "gzip, deflate, br"})
    assert response.status_code == 200
    assert response.headers["content-encoding"] == "br"
    assert response.headers["vary"] == "Accept-Encoding"
    assert response.headers["cache-control"] == IMMUTABLE
    assert response.headers["content-type"] == "text/javascript; charset=utf-8"
    assert int(response.headers["content-length"]) == len(body) < len(built.script) / 3
    assert _unbrotli(body) == built.script
    assert "content-security-policy" in response.headers  # the security headers still apply


@pytest.mark.parametrize(
    ("accept_encoding", "expected"),
    [
        ("gzip", "gzip"),
        ("br;q=0, gzip;q=0.8", "gzip"),
        ("gzip;q=1.0, br;q=0.5", "br"),  # both are acceptable: the smaller copy wins
        ("*", "br"),
        ("*, br;q=0", "gzip"),
        ("identity", None),
        ("gzip;q=0, br;q=0", None),
        ("", None),
    ],
)
async def test_the_copy_follows_accept_encoding(
    http: httpx.AsyncClient, built: Built, accept_encoding: str, expected: str | None
) -> None:
    response, body = await _raw(http, f"/{SCRIPT}", **{"accept-encoding": accept_encoding})
    assert response.status_code == 200
    assert response.headers.get("content-encoding") == expected
    assert response.headers["vary"] == "Accept-Encoding"
    decoded = {"br": _unbrotli, "gzip": gzip.decompress, None: lambda data: data}[expected](body)
    assert decoded == built.script


async def test_a_font_is_sent_as_it_is_and_cached_for_a_year(http: httpx.AsyncClient, built: Built) -> None:
    response, body = await _raw(http, f"/{FONT}", **{"accept-encoding": "gzip, br"})
    assert response.status_code == 200
    assert "content-encoding" not in response.headers
    assert response.headers["cache-control"] == IMMUTABLE
    assert response.headers["content-type"] == "font/woff2"
    assert body == (built.dist / FONT).read_bytes()


async def test_index_html_is_revalidated_on_every_load_and_answers_304_while_unchanged(
    http: httpx.AsyncClient, built: Built
) -> None:
    first, body = await _raw(http, "/reports/AbC.dEf", **{"accept-encoding": "gzip, br"})
    assert first.status_code == 200
    assert first.headers["cache-control"] == "no-cache"
    assert first.headers["content-encoding"] == "br"
    assert first.headers["vary"] == "Accept-Encoding"
    assert _unbrotli(body) == built.index
    etag = first.headers["etag"]

    again, body = await _raw(http, "/join", **{"accept-encoding": "gzip, br", "if-none-match": etag})
    assert again.status_code == 304
    assert body == b""
    assert again.headers["etag"] == etag and again.headers["cache-control"] == "no-cache"

    # Each coding is its own representation, with its own tag.
    plain, body = await _raw(http, "/", **{"accept-encoding": "identity", "if-none-match": etag})
    assert plain.status_code == 200 and body == built.index
    assert plain.headers["etag"] != etag
    favicon, _ = await _raw(http, "/favicon.svg", **{"accept-encoding": "gzip"})
    assert favicon.headers["cache-control"] == "no-cache" and favicon.headers["content-encoding"] == "gzip"


@pytest.mark.parametrize(
    "path",
    [
        "/assets/missing-AAAAAAAA.js",
        f"/{SCRIPT}.gz",
        f"/{SCRIPT}.br",
        "/assets/..%2Findex.html",
        "/assets/%2e%2e/%2e%2e/pyproject.toml",
        "/api/nothing-here",
    ],
)
async def test_what_is_not_a_built_file_is_404_in_the_error_shape(http: httpx.AsyncClient, path: str) -> None:
    response = await http.get(path, headers={"accept-encoding": "gzip, br"})
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "Not Found", "details": None}


def test_accept_encoding_is_read_as_http_says() -> None:
    assert accepted_encodings("gzip, deflate, br") == {"gzip", "deflate", "br"}
    assert accepted_encodings("BR;q=0.1 , gzip;q=0") == {"br"}
    assert accepted_encodings("*;q=0.5, gzip;q=0") == {"br"}
    assert accepted_encodings("gzip;q=nonsense") == set()
    assert accepted_encodings(None) == set()
