"""The write pipeline: every socket command goes to the feature handler that calls the same
service function as its REST route, inside one unit of work with the command's receipt.

A command is acknowledged only after its transaction committed (and its events were published).
Its receipt, keyed by the caller and the client's command id, is written in that same
transaction, so a retry after a lost ack returns the stored result and changes nothing; two
racing copies of one command collide on the receipt's key and the loser returns the winner's
result.

Group commit: the commands that arrive while a batch is being written wait, then run together in
the next one, each inside its own savepoint (a refused command rolls back its savepoint and its
events, never its neighbours'), and are acknowledged after that single commit. One writer per
process: a burst of answers costs one commit instead of hundreds.

On SQLite the whole batch runs as one hop on the writer thread (``app/live/sqlite_writer.py``):
its statements run in place on that thread's connection instead of one round trip to a driver
thread each, and the server's loop keeps serving sockets and gathering the next batch meanwhile;
the events are published on the server's loop after the commit. On PostgreSQL the batch runs on
the server's loop through the async driver; what must be serialised per meeting takes a row lock
in the services (the room's lock for counts, the stream head's for numbers).

Writes of the REST door can take the same road (``write``): a unit of work given as a function
(joining a meeting by its code) runs in the next batch, in its own savepoint, and its caller
gets its result, or the exception it raised, after the batch's commit: what running it in a
transaction of its own would have given. A join storm then costs a commit per batch, not one each.

Batches: consecutive commands of a type with a batch handler (``answer.submit``, ``answer.vote``)
run together in ONE savepoint, through a handler that decides them all from a few bulk reads and
writes them in a few bulk statements, with the results the one-by-one path would give (see
``app.answers.batch`` and ``app.answers.voting``). If that savepoint fails for a reason the
handler could not foresee (a unique key taken by another process meanwhile, any unexpected
error), it is rolled back and its commands run one by one as usual. Commands keep their order: a
batch never jumps ahead of a neighbour of another type.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.answers.decisions import DecisionMemory, decisions_of
from app.answers.socket import SOCKET_BATCHES as ANSWER_BATCHES
from app.answers.socket import SOCKET_COMMANDS as ANSWER_COMMANDS
from app.auth.access import Actor
from app.database import Database
from app.errors import DomainError
from app.facilitation.socket import SOCKET_COMMANDS as FACILITATION_COMMANDS
from app.findings.socket import SOCKET_COMMANDS as FINDING_COMMANDS
from app.hands.socket import SOCKET_COMMANDS as HAND_COMMANDS
from app.live.sqlite_writer import SqliteWriter
from app.meetings.socket import SOCKET_COMMANDS as MEETING_COMMANDS
from app.participants.socket import SOCKET_COMMANDS as PARTICIPANT_COMMANDS
from app.questions.socket import SOCKET_COMMANDS as QUESTION_COMMANDS
from app.realtime.bus import Bus
from app.realtime.limits import ErrorCode
from app.realtime.outbox import UnitOfWork, publish, transaction
from app.realtime.protocol import Ack, ClientCommand, ErrorFrame
from app.realtime.receipts import find_receipt, record_receipt, replayed
from app.rooms.socket import SOCKET_COMMANDS as ROOM_COMMANDS
from app.socket_commands import SocketHandler

log = logging.getLogger("breakouts.commands")

SOCKET_HANDLERS: dict[str, SocketHandler] = {
    **MEETING_COMMANDS,
    **PARTICIPANT_COMMANDS,
    **QUESTION_COMMANDS,
    **ROOM_COMMANDS,
    **ANSWER_COMMANDS,
    **FINDING_COMMANDS,
    **FACILITATION_COMMANDS,
    **HAND_COMMANDS,
}

# Acks and error frames for commands of one type, in their order, their receipts written; raises
# only what its rules could not foresee (the batch is then rolled back and run one by one).
BatchHandler = Callable[[UnitOfWork, Sequence[tuple[Actor, Any]]], Awaitable[list[Ack | ErrorFrame]]]

BATCH_HANDLERS: dict[str, BatchHandler] = {
    **ANSWER_BATCHES,
}


def result_json(result: BaseModel | list[BaseModel] | None) -> Any:
    if result is None:
        return None
    if isinstance(result, list):
        return [item.model_dump(mode="json") for item in result]
    return result.model_dump(mode="json")


# Commands written in one transaction at most: bounds how long the write lock is held and how
# long the last command of a burst waits for its ack.
GROUP_COMMIT_MAX = 64


Written = TypeVar("Written")


@dataclass(eq=False)
class _QueuedWrite:
    """A unit of work of the REST door (``CommandDispatcher.write``)."""

    work: Callable[[UnitOfWork], Awaitable[Any]]
    answer: asyncio.Future[Any] = field(default_factory=lambda: asyncio.get_running_loop().create_future())


@dataclass(eq=False)
class _Queued:
    actor: Actor
    command: ClientCommand
    handler: SocketHandler
    answer: asyncio.Future[Ack | ErrorFrame] = field(default_factory=lambda: asyncio.get_running_loop().create_future())


class _Collided(Exception):
    """The command's write hit a unique key: settled after the commit, by reading the receipt."""


