"""A redis-server of the test's own on a free port, which the test may pause (SIGSTOP), resume and
stop without touching the machine's Redis on 6379 that other tests share."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import subprocess
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from redis.asyncio import Redis

from tests.server_process import free_port

SHARED_REDIS_URL = os.environ.get("BREAKOUTS_TEST_REDIS", "redis://127.0.0.1:6379/0")


class RedisServer:
    def __init__(self, port: int) -> None:
        self.port = port
        self.process: asyncio.subprocess.Process | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    async def start(self) -> None:
        executable = shutil.which("redis-server")
        assert executable is not None, "redis-server is missing: `make system-redis` installs it"
        self.process = await asyncio.create_subprocess_exec(
            executable,
            "--port",
            str(self.port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--daemonize",
            "no",
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = Redis.from_url(self.url)
        try:
            async with asyncio.timeout(10):
                while True:
                    try:
                        await client.ping()
                        return
                    except OSError:
                        await asyncio.sleep(0.05)  # polling for the listener; orders nothing
                    except Exception as error:  # redis' ConnectionError while it starts
                        if "Connection" not in type(error).__name__:
                            raise
                        await asyncio.sleep(0.05)
        finally:
            await client.aclose()

    def pause(self) -> None:
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGSTOP)

    def resume(self) -> None:
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGCONT)

    async def stop(self) -> None:
        if self.process is not None and self.process.returncode is None:
            os.kill(self.process.pid, signal.SIGCONT)
            self.process.terminate()
            await self.process.wait()


@asynccontextmanager
async def own_redis() -> AsyncIterator[RedisServer]:
    server = RedisServer(free_port())
    await server.start()
    try:
        yield server
    finally:
        await server.stop()
