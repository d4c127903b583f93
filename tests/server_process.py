"""A Breakouts server in a subprocess of the test's own, as operators run it: ``uvicorn --factory
app.asgi:create_from_environment`` (or ``breakouts serve --workers N``) on a free port, configured
through the environment. The test may kill it (SIGKILL) and start it again on the same port."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
from collections import deque
from collections.abc import Mapping
from pathlib import Path

from app.auth.service import create_account
from app.database import create_database
from app.realtime.limits import MESSAGE_MAX_BYTES
from app.realtime.ws_protocol import PROTOCOL_CLASS
from tests.conftest import TEST_SECRET
from tests.world import ORGANISER_PASSWORD

ROOT = Path(__file__).resolve().parents[1]
ORIGIN = "http://testserver"
ORGANISER_EMAIL = "organiser@example.org"
START_TIMEOUT_S = 60  # a cold interpreter importing the app on a loaded two-core machine


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


async def add_organiser(database_url: str, email: str = ORGANISER_EMAIL) -> None:
    """The organiser's account in a migrated database that no app of the test holds open."""
    database = create_database(database_url)
    try:
        async with database.write_sessions() as session:
            await create_account(session, email, "Organiser", ORGANISER_PASSWORD)
            await session.commit()
    finally:
        await database.dispose()


class ServerProcess:
    """One server: by default one uvicorn process; with ``workers``, ``breakouts serve --workers N``
    (uvicorn's supervisor and N worker processes, in a process group of their own). ``settings``
    are more ``BREAKOUTS_*`` variables. Its log is kept (the last lines) to explain a failure."""

    def __init__(
        self, name: str, database_url: str, settings: Mapping[str, str] | None = None, workers: int = 0
    ) -> None:
        self.name = name
        self.workers = workers
        self.port = free_port()
        self.env = {
            **os.environ,
            "BREAKOUTS_ENVIRONMENT": "test",
            "BREAKOUTS_DATABASE_URL": database_url,
            "BREAKOUTS_SECRET_KEY": TEST_SECRET,
            "BREAKOUTS_ALLOWED_ORIGINS": f'["{ORIGIN}"]',
            "BREAKOUTS_PUBLIC_BASE_URL": ORIGIN,
            "BREAKOUTS_STATIC_DIR": "/nonexistent-static-dir",
            **(settings or {}),
        }
        self.process: asyncio.subprocess.Process | None = None
        self.log: deque[str] = deque(maxlen=200)
        self._drain: asyncio.Task[None] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def command(self) -> list[str]:
        if self.workers:
            port = str(self.port)
            return [sys.executable, "-m", "app.cli", "serve", "--port", port, "--workers", str(self.workers)]
        return [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            "app.asgi:create_from_environment",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--ws-max-size",
            str(MESSAGE_MAX_BYTES),
            "--ws-per-message-deflate",
            "false",
            "--ws",
            PROTOCOL_CLASS,
            "--ws-ping-interval",
            "0",
            "--no-access-log",
        ]

    async def start(self) -> None:
        """Returns once uvicorn says it listens; fails with the log if the process exits first."""
        if self._drain is not None:  # the log of a process killed before this start
            await self._drain
        self.process = await asyncio.create_subprocess_exec(
            *self.command(),
            cwd=ROOT,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=bool(self.workers),
        )
        assert self.process.stderr is not None
        try:
            async with asyncio.timeout(START_TIMEOUT_S):
                while True:
                    line = (await self.process.stderr.readline()).decode(errors="replace")
                    if not line:
                        raise AssertionError(f"{self.name} exited while starting:\n" + "".join(self.log))
                    self.log.append(line)
                    if "Uvicorn running on" in line:
                        break
        except BaseException as failure:
            await self._end_start(self.process)  # never leave a half-started server behind
            if isinstance(failure, TimeoutError):
                raise AssertionError(
                    f"{self.name} did not listen within {START_TIMEOUT_S} s:\n" + "".join(self.log)
                ) from None
            raise
        self._drain = asyncio.create_task(self._keep_log(self.process))

    async def _end_start(self, process: asyncio.subprocess.Process) -> None:
        if process.returncode is None:
            if self.workers:  # the supervisor and whatever workers it started
                os.killpg(process.pid, signal.SIGKILL)
            else:
                process.kill()
            await process.wait()

    async def _keep_log(self, process: asyncio.subprocess.Process) -> None:
        assert process.stderr is not None
        while line := await process.stderr.readline():
            self.log.append(line.decode(errors="replace"))

    def logged(self, text: str) -> bool:
        return any(text in line for line in self.log)

    async def kill(self) -> None:
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGKILL)
        await self.process.wait()

    async def stop(self) -> None:
        if self.process is not None and self.process.returncode is None:
            if self.workers:  # the supervisor and its workers: the group this test started
                os.killpg(self.process.pid, signal.SIGTERM)
            else:
                self.process.terminate()
            await self.process.wait()
        if self._drain is not None:
            await self._drain
