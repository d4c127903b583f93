"""The plenary views built by any process, shared through Redis so that a meeting's view is built
once per version across all processes, not once in each.

At report-back every phone asks for the view within a second or two, and the load balancer spreads
them over every process: each would build the same view (a megabyte of JSON from ten thousand
answers, more than a second of a core) for the same version. Instead the first process to miss it
claims the build (``SET … NX`` on a short-lived lock), builds it and stores the encoded bytes and
their gzip copy under a key naming the view and its version; the others wait for those bytes and
serve them. The key names the version (the heads of the meeting's streams), so after any change
the view shows it is another key: a stale view is never served for a newer version. The stored
view expires ``MAX_AGE_S`` after it was built, like the local copy (some changes emit no event).

Redis is a help here, never a dependency: any Redis error, or a claimant that neither stores the
view nor releases its claim within ``BUILD_CLAIM_S`` (it died or hangs), and the process builds
the view itself, as a single process does.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import RedisError

log = logging.getLogger("breakouts.plenary")

KEY_PREFIX = "breakouts:plenary:"
# How long a claim on a build holds: longer than the largest meeting's build (about 1.5 s of a
# core for 10,000 answers) on a busy host; a claimant that died frees it after this.
BUILD_CLAIM_S = 10.0
# How often a process waiting for another's build looks for its bytes: a small share of the
# build's time, and a few small commands per waiting process and view (its readers wait together).
WAIT_POLL_S = 0.05
REDIS_ERRORS = (RedisError, OSError, TimeoutError)


@dataclass(frozen=True, slots=True)
class StoredView:
    body: bytes
    gzipped: bytes
    age_s: float  # since it was built, by the wall clock of the process that built it


class RedisViewStore:
    """The views of every process in Redis (see the module docstring); ``name`` is the view and its
    version, e.g. ``<meeting>:<question>:<audience>:<version>``."""

    def __init__(self, client: Redis, *, max_age_s: float) -> None:
        self.client = client
        self.max_age_s = max_age_s
        self.fetched = 0  # views served from another process's build
        self.failures = 0  # Redis errors met (each followed by a build of this process's own)

    async def wait_or_claim(self, name: str) -> StoredView | None:
        """The stored view, waiting for a build another process claimed; None when this process
        must build it: it holds the claim then (or Redis failed, and nobody else's build is
        awaited)."""
        key, claim = KEY_PREFIX + name, KEY_PREFIX + name + ":building"
        deadline = time.monotonic() + BUILD_CLAIM_S
        try:
            while True:
                stored = await self._get(key)
                if stored is not None:
                    self.fetched += 1
                    return stored
                if await self.client.set(claim, b"1", nx=True, px=int(BUILD_CLAIM_S * 1000)):
                    # The claimant before may have stored the view and released its claim since
                    # the look above (it stores, then releases, in one transaction).
                    stored = await self._get(key)
                    if stored is None:
                        return None
                    await self.client.delete(claim)
                    self.fetched += 1
                    return stored
                if time.monotonic() >= deadline:
                    return None  # the claimant hangs: build here, as a process alone would
                await asyncio.sleep(WAIT_POLL_S)
        except REDIS_ERRORS as error:
            self._failed("reading", error)
            return None

    async def put(self, name: str, body: bytes, gzipped: bytes, built_at_wall: float) -> None:
        """Store a view this process built (holding the claim) and release the claim."""
        key = KEY_PREFIX + name
        age_s = max(0.0, time.time() - built_at_wall)
        ttl_ms = int((self.max_age_s - age_s) * 1000)
        try:
            async with self.client.pipeline(transaction=True) as pipe:
                if ttl_ms > 0:
                    pipe.hset(key, mapping={"body": body, "gzipped": gzipped, "built": repr(built_at_wall)})
                    pipe.pexpire(key, ttl_ms)
                pipe.delete(key + ":building")
                await pipe.execute()
        except REDIS_ERRORS as error:
            self._failed("storing", error)

    async def release(self, name: str) -> None:
        """Give up a claim without a view (the build failed): the next reader builds."""
        try:
            await self.client.delete(KEY_PREFIX + name + ":building")
        except REDIS_ERRORS as error:
            self._failed("releasing", error)

    async def _get(self, key: str) -> StoredView | None:
        found: list[Any] = await self.client.hmget(key, ["body", "gzipped", "built"])
        body, gzipped, built = found
        if body is None or gzipped is None or built is None:
            return None
        return StoredView(body=body, gzipped=gzipped, age_s=max(0.0, time.time() - float(built)))

    def _failed(self, doing: str, error: BaseException) -> None:
        self.failures += 1
        log.warning("%s a shared plenary view in Redis failed (%s); building it here", doing, error)
