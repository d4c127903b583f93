"""The machine's Redis (127.0.0.1:6379) for tests of the stores kept there: each test gets its own
key prefix and its keys are deleted after it; nothing else in Redis is touched."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

REDIS_URL = os.environ.get("BREAKOUTS_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


class FakeClock:
    """Seconds since the epoch, moved on by the test instead of waited for."""

    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


@pytest.fixture
async def redis_client() -> AsyncIterator[Redis]:
    client = Redis.from_url(REDIS_URL)
    try:
        yield client
    finally:
        await client.aclose()


@pytest.fixture
async def redis_prefix(redis_client: Redis) -> AsyncIterator[str]:
    prefix = f"breakouts-test:{uuid.uuid4().hex}:"
    yield prefix
    keys = [key async for key in redis_client.scan_iter(match=f"{prefix}*")]
    if keys:
        await redis_client.delete(*keys)
