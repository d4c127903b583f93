"""How the live door writes its admissions, tickets and closings: group commits.

Group commit: the items that arrive while a transaction is being written wait, then are written
together in the next one and answered after that single commit. A reconnect storm of thousands
of sockets then costs tens of transactions instead of thousands, and each socket waits for one
commit instead of queueing behind every other socket's.

On SQLite the process's write transactions queue for the write engine's one connection (see
``app/database.py``); the commands' pipeline (``app/live/commands.py``) holds that connection
while its thread writes.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from app.database import Database

log = logging.getLogger("breakouts.writes")

Item = TypeVar("Item")
Result = TypeVar("Result")

# Writes one batch in the given session, which the caller commits: one outcome per item, in
# order, either its result or the exception that item alone failed with (having rolled back
# whatever it wrote, e.g. in its own savepoint).
BatchWriter = Callable[[AsyncSession, Sequence[Item]], Awaitable[list[Result | Exception]]]


async def each_in_savepoint(
    session: AsyncSession, items: Sequence[Item], write_one: Callable[[Item], Awaitable[Result]]
) -> list[Result | Exception]:
    """A ``BatchWriter`` body: each item in its own savepoint, so that one item's failure rolls
    back its own writes only and the others still commit."""
    outcomes: list[Result | Exception] = []
    for item in items:
        try:
            async with session.begin_nested():
                outcomes.append(await write_one(item))
        except Exception as error:
            outcomes.append(error)
    return outcomes


@dataclass(eq=False, slots=True)
class _Waiting(Generic[Item, Result]):
    item: Item
    outcome: asyncio.Future[Result]


class GroupCommit(Generic[Item, Result]):
    """Writes what ``submit`` is given in shared transactions of at most ``limit`` items.

    Submissions of one loop tick join the same batch; while a batch is being written, the next
    one gathers. If the transaction as a whole fails, every item of the batch gets that error.
    A submitter cancelled before its batch starts is left out; one cancelled while its batch is
    being written cannot take its item back, so ``abandoned`` gets the committed result and can
    undo it (a socket admitted for nobody is marked closed).
    """

    def __init__(
        self,
        database: Database,
        write: BatchWriter[Item, Result],
        *,
        limit: int,
        name: str,
        abandoned: Callable[[Result], None] | None = None,
    ) -> None:
        self.database = database
        self.write = write
        self.limit = limit
        self.name = name
        self.abandoned = abandoned
        self._queued: list[_Waiting[Item, Result]] = []
        self._writer: asyncio.Task[None] | None = None

    async def submit(self, item: Item) -> Result:
        """The item's outcome once its batch committed; raises what the item failed with."""
        return await self._enqueue(item)

    def post(self, item: Item) -> asyncio.Future[Result]:
        """Queue ``item`` for certain: awaiting its outcome is optional, and cancelling the wait
        (through ``asyncio.shield``) does not take it out of its batch. A failure is logged."""
        outcome = self._enqueue(item)
        outcome.add_done_callback(_consume)
        return outcome

    async def settle(self) -> None:
        """Wait until everything queued so far is written (before the engine is disposed)."""
        while self._writer is not None:
            await asyncio.wait([self._writer])

    def _enqueue(self, item: Item) -> asyncio.Future[Result]:
        loop = asyncio.get_running_loop()
        waiting: _Waiting[Item, Result] = _Waiting(item, loop.create_future())
        self._queued.append(waiting)
        if self._writer is None:
            self._writer = loop.create_task(self._write_queued(), name=self.name)
        return waiting.outcome

    async def _write_queued(self) -> None:
        try:
            await asyncio.sleep(0)  # the submissions of this loop tick join the first batch
            while self._queued:
                batch, self._queued = self._queued[: self.limit], self._queued[self.limit :]
                batch = [waiting for waiting in batch if not waiting.outcome.done()]
                if batch:
                    await self._commit(batch)
        finally:
            self._writer = None
            queued, self._queued = self._queued, []
            for waiting in queued:  # cancelled while shutting down
                waiting.outcome.cancel()

    async def _commit(self, batch: list[_Waiting[Item, Result]]) -> None:
        outcomes: list[Result | Exception]
        try:
            async with self.database.write_sessions() as session:
                outcomes = await self.write(session, [waiting.item for waiting in batch])
                await session.commit()
        except Exception as error:
            log.exception("%s: committing %d items failed", self.name, len(batch))
            outcomes = [error] * len(batch)
        except BaseException:
            for waiting in batch:
                waiting.outcome.cancel()
            raise
        for waiting, outcome in zip(batch, outcomes, strict=True):
            if waiting.outcome.done():
                if self.abandoned is not None and not isinstance(outcome, Exception):
                    self.abandoned(outcome)
            elif isinstance(outcome, Exception):
                waiting.outcome.set_exception(outcome)
            else:
                waiting.outcome.set_result(outcome)


def _consume(outcome: asyncio.Future[Any]) -> None:
    if not outcome.cancelled():
        outcome.exception()  # retrieved, so asyncio does not report it a second time
