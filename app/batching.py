"""Requests answered together: the ones that arrive while a batch runs wait for the next batch,
which answers all of them with one piece of work (one read session, a few statements over the lot).

A crowd (two thousand phones at report-back, a reconnect storm) then costs a few reads per batch
instead of a few per request, and nobody waits longer than one batch behind the current one.
Every request gets its own answer or its own error; an error of the whole batch (the database went
away, admission refused it) reaches each of its requests, and the next batch still runs.
"""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

from app.errors import DomainError

Request = TypeVar("Request")
Outcome = TypeVar("Outcome")


class Batches(Generic[Request, Outcome]):
    def __init__(
        self, answer: Callable[[list[Request]], Awaitable[list[Outcome | DomainError]]], *, most: int, name: str
    ) -> None:
        """``answer`` answers a batch, one outcome (or the error to raise) per request in order;
        ``most`` bounds a batch (and so the statements' parameter lists)."""
        self._answer = answer
        self._most = most
        self._name = name
        self._line: list[tuple[Request, asyncio.Future[Outcome | DomainError]]] = []
        self._running: asyncio.Task[None] | None = None
        self.batches = 0  # batches answered since start, for tests and the benchmark

    @property
    def waiting(self) -> int:
        """Requests waiting for a batch that has not started."""
        return len(self._line)

    @property
    def running(self) -> bool:
        return self._running is not None

    async def submit(self, request: Request) -> Outcome:
        """``request``'s outcome, answered with the requests waiting with it; raises its error."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Outcome | DomainError] = loop.create_future()
        self._line.append((request, future))
        if self._running is None:
            self._running = loop.create_task(self._run_line(), name=self._name)
        # Shielded: a request that goes away does not cancel its neighbours' batch.
        outcome = await asyncio.shield(future)
        if isinstance(outcome, DomainError):
            raise copy.copy(outcome)  # each request raises its own instance
        return outcome

    async def _run_line(self) -> None:
        try:
            while self._line:
                batch, self._line = self._line[: self._most], self._line[self._most :]
                try:
                    self.batches += 1
                    outcomes = await self._answer([request for request, _ in batch])
                except asyncio.CancelledError:  # the server stops: nobody waits for an answer
                    for _, waiter in [*batch, *self._line]:
                        waiter.cancel()
                    self._line = []
                    raise
                except Exception as error:
                    for _, waiter in batch:
                        if not waiter.done():
                            waiter.set_exception(error)
                    continue
                for (_, waiter), outcome in zip(batch, outcomes, strict=True):
                    if not waiter.done():
                        waiter.set_result(outcome)
        finally:
            self._running = None
