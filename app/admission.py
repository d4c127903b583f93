"""Admission of heavy requests: a kind of request gets a fixed number of slots, a bounded line of
waiters, and a bounded wait; beyond either bound it is refused with 503 ``overloaded`` and a
``Retry-After`` instead of queueing for the database pool until the pool's timeout.

Why: the read pool has 15 connections (SQLite: 5 + 10 overflow). Two thousand phones asking for
the plenary view at once used to take every connection for seconds and time out after 30 s,
answering plain 500s, while someone else's ``GET /rooms`` waited behind them. Each heavy kind
now holds at most its slots of the pool, so the other requests always find a connection.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from app.errors import Overloaded


@dataclass(frozen=True, slots=True)
class AdmissionLimits:
    slots: int  # requests of this kind running at once (each holds at most one connection)
    waiting: int  # requests of this kind waiting for a slot; one more is refused at once
    wait_s: float  # the longest a request waits for a slot before it is refused


class Admission:
    def __init__(self, kind: str, limits: AdmissionLimits) -> None:
        self.kind = kind
        self.limits = limits
        self._slots = asyncio.Semaphore(limits.slots)
        self._waiting = 0
        self.refused = 0

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        if self._slots.locked() and self._waiting >= self.limits.waiting:
            self._refuse()
        self._waiting += 1
        try:
            async with asyncio.timeout(self.limits.wait_s):
                await self._slots.acquire()
        except TimeoutError:
            self._refuse()
        finally:
            self._waiting -= 1
        try:
            yield
        finally:
            self._slots.release()

    def _refuse(self) -> None:
        self.refused += 1
        raise Overloaded(f"too many {self.kind} requests at once; retry shortly")


# The plenary view: a reader's check (its access, the view's version) is light, and the view
# itself is computed once per change (``app.plenary.shared_view``); the whole report-back of a
# large meeting (thousands of phones within a second or two) waits in line rather than failing.
PLENARY_READERS = AdmissionLimits(slots=4, waiting=5000, wait_s=10.0)
PLENARY_BUILDS = AdmissionLimits(slots=2, waiting=100, wait_s=20.0)
# Exports (reports, answer files): seconds of work each, asked for by organisers.
EXPORTS = AdmissionLimits(slots=2, waiting=8, wait_s=20.0)


@dataclass(slots=True)
class HeavyReads:
    """The admissions of one application instance (built by its lifespan)."""

    plenary_readers: Admission
    plenary_builds: Admission
    exports: Admission

    @classmethod
    def create(cls) -> HeavyReads:
        return cls(
            plenary_readers=Admission("plenary", PLENARY_READERS),
            plenary_builds=Admission("plenary", PLENARY_BUILDS),
            exports=Admission("export", EXPORTS),
        )
