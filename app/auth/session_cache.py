"""Sessions looked up by token hash and by id, kept in memory for ``SESSION_CACHE_TTL_S``.

Every request presents a session token and every socket admission names the sessions its ticket
was issued to; reading the sessions table for each made the session lookup the largest share of
a report-back's request time (2,000 phones asking at once). A session's row changes in three
ways, each of which reaches the cache:

- revoked (signed out, the person erased): the bus tells every process
  (``Bus.on_revoked_sessions`` → ``revoke``); the id is then refused at once and not cached again;
- handed over to another roster entry (a walk-in matched): ``forget_participant`` on the process
  that matched, and on every process that follows the meeting (the ``participant.matched``
  event, ``app/live/moves.py``); any other process follows within the TTL;
- expired: checked on every hit against the cached ``expires_at``.

A revocation notice lost on the way (Redis pub/sub is at-most-once) is made good by the TTL.
Unknown tokens are not cached. The lookups that miss at the same time share one read
(``_load``): a crowd of phones arriving with tokens not seen before costs a statement per few
hundred phones, not one each.
"""

from __future__ import annotations

import asyncio
import itertools
import time
import uuid
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from app.auth.models import AuthSession
from app.database import Database, utcnow

# Short: the cache only has to absorb crowds (a report-back: thousands of requests within a
# second or two); a change that bypasses the notices above is seen within this.
SESSION_CACHE_TTL_S = 10.0
# Beyond this many cached tokens the cache starts afresh (a bound, not an eviction policy).
SESSION_CACHE_LIMIT = 100_000
# Token hashes looked up in one statement at most (well within any database's parameter limit).
LOOKUPS_PER_READ = 500


@dataclass(frozen=True, slots=True)
class CachedSession:
    id: uuid.UUID
    account_id: uuid.UUID | None
    participant_id: uuid.UUID | None
    expires_at: datetime


