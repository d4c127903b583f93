"""Presence: which sockets are open, whose, in which meeting, and when each person was last seen.

Kept out of the database: a reconnect storm opens and closes thousands of sockets within seconds,
and a row per socket made each one a write. A ``PresenceStore`` answers three questions — how many
sockets an actor holds (the connection cap), who of a meeting is connected and when the others
were last seen (staff's presence), and it forgets the sockets of a process that died.

``MemoryPresenceStore`` holds this process's sockets (the embedded, single-process default).
``RedisPresenceStore`` holds every process's sockets in Redis sorted sets scored by expiry: each
process re-scores its own sockets every ``PRESENCE_HEARTBEAT_S``; the sockets of a process that
died stop being re-scored and count as gone once their score passes (``PRESENCE_TIMEOUT_S``), so
presence converges within the timeout plus a presence tick. Nothing here has a seq: presence is
ephemeral.
"""

from __future__ import annotations

import time
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from redis.asyncio import Redis

from app.realtime.limits import PRESENCE_TIMEOUT_S

# When the last socket of a person closed is kept this long (staff see "last seen"), in memory
# and in Redis alike.
LAST_SEEN_RETENTION_S = 24 * 3600


@dataclass(frozen=True, slots=True)
class SocketMark:
    """An open socket as presence knows it."""

    socket_id: uuid.UUID
    actor_key: str
    meeting_id: uuid.UUID
    participant_id: uuid.UUID | None


@dataclass(frozen=True, slots=True)
class PresenceMark:
    participant_id: uuid.UUID
    connected: bool
    last_seen: datetime


class PresenceStore(Protocol):
    async def try_open(self, mark: SocketMark, limit: int) -> bool:
        """Record the socket unless its actor already holds ``limit`` open sockets; whether it was."""

    async def close(self, socket_id: uuid.UUID) -> None:
        """The socket closed: its person was last seen now (unknown ids are ignored)."""

    async def sockets_of(self, actor_key: str) -> int: ...

    async def of_meeting(self, meeting_id: uuid.UUID) -> list[PresenceMark]:
        """Everyone of the meeting with an open socket or seen within the retention."""

    async def heartbeat(self) -> None:
        """Keep this process's sockets counted (and forget what is past its retention)."""


def _now() -> datetime:
    return datetime.now(UTC)


class MemoryPresenceStore:
    def __init__(self, clock: Callable[[], datetime] = _now) -> None:
        self._clock = clock
        self._open: dict[uuid.UUID, tuple[SocketMark, datetime]] = {}
        self._by_actor: dict[str, set[uuid.UUID]] = defaultdict(set)
        self._last_seen: dict[uuid.UUID, dict[uuid.UUID, datetime]] = defaultdict(dict)

    async def try_open(self, mark: SocketMark, limit: int) -> bool:
        held = self._by_actor[mark.actor_key]
        if len(held) >= limit:
            return False
        held.add(mark.socket_id)
        self._open[mark.socket_id] = (mark, self._clock())
        return True

    async def close(self, socket_id: uuid.UUID) -> None:
        found = self._open.pop(socket_id, None)
        if found is None:
            return
        mark = found[0]
        held = self._by_actor.get(mark.actor_key)
        if held is not None:
            held.discard(socket_id)
            if not held:
                del self._by_actor[mark.actor_key]
        if mark.participant_id is not None:
            self._last_seen[mark.meeting_id][mark.participant_id] = self._clock()

    async def sockets_of(self, actor_key: str) -> int:
        return len(self._by_actor.get(actor_key, ()))

    async def of_meeting(self, meeting_id: uuid.UUID) -> list[PresenceMark]:
        marks = {
            participant_id: PresenceMark(participant_id, False, seen)
            for participant_id, seen in self._last_seen.get(meeting_id, {}).items()
        }
        for mark, opened in self._open.values():
            if mark.meeting_id == meeting_id and mark.participant_id is not None:
                marks[mark.participant_id] = PresenceMark(mark.participant_id, True, opened)
        return list(marks.values())

    async def heartbeat(self) -> None:
        now = self._clock()
        for meeting_id in list(self._last_seen):
            seen = self._last_seen[meeting_id]
            for participant_id in [p for p, at in seen.items() if (now - at).total_seconds() > LAST_SEEN_RETENTION_S]:
                del seen[participant_id]
            if not seen:
                del self._last_seen[meeting_id]


