"""What a participant's phone transfers on its first, cold load of the app, measured twice:

- as a browser fetches it, by hand: the join page (``index.html``), then every script, module
  preload, stylesheet and font it references and everything those import statically, each asked
  with ``Accept-Encoding: gzip, br``; the bytes counted are those on the wire (headers and the
  compressed body);
- by Debian's Chromium itself, opening the participant join link in a fresh profile (its own
  ``Accept-Encoding``), counted from the DevTools protocol's received bytes.

The README states the first figure ("about N KB"): the test fails when it drifts from what is
measured by more than a tenth.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlparse

import httpx
from playwright.async_api import Browser

from tests.browser.pages import open_person
from tests.browser.staging import StagedMeeting

ROOT = Path(__file__).resolve().parents[2]
README_FIGURE = re.compile(r"first load\s+transfers about (\d+) KB")
REFERENCE = re.compile(r"<(?:script|link)\b[^>]*?\b(?:src|href)=\"([^\"]+)\"[^>]*>")
NOT_LOADED_FIRST = re.compile(r"rel=\"(?:icon|apple-touch-icon|manifest)\"")
STATIC_IMPORT = re.compile(r"(?:^|[;}\s])import\s*(?:[\w$*{}\s,]+?\s*from\s*)?[\"']([^\"']+\.js)[\"']")
CSS_URL = re.compile(r"url\(\s*[\"']?([^\"')]+)[\"']?\s*\)")
STATIC_TYPES = {"Document", "Script", "Stylesheet", "Font"}


@dataclass
class Fetched:
    url: str
    wire_bytes: int
    headers: httpx.Headers
    text: str


@dataclass
class Crawl:
    files: list[Fetched] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(item.wire_bytes for item in self.files)


def _fetch(client: httpx.Client, url: str, accept_encoding: str) -> Fetched:
    with client.stream("GET", url, headers={"accept-encoding": accept_encoding}) as response:
        assert response.status_code == 200, url
        body = b"".join(response.iter_raw())
        head = len(f"HTTP/1.1 {response.status_code} {response.reason_phrase}\r\n") + 2
        head += sum(len(name) + len(value) + 4 for name, value in response.headers.raw)
        decoded = b"" if response.headers.get("content-encoding") else body
    return Fetched(url, head + len(body), response.headers, decoded.decode(errors="replace"))


def crawl(base_url: str, start: str, accept_encoding: str) -> Crawl:
    """Fetch the page and, breadth first, what it loads before it can show anything."""
    result = Crawl()
    with httpx.Client(timeout=10) as client:
        # Identity copies to read the references from; the counted fetches are the encoded ones.
        plain = lambda url: _fetch(client, url, "identity").text  # noqa: E731
        page = urljoin(base_url, start)
        queue = [page]
        seen = {page}
        while queue:
            url = queue.pop(0)
            result.files.append(_fetch(client, url, accept_encoding))
            text = plain(url)
            path = urlparse(url).path
            if url == page:
                found = [match[1] for match in REFERENCE.finditer(text) if not NOT_LOADED_FIRST.search(match[0])]
            elif path.endswith(".js"):
                found = [match[1] for match in STATIC_IMPORT.finditer(text)]
            elif path.endswith(".css"):
                found = [ref for ref in CSS_URL.findall(text) if not ref.startswith("data:")]
            else:
                found = []
            for ref in found:
                target = urljoin(url, ref)
                assert urlparse(target).netloc == urlparse(base_url).netloc, f"{url} loads from elsewhere: {ref}"
                if target not in seen:
                    seen.add(target)
                    queue.append(target)
    return result


def _readme_kb() -> int:
    found = README_FIGURE.search((ROOT / "README.md").read_text(encoding="utf-8"))
    assert found is not None, "README.md no longer states the first load's size"
    return int(found[1])


def test_a_cold_participant_load_transfers_what_the_readme_says(staged: StagedMeeting) -> None:
    start = f"/join?code={staged.links.join_code}"
    brotli = crawl(staged.base_url, start, "gzip, br")
    gzip_only = crawl(staged.base_url, start, "gzip")
    raw = crawl(staged.base_url, start, "identity")
    for item in brotli.files:
        assert item.headers["vary"] == "Accept-Encoding", item.url
        assert item.headers.get("content-encoding") == "br", item.url
        immutable = urlparse(item.url).path.startswith("/assets/")
        expected = "public, max-age=31536000, immutable" if immutable else "no-cache"
        assert item.headers["cache-control"] == expected, item.url
    assert len(brotli.files) >= 3  # the page, its script and its stylesheet at least
    assert brotli.total < gzip_only.total < raw.total / 2.5

    measured_kb = brotli.total / 1024
    report = (
        f"first load: {measured_kb:.1f} KB with brotli, {gzip_only.total / 1024:.1f} KB with gzip only, "
        f"{raw.total / 1024:.1f} KB uncompressed, in {len(brotli.files)} files"
    )
    print(report)
    stated = _readme_kb()
    report += f"; README says about {stated} KB"
    assert abs(measured_kb - stated) <= max(1.0, measured_kb / 10), report


async def test_chromium_receives_the_app_compressed(browser: Browser, staged: StagedMeeting) -> None:
    phone = await open_person(browser, "a phone with an empty cache", phone=True)
    cdp = await phone.context.new_cdp_session(phone.page)
    await cdp.send("Network.enable")
    await cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    kinds: dict[str, tuple[str, str]] = {}
    received: dict[str, int] = {}
    encodings: dict[str, str] = {}

    def on_response(event: dict[str, Any]) -> None:
        response = event["response"]
        headers = {name.lower(): value for name, value in response["headers"].items()}
        kinds[event["requestId"]] = (event["type"], response["url"])
        encodings[event["requestId"]] = headers.get("content-encoding", "")

    def on_finished(event: dict[str, Any]) -> None:
        received[event["requestId"]] = int(event["encodedDataLength"])

    cdp.on("Network.responseReceived", on_response)
    cdp.on("Network.loadingFinished", on_finished)
    await phone.page.goto(f"{staged.base_url}/join?code={staged.links.join_code}", wait_until="load")
    await phone.page.get_by_role("button", name="Join").wait_for()
    static = {
        request: (url, received.get(request, 0), encodings[request])
        for request, (kind, url) in kinds.items()
        if kind in STATIC_TYPES and url.startswith(staged.base_url) and "/api/" not in url
    }
    await phone.context.close()

    assert static, "Chromium loaded nothing of the app"
    assert all(encoding in ("br", "gzip") for _, _, encoding in static.values()), static
    print("Chromium's codings:", sorted({encoding for _, _, encoding in static.values()}))
    chromium_kb = sum(size for _, size, _ in static.values()) / 1024
    gzip_only_kb = crawl(staged.base_url, f"/join?code={staged.links.join_code}", "gzip").total / 1024
    print(f"Chromium received {chromium_kb:.1f} KB in {len(static)} files (gzip only by hand: {gzip_only_kb:.1f} KB)")
    assert chromium_kb <= gzip_only_kb * 1.1
    stated = _readme_kb()
    assert abs(chromium_kb - stated) <= max(1.0, chromium_kb / 10), (
        f"Chromium: {chromium_kb:.1f} KB, README: {stated} KB"
    )
