"""``app.batching.Batches``: the requests that arrive while a batch runs are answered together by
the next one, each with its own outcome or its own error. The batches here are answered by a
function the test releases (an ``asyncio.Event``), so the order is the test's, not the clock's."""

from __future__ import annotations

import asyncio

import pytest

from app.batching import Batches
from app.errors import DomainError, NotFound


class Gate:
    """Answers each batch with the requests doubled (a negative request is refused) once released."""

    def __init__(self) -> None:
        self.seen: list[list[int]] = []
        self.started = asyncio.Event()
        self.release = asyncio.Event()
        self.fail_next: Exception | None = None

    async def answer(self, requests: list[int]) -> list[int | DomainError]:
        self.seen.append(list(requests))
        self.started.set()
        await self.release.wait()
        if self.fail_next is not None:
            error, self.fail_next = self.fail_next, None
            raise error
        return [NotFound(f"no {r}") if r < 0 else r * 2 for r in requests]


async def test_requests_that_arrive_while_a_batch_runs_are_answered_together_by_the_next() -> None:
    gate = Gate()
    batches = Batches(gate.answer, most=100, name="test")
    first = asyncio.create_task(batches.submit(1))
    await gate.started.wait()
    later = [asyncio.create_task(batches.submit(n)) for n in (2, 3, 4)]
    assert batches.running
    gate.release.set()
    assert await first == 2
    assert [await task for task in later] == [4, 6, 8]
    assert gate.seen == [[1], [2, 3, 4]]
    assert batches.batches == 2 and not batches.running and batches.waiting == 0


async def test_each_request_gets_its_own_error_and_a_failed_batch_fails_only_its_requests() -> None:
    gate = Gate()
    batches = Batches(gate.answer, most=2, name="test")
    gate.fail_next = RuntimeError("the database went away")
    tasks = [asyncio.create_task(batches.submit(n)) for n in (1, 2, -3, -4)]
    gate.release.set()
    outcomes = await asyncio.gather(*tasks, return_exceptions=True)
    assert gate.seen == [[1, 2], [-3, -4]]  # at most two per batch
    assert [type(o).__name__ for o in outcomes] == ["RuntimeError", "RuntimeError", "NotFound", "NotFound"]
    assert isinstance(outcomes[2], NotFound) and outcomes[2] is not outcomes[3]
    assert str(outcomes[2]) == "no -3" and str(outcomes[3]) == "no -4"


async def test_a_request_that_goes_away_does_not_cancel_its_neighbours() -> None:
    gate = Gate()
    batches = Batches(gate.answer, most=100, name="test")
    leaving = asyncio.create_task(batches.submit(1))
    staying = asyncio.create_task(batches.submit(2))
    await gate.started.wait()
    leaving.cancel()
    with pytest.raises(asyncio.CancelledError):
        await leaving
    gate.release.set()
    assert await staying == 4
    assert gate.seen == [[1, 2]]