class RedisPresenceStore:
    """Keys under ``prefix``: ``m:<meeting>`` and ``a:<actor>`` are sorted sets of sockets scored
    by when they stop counting (ms); ``s:<meeting>`` maps participants to when last seen (ms).
    ``clock`` (seconds since the epoch) is swappable so that tests can let a process's sockets
    time out without waiting."""

    def __init__(
        self, client: Redis, prefix: str = "breakouts:presence:", clock: Callable[[], float] = time.time
    ) -> None:
        self._client = client
        self._prefix = prefix
        self._clock = clock
        self._mine: dict[uuid.UUID, SocketMark] = {}

    def _keys(self, mark: SocketMark) -> tuple[str, str, str]:
        p = self._prefix
        return f"{p}m:{mark.meeting_id}", f"{p}a:{mark.actor_key}", f"{p}s:{mark.meeting_id}"

    @staticmethod
    def _member(mark: SocketMark) -> str:
        return f"{mark.socket_id.hex}:{mark.participant_id.hex if mark.participant_id else '-'}"

    def _ms(self, seconds_from_now: float = 0.0) -> int:
        return int((self._clock() + seconds_from_now) * 1000)

    async def try_open(self, mark: SocketMark, limit: int) -> bool:
        meeting_key, actor_key, seen_key = self._keys(mark)
        until = self._ms(PRESENCE_TIMEOUT_S)
        # Add first, then count: of sockets racing for the last place none gets past the cap
        # (at worst both are refused and the clients retry).
        async with self._client.pipeline(transaction=True) as pipe:
            pipe.zremrangebyscore(actor_key, "-inf", self._ms())
            pipe.zadd(actor_key, {mark.socket_id.hex: until})
            pipe.zcount(actor_key, self._ms(), "+inf")
            pipe.pexpire(actor_key, int(PRESENCE_TIMEOUT_S * 1000) * 2)
            results = await pipe.execute()
        if int(results[2]) > limit:
            await self._client.zrem(actor_key, mark.socket_id.hex)
            return False
        self._mine[mark.socket_id] = mark
        async with self._client.pipeline(transaction=False) as pipe:
            pipe.zadd(meeting_key, {self._member(mark): until})
            pipe.pexpire(meeting_key, LAST_SEEN_RETENTION_S * 1000)
            if mark.participant_id is not None:
                pipe.hset(seen_key, mark.participant_id.hex, self._ms())
                pipe.pexpire(seen_key, LAST_SEEN_RETENTION_S * 1000)
            await pipe.execute()
        return True

    async def close(self, socket_id: uuid.UUID) -> None:
        mark = self._mine.pop(socket_id, None)
        if mark is None:
            return
        meeting_key, actor_key, seen_key = self._keys(mark)
        async with self._client.pipeline(transaction=False) as pipe:
            pipe.zrem(meeting_key, self._member(mark))
            pipe.zrem(actor_key, socket_id.hex)
            if mark.participant_id is not None:
                pipe.hset(seen_key, mark.participant_id.hex, self._ms())
            await pipe.execute()

    async def sockets_of(self, actor_key: str) -> int:
        return int(await self._client.zcount(f"{self._prefix}a:{actor_key}", self._ms(), "+inf"))

    async def of_meeting(self, meeting_id: uuid.UUID) -> list[PresenceMark]:
        async with self._client.pipeline(transaction=False) as pipe:
            pipe.zrangebyscore(f"{self._prefix}m:{meeting_id}", self._ms(), "+inf", withscores=True)
            pipe.hgetall(f"{self._prefix}s:{meeting_id}")
            sockets, seen = await pipe.execute()
        marks: dict[uuid.UUID, PresenceMark] = {}
        for raw_id, raw_ms in seen.items():
            participant_id = uuid.UUID(hex=_text(raw_id))
            marks[participant_id] = PresenceMark(participant_id, False, _at(int(_text(raw_ms))))
        for member, score in sockets:
            participant_hex = _text(member).partition(":")[2]
            if participant_hex == "-":
                continue
            participant_id = uuid.UUID(hex=participant_hex)
            last = marks.get(participant_id)
            # A connected person's last_seen is their latest arrival (or heartbeat, if unknown).
            opened = last.last_seen if last is not None else _at(int(score) - int(PRESENCE_TIMEOUT_S * 1000))
            marks[participant_id] = PresenceMark(participant_id, True, opened)
        return list(marks.values())

    async def heartbeat(self) -> None:
        """Re-score this process's sockets (one pipeline) and drop expired entries of their keys."""
        if not self._mine:
            return
        until, now = self._ms(PRESENCE_TIMEOUT_S), self._ms()
        async with self._client.pipeline(transaction=False) as pipe:
            touched: set[str] = set()
            for mark in list(self._mine.values()):
                meeting_key, actor_key, _ = self._keys(mark)
                pipe.zadd(meeting_key, {self._member(mark): until})
                pipe.zadd(actor_key, {mark.socket_id.hex: until})
                pipe.pexpire(actor_key, int(PRESENCE_TIMEOUT_S * 1000) * 2)
                touched.add(meeting_key)
            for key in touched:
                pipe.zremrangebyscore(key, "-inf", now)
            await pipe.execute()


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


def _at(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, UTC)