class SessionCache:
    def __init__(
        self, database: Database, ttl_s: float = SESSION_CACHE_TTL_S, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.database = database
        self.ttl_s = ttl_s
        self._clock = clock
        self._by_hash: dict[str, tuple[float, CachedSession]] = {}
        self._live_ids: dict[uuid.UUID, tuple[float, datetime]] = {}
        # Revoked ids and handed-over participants, with when: not cached again within the TTL (a
        # read that began before the change committed may still bring the old row back).
        self._revoked: dict[uuid.UUID, float] = {}
        self._moved: dict[uuid.UUID, float] = {}
        self.reads = 0  # database reads made (the cache's misses), for tests and the benchmark
        self._waiting: dict[str, asyncio.Future[CachedSession | None]] = {}
        self._loading: asyncio.Task[None] | None = None

    # --- what changes a session -------------------------------------------------------------

    def revoke(self, session_ids: Collection[uuid.UUID]) -> None:
        now = self._clock()
        self._expire_memory(now)
        for session_id in session_ids:
            self._revoked[session_id] = now
            self._live_ids.pop(session_id, None)
        gone = set(session_ids)
        self._by_hash = {h: entry for h, entry in self._by_hash.items() if entry[1].id not in gone}

    def forget_participant(self, participant_id: uuid.UUID) -> None:
        """The participant's sessions now sign in as someone else (a walk-in matched)."""
        self._moved[participant_id] = self._clock()
        self._by_hash = {h: e for h, e in self._by_hash.items() if e[1].participant_id != participant_id}

    # --- lookups ------------------------------------------------------------------------------

    async def sessions_for(self, token_hashes: Sequence[str]) -> list[CachedSession]:
        """The live sessions among these token hashes, in their order."""
        now_mono, now = self._clock(), utcnow()
        found: dict[str, CachedSession] = {}
        misses: list[str] = []
        for hashed in token_hashes:
            entry = self._by_hash.get(hashed)
            if entry is not None and now_mono - entry[0] < self.ttl_s:
                found[hashed] = entry[1]
            else:
                misses.append(hashed)
        if misses:
            found.update(await self._load(misses))
        return [
            live
            for hashed in token_hashes
            if (live := found.get(hashed)) is not None
            and live.expires_at > now
            and not self._recently_revoked(live.id, now_mono)
        ]

    async def _load(self, token_hashes: Sequence[str]) -> dict[str, CachedSession]:
        """Read these tokens' live sessions. The lookups that miss together share one statement
        (a report-back's thousands of phones each bring a token not seen before)."""
        loop = asyncio.get_running_loop()
        futures = []
        for hashed in token_hashes:
            future = self._waiting.get(hashed)
            if future is None:
                future = self._waiting[hashed] = loop.create_future()
            futures.append(future)
        if self._loading is None or self._loading.done():
            self._loading = loop.create_task(self._load_waiting(), name="session lookups")
        loaded = await asyncio.gather(*(asyncio.shield(future) for future in futures))
        return {hashed: cached for hashed, cached in zip(token_hashes, loaded, strict=True) if cached is not None}

    async def _load_waiting(self) -> None:
        while self._waiting:
            batch = dict(itertools.islice(self._waiting.items(), LOOKUPS_PER_READ))
            for hashed in batch:
                del self._waiting[hashed]
            try:
                rows = await self._read(list(batch))
            except Exception as error:
                for future in batch.values():
                    if not future.done():
                        future.set_exception(error)
                continue
            now_mono = self._clock()
            if len(self._by_hash) > SESSION_CACHE_LIMIT:
                self._by_hash.clear()
            for hashed, future in batch.items():
                cached = rows.get(hashed)
                if cached is not None and not self._recently_changed(cached, now_mono):
                    self._by_hash[hashed] = (now_mono, cached)
                if not future.done():
                    future.set_result(cached)

    async def _read(self, token_hashes: list[str]) -> dict[str, CachedSession]:
        self.reads += 1
        async with self.database.reading() as session:
            rows = await session.execute(
                select(
                    AuthSession.token_hash,
                    AuthSession.id,
                    AuthSession.account_id,
                    AuthSession.participant_id,
                    AuthSession.expires_at,
                ).where(
                    AuthSession.token_hash.in_(token_hashes),
                    AuthSession.revoked_at.is_(None),
                    AuthSession.expires_at > utcnow(),
                )
            )
            return {row[0]: CachedSession(*row[1:]) for row in rows}

    async def all_live(self, session_ids: Collection[uuid.UUID]) -> bool:
        """Whether every one of these sessions is neither revoked nor expired (False for none)."""
        return bool(session_ids) and set(session_ids) <= await self.live_among(session_ids)

    async def live_among(self, session_ids: Collection[uuid.UUID]) -> set[uuid.UUID]:
        """Those of these sessions that are neither revoked nor expired; the ones not cached are
        read in one statement (a crowd of sockets admitted together asks once)."""
        now_mono, now = self._clock(), utcnow()
        wanted = {i for i in session_ids if not self._recently_revoked(i, now_mono)}
        live = {i for i in wanted if self._fresh_live(i, now_mono, now)}
        misses = list(wanted - live)
        for start in range(0, len(misses), LOOKUPS_PER_READ):
            chunk = misses[start : start + LOOKUPS_PER_READ]
            self.reads += 1
            async with self.database.reading() as session:
                rows = await session.execute(
                    select(AuthSession.id, AuthSession.expires_at).where(
                        AuthSession.id.in_(chunk), AuthSession.revoked_at.is_(None), AuthSession.expires_at > now
                    )
                )
                found: dict[uuid.UUID, datetime] = {row[0]: row[1] for row in rows}
            if len(self._live_ids) + len(found) > SESSION_CACHE_LIMIT:
                self._live_ids.clear()
            for session_id, expires_at in found.items():
                if not self._recently_revoked(session_id, now_mono):
                    self._live_ids[session_id] = (now_mono, expires_at)
            live.update(found)
        # A revocation heard while reading wins over what the read found.
        now_mono = self._clock()
        return {i for i in live if not self._recently_revoked(i, now_mono)}

    def _fresh_live(self, session_id: uuid.UUID, now_mono: float, now: datetime) -> bool:
        entry = self._live_ids.get(session_id)
        return entry is not None and now_mono - entry[0] < self.ttl_s and entry[1] > now

    def _recently_revoked(self, session_id: uuid.UUID, now_mono: float) -> bool:
        at = self._revoked.get(session_id)
        return at is not None and now_mono - at < 2 * self.ttl_s

    def _recently_changed(self, cached: CachedSession, now_mono: float) -> bool:
        moved = self._moved.get(cached.participant_id) if cached.participant_id is not None else None
        return self._recently_revoked(cached.id, now_mono) or (moved is not None and now_mono - moved < self.ttl_s)

    def _expire_memory(self, now_mono: float) -> None:
        self._revoked = {i: at for i, at in self._revoked.items() if now_mono - at < 2 * self.ttl_s}
        self._moved = {i: at for i, at in self._moved.items() if now_mono - at < self.ttl_s}