class CommandDispatcher:
    def __init__(
        self,
        database: Database,
        bus: Bus,
        handlers: dict[str, SocketHandler] | None = None,
        batch_handlers: dict[str, BatchHandler] | None = None,
        writer: SqliteWriter | None = None,
    ) -> None:
        """``writer``: the process's SQLite writer thread; without it batches run on the loop."""
        self.database = database
        self.bus = bus
        self.handlers = SOCKET_HANDLERS if handlers is None else handlers
        self.batch_handlers = BATCH_HANDLERS if batch_handlers is None else batch_handlers
        self.writer = writer
        self._queued: list[_Queued | _QueuedWrite] = []
        self._writer: asyncio.Task[None] | None = None

    async def write(self, work: Callable[[UnitOfWork], Awaitable[Written]]) -> Written:
        """Run ``work`` in the next batch, in its own savepoint; its result once the batch committed
        and its events were published, or the exception it raised (its writes rolled back).

        On SQLite ``work`` runs on the writer thread: it may use ``uow`` and plain values only,
        nothing of the server's loop (the bus, Redis, sockets)."""
        queued = _QueuedWrite(work)
        self._enqueue(queued)
        # Shielded, as commands are: a caller that goes away does not tear the write out of its batch.
        result: Written = await asyncio.shield(queued.answer)
        return result

    def _enqueue(self, queued: _Queued | _QueuedWrite) -> None:
        self._queued.append(queued)
        if self._writer is None:
            self._writer = asyncio.get_running_loop().create_task(self._write_queued(), name="group-commit")

    async def run(self, actor: Actor, command: ClientCommand) -> Ack | ErrorFrame:
        handler = self.handlers.get(command.type)
        if handler is None:
            return ErrorFrame(code=ErrorCode.UNSUPPORTED, message=f"{command.type} is not served", ref=command.id)
        queued = _Queued(actor, command, handler)
        self._enqueue(queued)
        # Shielded: a socket that closes meanwhile does not tear its command out of the batch
        # (it commits without an ack; the client's retry gets the receipt).
        return await asyncio.shield(queued.answer)

    async def settle(self) -> None:
        """Wait until every command queued so far is written (before the writer thread stops)."""
        while self._writer is not None:
            await asyncio.wait([self._writer])

    async def _write_queued(self) -> None:
        try:
            await asyncio.sleep(0)  # the commands of this loop tick join the first batch
            while self._queued:
                batch, self._queued = self._queued[:GROUP_COMMIT_MAX], self._queued[GROUP_COMMIT_MAX:]
                await self._commit(batch)
        finally:
            self._writer = None
            for queued in self._queued:  # cancelled while shutting down
                if not queued.answer.done():
                    queued.answer.cancel()

    async def _commit(self, batch: list[_Queued | _QueuedWrite]) -> None:
        outcomes: dict[_Queued | _QueuedWrite, Ack | ErrorFrame | _Collided | _Written]
        try:
            if self.writer is not None:
                outcomes, uow = await self.writer.run(lambda sessions: self._transact(sessions, batch))
            else:
                outcomes, uow = await self._transact(self.database.write_sessions, batch)
            await publish(self.bus, uow)
        except Exception as error:
            log.exception("committing %d commands failed", len(batch))
            outcomes = {
                q: ErrorFrame(code=ErrorCode.INTERNAL, message="the server failed; retry later", ref=q.command.id)
                if isinstance(q, _Queued)
                else _Written(error=error)
                for q in batch
            }
        except BaseException:
            for queued in batch:
                queued.answer.cancel()
            raise
        for queued in batch:
            outcome = outcomes[queued]
            if isinstance(queued, _QueuedWrite):
                assert isinstance(outcome, _Written)
                outcome.settle(queued.answer)
                continue
            if isinstance(outcome, _Collided):
                try:
                    outcome = await self._after_collision(queued.actor, queued.command)
                except Exception:
                    log.exception("reading the receipt of %s failed", queued.command.type)
                    outcome = ErrorFrame(
                        code=ErrorCode.INTERNAL, message="the server failed; retry later", ref=queued.command.id
                    )
            assert not isinstance(outcome, _Written)
            if not queued.answer.done():
                queued.answer.set_result(outcome)

    async def _transact(
        self, sessions: async_sessionmaker[AsyncSession], batch: list[_Queued | _QueuedWrite]
    ) -> tuple[dict[_Queued | _QueuedWrite, Ack | ErrorFrame | _Collided | _Written], UnitOfWork]:
        """Run and commit the batch (on the writer thread on SQLite); nothing is published here.

        The writer thread's memory of what answer and vote batches decide from
        (``app.answers.decisions``) is checked at the start and forgotten before anything else
        runs, and when the transaction fails."""
        outcomes: dict[_Queued | _QueuedWrite, Ack | ErrorFrame | _Collided | _Written] = {}
        memory: DecisionMemory | None = None
        try:
            async with transaction(sessions) as uow:
                memory = decisions_of(uow.session)
                if memory is not None:
                    await memory.begin(uow.session)
                for run in self._runs(batch):
                    if isinstance(run, _QueuedWrite):
                        _forget(memory)
                        outcomes[run] = await _write_one(uow, run)
                    elif len(run) == 1 and run[0].command.type not in self.batch_handlers:
                        _forget(memory)
                        outcomes[run[0]] = await self._run_one(uow, run[0])
                    else:
                        for queued, outcome in (await self._run_batch(uow, run, memory)).items():
                            outcomes[queued] = outcome
        except BaseException:
            _forget(memory)
            raise
        return outcomes, uow

    def _runs(self, batch: list[_Queued | _QueuedWrite]) -> list[list[_Queued] | _QueuedWrite]:
        """The batch cut into runs in arrival order: consecutive commands of one type that has a
        batch handler form a run; every other command, and every write, is a run of its own."""
        runs: list[list[_Queued] | _QueuedWrite] = []
        for queued in batch:
            if isinstance(queued, _QueuedWrite):
                runs.append(queued)
                continue
            kind = queued.command.type
            last = runs[-1] if runs else None
            if isinstance(last, list) and kind in self.batch_handlers and last[-1].command.type == kind:
                last.append(queued)
            else:
                runs.append([queued])
        return runs

    async def _run_batch(
        self, uow: UnitOfWork, run: list[_Queued], memory: DecisionMemory | None
    ) -> dict[_Queued, Ack | ErrorFrame | _Collided]:
        """Run commands of one type in one savepoint through their batch handler; if it fails, roll
        it back and run them one by one, so the outcome is always what that path would give (the
        memory, which the failed batch may have advanced, is forgotten first)."""
        handler = self.batch_handlers[run[0].command.type]
        emitted = len(uow.pending)
        try:
            async with uow.session.begin_nested():
                results = await handler(uow, [(queued.actor, queued.command) for queued in run])
                await uow.session.flush()
        except IntegrityError:
            # A concurrent writer (another process, a REST request) took a key the batch read as free.
            del uow.pending[emitted:]
            log.info("a batch of %d %s collided; running them one by one", len(run), run[0].command.type)
        except Exception:
            del uow.pending[emitted:]
            log.exception("a batch of %d %s failed; running them one by one", len(run), run[0].command.type)
        else:
            return dict(zip(run, results, strict=True))
        _forget(memory)
        return {queued: await self._run_one(uow, queued) for queued in run}

    async def _run_one(self, uow: UnitOfWork, queued: _Queued) -> Ack | ErrorFrame | _Collided:
        """Run one command in its own savepoint; a refusal rolls back its writes and its events."""
        actor, command = queued.actor, queued.command
        emitted = len(uow.pending)
        try:
            async with uow.session.begin_nested():
                receipt = await find_receipt(uow.session, actor.key, command.id)
                if receipt is not None:
                    return replayed(receipt, command)
                result = result_json(await queued.handler(uow, actor, command))
                record_receipt(uow.session, actor.key, command.id, command.type, {"result": result})
                await uow.session.flush()
        except DomainError as refused:
            del uow.pending[emitted:]
            return ErrorFrame(code=refused.code, message=refused.message, ref=command.id)
        except ValidationError as invalid:
            del uow.pending[emitted:]
            return ErrorFrame(code="invalid", message=str(invalid.errors()[0]["msg"]), ref=command.id)
        except IntegrityError:
            del uow.pending[emitted:]
            return _Collided()
        except Exception:
            del uow.pending[emitted:]
            log.exception("command %s failed", command.type)
            return ErrorFrame(code=ErrorCode.INTERNAL, message="the server failed; retry later", ref=command.id)
        return Ack(ref=command.id, result=result)

    async def _after_collision(self, actor: Actor, command: ClientCommand) -> Ack | ErrorFrame:
        """A unique key refused the write: a copy of this command won the race, or the change
        collided with someone else's."""
        async with self.database.reading() as session:
            receipt = await find_receipt(session, actor.key, command.id)
        if receipt is not None:
            return replayed(receipt, command)
        return ErrorFrame(code="conflict", message="this collided with a concurrent change; retry", ref=command.id)


def _forget(memory: DecisionMemory | None) -> None:
    if memory is not None:
        memory.forget()


@dataclass(slots=True)
class _Written:
    """The outcome of a write: its result, or the exception it raised."""

    result: Any = None
    error: BaseException | None = None

    def settle(self, future: asyncio.Future[Any]) -> None:
        if future.done():
            return
        if self.error is not None:
            future.set_exception(self.error)
        else:
            future.set_result(self.result)


async def _write_one(uow: UnitOfWork, queued: _QueuedWrite) -> _Written:
    """Run a write in its own savepoint: what it raises rolls back its writes and its events."""
    emitted, revoked = len(uow.pending), set(uow.revoked_sessions)
    try:
        async with uow.session.begin_nested():
            result = await queued.work(uow)
            await uow.session.flush()
    except Exception as error:
        del uow.pending[emitted:]
        uow.revoked_sessions = revoked
        return _Written(error=error)
    return _Written(result=result)
