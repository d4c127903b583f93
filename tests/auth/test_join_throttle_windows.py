"""The join throttle's windows, in memory and in Redis, driven as ``/api/join`` drives them: a
crowd's right codes never count as wrong ones, however many are in flight at once; of a burst of
wrong guesses no more than the limit are let through, and at the limit the right code is refused
too (a burst with the right code in it learns no more than the same guesses one at a time)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from app.auth.join_throttle import JoinThrottle, MemoryJoinThrottle
from app.auth.join_throttle_redis import KEY_PREFIX, RedisJoinThrottle
from app.errors import TooManyRequests
from app.settings import Settings
from tests.conftest import TEST_SECRET

WRONG_CODES_ALLOWED = 4
CROWD = 50


def _settings() -> Settings:
    return Settings.model_validate(
        {
            "environment": "test",
            "secret_key": TEST_SECRET,
            "join_window_s": 600,
            "join_attempts_per_address": 500,
            "join_wrong_codes_per_address": WRONG_CODES_ALLOWED,
            "join_new_entries_per_meeting": 500,
        }
    )


@pytest.fixture(params=["memory", "redis"])
async def throttle(request: pytest.FixtureRequest, redis_client: Redis) -> AsyncIterator[JoinThrottle]:
    if request.param == "memory":
        yield MemoryJoinThrottle(_settings())
        return
    yield RedisJoinThrottle(_settings(), redis_client)


@pytest.fixture
async def address(redis_client: Redis) -> AsyncIterator[str]:
    """An address of this test alone; its windows in Redis are deleted afterwards."""
    address = f"test-{uuid.uuid4().hex}"
    yield address
    await redis_client.delete(f"{KEY_PREFIX}attempts:{address}", f"{KEY_PREFIX}wrong:{address}")


class Crowd:
    """Holds every attempt after it was counted until all of them were: all are in flight at once
    while their codes are looked up."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.counted = 0
        self.all_counted = asyncio.Event()

    async def looked_up(self) -> None:
        self.counted += 1
        if self.counted == self.size:
            self.all_counted.set()
        await self.all_counted.wait()


async def _join(
    throttle: JoinThrottle, address: str, meeting_id: uuid.UUID, *, right: bool, crowd: Crowd | None = None
) -> str:
    """What ``/api/join`` asks of the throttle, with the code's lookup in between."""
    try:
        attempt = await throttle.attempt(address)
        if crowd is not None:
            await crowd.looked_up()
        if not right:
            await attempt.code_was_wrong()
            return "wrong"
        await attempt.code_was_right()
        await attempt.new_entry(meeting_id)
    except TooManyRequests:
        return "throttled"
    return "joined"


async def test_a_crowd_with_the_right_code_all_join_at_once(
    throttle: JoinThrottle, address: str, redis_client: Redis
) -> None:
    meeting_id = uuid.uuid4()
    try:
        crowd = Crowd(CROWD)
        outcomes = await asyncio.gather(
            *(_join(throttle, address, meeting_id, right=True, crowd=crowd) for _ in range(CROWD))
        )
        assert outcomes == ["joined"] * CROWD
    finally:
        await redis_client.delete(f"{KEY_PREFIX}entries:{meeting_id}")


async def test_concurrent_wrong_codes_stop_at_the_limit_and_then_the_right_code_is_refused(
    throttle: JoinThrottle, address: str, redis_client: Redis
) -> None:
    meeting_id = uuid.uuid4()
    try:
        crowd = Crowd(20)
        guesses = await asyncio.gather(
            *(_join(throttle, address, meeting_id, right=False, crowd=crowd) for _ in range(20))
        )
        assert sorted(guesses) == ["throttled"] * (20 - WRONG_CODES_ALLOWED) + ["wrong"] * WRONG_CODES_ALLOWED
        assert await _join(throttle, address, meeting_id, right=True) == "throttled"
    finally:
        await redis_client.delete(f"{KEY_PREFIX}entries:{meeting_id}")


async def test_a_right_code_decided_after_the_limit_was_reached_is_refused(
    throttle: JoinThrottle, address: str
) -> None:
    """The right code's attempt began before the wrong ones were counted: it is still refused,
    because it is decided after them."""
    right = await throttle.attempt(address)
    for _ in range(WRONG_CODES_ALLOWED):
        await (await throttle.attempt(address)).code_was_wrong()
    with pytest.raises(TooManyRequests):
        await right.code_was_right()
