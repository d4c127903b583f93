"""The throttle on joining without an account: the meeting code (``/api/join``) and open invite
links, which add a roster entry for whoever asks.

Three sliding windows of ``join_window_s`` seconds (``app/settings.py``):

- attempts per address (right code or wrong): a script cannot fill a roster from one machine;
- wrong codes per address: the code cannot be guessed by trying;
- new roster entries per meeting, from any address: a meeting cannot be flooded from many.

Each attempt is counted before it is decided. A wrong code is counted once it proves wrong, and
checking the limit and counting happen in one step, so of concurrent wrong guesses no more than
the limit are answered 404. A right code is refused only while the address's wrong codes are at
the limit when it is decided: attempts still in flight never count against it, so a venue's crowd
joining at once behind one address (its Wi-Fi's NAT) all get in, and a burst of guesses with the
right one among them gets no further than the same guesses one at a time. A refusal is 429
``rate_limited`` with ``Retry-After``: the seconds until the oldest counted attempt leaves the
window.

``MemoryJoinThrottle`` keeps the counts in this process (the embedded default: one process).
``RedisJoinThrottle`` (``join_throttle_redis.py``) keeps the same windows in Redis, so the limits
hold across every process of a deployment, whichever one a request reaches.
"""

from __future__ import annotations

import math
import time
import uuid
from collections import deque
from collections.abc import Callable, Hashable
from typing import Protocol

from app.errors import TooManyRequests
from app.settings import Settings

# Keys are swept of expired entries at most this often (a crowd of addresses cannot grow the maps).
SWEEP_INTERVAL_S = 60.0
TOO_MANY_ATTEMPTS = "too many attempts to join from this address"


class SlidingWindow:
    """Times of recent hits per key, within ``window_s``."""

    def __init__(self, limit: int, window_s: float) -> None:
        self.limit = limit
        self.window_s = window_s
        self._hits: dict[Hashable, deque[float]] = {}

    def _recent(self, key: Hashable, now: float) -> deque[float]:
        hits = self._hits.get(key)
        if hits is None:
            return deque()
        while hits and hits[0] <= now - self.window_s:
            hits.popleft()
        if not hits:
            del self._hits[key]
        return hits

    def retry_after(self, key: Hashable, now: float) -> float | None:
        """None while under the limit, else the seconds until a hit leaves the window."""
        hits = self._recent(key, now)
        if len(hits) < self.limit:
            return None
        return hits[len(hits) - self.limit] + self.window_s - now

    def hit(self, key: Hashable, now: float) -> None:
        self._recent(key, now)
        self._hits.setdefault(key, deque()).append(now)

    def sweep(self, now: float) -> None:
        for key in list(self._hits):
            self._recent(key, now)


class JoinAttempt(Protocol):
    """One attempt from an address, settled by ``code_was_right`` or ``code_was_wrong``."""

    async def code_was_right(self) -> None:
        """Refused when the address's wrong codes are at their limit now."""

    async def code_was_wrong(self) -> None:
        """Count a wrong code (refused, and not counted, when the address is at its limit)."""

    async def new_entry(self, meeting_id: uuid.UUID) -> None:
        """Count a roster entry about to be added to ``meeting_id`` (refused when over its limit)."""


class JoinThrottle(Protocol):
    async def attempt(self, address: str) -> JoinAttempt:
        """Count an attempt from ``address`` (refused when over a limit); settle it with the result."""


class MemoryJoinThrottle:
    def __init__(self, settings: Settings, clock: Callable[[], float] = time.monotonic) -> None:
        window = settings.join_window_s
        self.attempts = SlidingWindow(settings.join_attempts_per_address, window)
        self.wrong_codes = SlidingWindow(settings.join_wrong_codes_per_address, window)
        self.new_entries = SlidingWindow(settings.join_new_entries_per_meeting, window)
        self._clock = clock
        self._swept = clock()

    async def attempt(self, address: str) -> JoinAttempt:
        now = self._clock()
        if now - self._swept > SWEEP_INTERVAL_S:
            self._swept = now
            for window in (self.attempts, self.wrong_codes, self.new_entries):
                window.sweep(now)
        refuse_if_over(
            max(
                self.attempts.retry_after(address, now) or 0.0,
                self.wrong_codes.retry_after(address, now) or 0.0,
            ),
            TOO_MANY_ATTEMPTS,
        )
        self.attempts.hit(address, now)
        return MemoryJoinAttempt(self, address)


class MemoryJoinAttempt:
    def __init__(self, throttle: MemoryJoinThrottle, address: str) -> None:
        self._throttle = throttle
        self._address = address

    async def code_was_right(self) -> None:
        wrong_codes = self._throttle.wrong_codes
        refuse_if_over(wrong_codes.retry_after(self._address, self._throttle._clock()) or 0.0, TOO_MANY_ATTEMPTS)

    async def code_was_wrong(self) -> None:
        wrong_codes, now = self._throttle.wrong_codes, self._throttle._clock()
        refuse_if_over(wrong_codes.retry_after(self._address, now) or 0.0, TOO_MANY_ATTEMPTS)
        wrong_codes.hit(self._address, now)

    async def new_entry(self, meeting_id: uuid.UUID) -> None:
        entries = self._throttle.new_entries
        now = self._throttle._clock()
        refuse_if_over(entries.retry_after(meeting_id, now) or 0.0, "too many people joined this meeting just now")
        entries.hit(meeting_id, now)


def refuse_if_over(retry_after_s: float, message: str) -> None:
    if retry_after_s > 0:
        seconds = max(1, math.ceil(retry_after_s))
        raise TooManyRequests(f"{message}; try again in {seconds} s", details={"retry_after_s": seconds})
