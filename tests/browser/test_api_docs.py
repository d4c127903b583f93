"""The API docs page runs in Chromium under the server's own Content-Security-Policy: Swagger UI
renders the API from `/openapi.json`, every request stays on the server's origin, and the browser
reports no policy violation."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from playwright.async_api import Browser, expect

from tests.browser.conftest import LiveServer


async def test_the_api_docs_load_from_the_server_itself(
    browser: Browser, live_server: LiveServer, artifacts: Path
) -> None:
    page = await browser.new_page()
    requested: list[str] = []
    problems: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))

    await page.goto(f"{live_server.base_url}/docs")
    await expect(page.locator(".swagger-ui .info .title")).to_contain_text("Breakouts")
    await expect(page.locator(".opblock-summary-path").first).to_be_visible()
    await page.screenshot(path=artifacts / "api-docs.png")

    origin = urlsplit(live_server.base_url).netloc
    assert requested and all(urlsplit(url).netloc == origin for url in requested if not url.startswith("data:"))
    assert any(url.endswith("/openapi.json") for url in requested)
    assert not problems, problems
    await page.close()
