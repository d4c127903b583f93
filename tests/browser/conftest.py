"""Browser tests: a real server process on a free port, and Debian's Chromium driven by Playwright.

Chromium comes from the system package (``make test`` installs it when missing); Playwright's own
browser download cannot work here and is never used. Screenshots go to ``test-artifacts/``.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from playwright.async_api import Browser, async_playwright

from app.migrations_path import upgrade
from tests.browser.pages import Person
from tests.browser.staging import StagedMeeting, stage
from tests.conftest import TEST_JOIN_LIMITS
from tests.databases import IN_CI

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SERVER_START_TIMEOUT_S = 60


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@dataclass(frozen=True)
class LiveServer:
    base_url: str
    database_url: str
    environment: dict[str, str]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serve(directory: Path, *, allowed_origins: bool = True) -> Iterator[LiveServer]:
    """A server process on a free port with its own SQLite file in ``directory``. Without
    ``allowed_origins`` the environment is what ``make run PORT=…`` gives it: the public address only."""
    dist = ROOT / "frontend" / "dist" / "index.html"
    if not dist.is_file():
        pytest.fail("the browser app is not built: run `make frontend` (make test does)")
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    database_url = f"sqlite+aiosqlite:///{directory / 'breakouts.db'}"
    upgrade(database_url)
    environment = {
        **os.environ,
        "BREAKOUTS_ENVIRONMENT": "test",
        "BREAKOUTS_SECRET_KEY": "browser-test-secret-key-long-enough-0123456789",
        "BREAKOUTS_DATABASE_URL": database_url,
        "BREAKOUTS_PUBLIC_BASE_URL": base_url,
        # Every browser joins from 127.0.0.1, dozens of them (tests/conftest.py says why).
        **{f"BREAKOUTS_{name.upper()}": str(limit) for name, limit in TEST_JOIN_LIMITS.items()},
    }
    environment.pop("BREAKOUTS_ALLOWED_ORIGINS", None)
    if allowed_origins:
        environment["BREAKOUTS_ALLOWED_ORIGINS"] = f'["{base_url}"]'
    log = (directory / "server.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "serve", "--port", str(port), "--log-level", "warning"],
        cwd=ROOT,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT_S
        while True:
            try:
                if httpx.get(f"{base_url}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the server did not become ready; see {log.name}")
            time.sleep(0.1)  # polling for readiness, not ordering events
        yield LiveServer(base_url=base_url, database_url=database_url, environment=environment)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with serve(tmp_path_factory.mktemp("browser")) as server:
        yield server


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = shutil.which("chromium")
    if path is None:
        message = "Debian's chromium is not installed (make test installs it)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture
async def browser(chromium_path: str) -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_FLAGS, headless=True)
        yield launched
        await launched.close()


@pytest.fixture
async def people(browser: Browser) -> AsyncIterator[list[Person]]:
    """The people a test opens (``open_person``), each in a context of its own, closed after it."""
    opened: list[Person] = []
    yield opened
    for person in opened:
        await person.context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def staged(live_server: LiveServer) -> StagedMeeting:
    """The reference meeting, staged once per session by the server's demo staging."""
    return stage(live_server)
