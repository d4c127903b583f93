"""The join throttle of several processes: the same sliding windows as ``MemoryJoinThrottle``,
kept in Redis so that the limits hold whichever process a request reaches.

Each window is a sorted set per key (address or meeting) of one member per counted hit, scored by
Redis's own clock in milliseconds (the processes' clocks never enter the count). A Lua script
trims the window, checks every limit and counts the hit in one step, so concurrent requests on any
number of processes cannot all slip under a limit, and answers the same ``Retry-After`` as the
in-memory windows. A fixed-window counter (INCR and EXPIRE) would be cheaper but lets twice the
limit through across a window's edge; a set holds at most ``limit`` members a key (500 attempts
per address, 5,000 entries per meeting by default), and expires with its window.

Redis unreachable: the request is refused with 503 ``overloaded`` (nothing was done), never let
through unthrottled.
"""

from __future__ import annotations

import asyncio
import math
import uuid

from redis.asyncio import Redis
from redis.exceptions import RedisError

from app.auth.join_throttle import TOO_MANY_ATTEMPTS, JoinAttempt, refuse_if_over
from app.errors import Overloaded
from app.settings import Settings

KEY_PREFIX = "breakouts:join:"
# Seconds a request waits on Redis before it is refused as overloaded.
REDIS_WAIT_S = 2.0

# KEYS: the windows to check; ARGV: window (ms), the member, how many of KEYS (the first ones) to
# count the hit in, then each key's limit. Returns 0 when under every limit (and counted), else the
# milliseconds until the limiting hit leaves its window (and nothing is counted).
_COUNT_HIT = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[1])
local wait = 0
for i, key in ipairs(KEYS) do
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  local limit = tonumber(ARGV[3 + i])
  local count = redis.call('ZCARD', key)
  if count >= limit then
    local oldest = redis.call('ZRANGE', key, count - limit, count - limit, 'WITHSCORES')
    local left = tonumber(oldest[2]) + window - now
    if left > wait then wait = left end
  end
end
if wait > 0 then return wait end
for i = 1, tonumber(ARGV[3]) do
  redis.call('ZADD', KEYS[i], now, ARGV[2])
  redis.call('PEXPIRE', KEYS[i], window)
end
return 0
"""


class RedisJoinThrottle:
    def __init__(self, settings: Settings, client: Redis) -> None:
        self.client = client
        self.window_ms = settings.join_window_s * 1000
        self.attempts_allowed = settings.join_attempts_per_address
        self.wrong_codes_allowed = settings.join_wrong_codes_per_address
        self.entries_allowed = settings.join_new_entries_per_meeting
        self._count_hit = client.register_script(_COUNT_HIT)

    async def attempt(self, address: str) -> JoinAttempt:
        member = uuid.uuid4().hex
        keys = [f"{KEY_PREFIX}attempts:{address}", f"{KEY_PREFIX}wrong:{address}"]
        # Checks both windows, counts the attempt only: a wrong code is counted once it proves wrong.
        wait_ms = await self._count(keys, member, 1, self.attempts_allowed, self.wrong_codes_allowed)
        refuse_if_over(wait_ms / 1000, TOO_MANY_ATTEMPTS)
        return RedisJoinAttempt(self, keys[1], member)

    async def _count(self, keys: list[str], member: str, counted: int, *limits: int) -> float:
        """Check ``keys`` against ``limits`` and, when under all, count the hit in the first
        ``counted`` of them; 0, or the milliseconds to wait."""
        try:
            async with asyncio.timeout(REDIS_WAIT_S):
                return float(await self._count_hit(keys=keys, args=[self.window_ms, member, counted, *limits]))
        except (RedisError, OSError, TimeoutError) as error:
            raise _unavailable() from error


class RedisJoinAttempt:
    def __init__(self, throttle: RedisJoinThrottle, wrong_codes_key: str, member: str) -> None:
        self._throttle = throttle
        self._wrong_codes_key = wrong_codes_key
        self._member = member

    async def code_was_right(self) -> None:
        throttle = self._throttle
        wait_ms = await throttle._count([self._wrong_codes_key], self._member, 0, throttle.wrong_codes_allowed)
        refuse_if_over(wait_ms / 1000, TOO_MANY_ATTEMPTS)

    async def code_was_wrong(self) -> None:
        throttle = self._throttle
        wait_ms = await throttle._count([self._wrong_codes_key], self._member, 1, throttle.wrong_codes_allowed)
        refuse_if_over(wait_ms / 1000, TOO_MANY_ATTEMPTS)

    async def new_entry(self, meeting_id: uuid.UUID) -> None:
        throttle = self._throttle
        keys = [f"{KEY_PREFIX}entries:{meeting_id}"]
        wait_ms = await throttle._count(keys, self._member, 1, throttle.entries_allowed)
        refuse_if_over(wait_ms / 1000, "too many people joined this meeting just now")


def _unavailable() -> Overloaded:
    return Overloaded("joining is paused: the shared counters cannot be reached", retry_after_s=math.ceil(REDIS_WAIT_S))
