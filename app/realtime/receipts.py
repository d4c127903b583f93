"""Command receipts: the result of every command, keyed by who sent it and the id they gave it.

A retried command (a lost ack, a resend after reconnect) finds its receipt and gets the original
result back; the unique key makes a racing duplicate fail instead of acting twice.
"""

from __future__ import annotations

import functools
from collections.abc import Collection
from datetime import datetime
from typing import Any, cast

from sqlalchemy import BindParameter, Executable, String, Table, bindparam, delete, insert, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from app.database import Base, execute_direct, utcnow
from app.realtime.limits import ErrorCode
from app.realtime.protocol import Ack, ClientCommand, ErrorFrame


class CommandReceipt(Base):
    __tablename__ = "command_receipts"

    actor_key: Mapped[str] = mapped_column(String(80), primary_key=True)
    command_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    command_type: Mapped[str] = mapped_column(String(60))
    result: Mapped[dict[str, Any]]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


async def find_receipt(session: AsyncSession, actor_key: str, command_id: str) -> CommandReceipt | None:
    return await session.get(CommandReceipt, (actor_key, command_id))


async def find_receipts(
    session: AsyncSession, keys: Collection[tuple[str, str]]
) -> dict[tuple[str, str], CommandReceipt]:
    """The receipts among these (actor key, command id) keys."""
    if not keys:
        return {}
    rows = await session.scalars(_finding(), {"keys": list(keys)})
    return {(receipt.actor_key, receipt.command_id): receipt for receipt in rows}


@functools.cache
def _finding() -> Executable:
    """Built once: a batch of commands looks its receipts up every time."""
    keys: BindParameter[Any] = bindparam("keys", expanding=True)
    return select(CommandReceipt).where(tuple_(CommandReceipt.actor_key, CommandReceipt.command_id).in_(keys))


async def receipt_ids(session: AsyncSession, actor_keys: Collection[str]) -> dict[str, set[str]]:
    """The command ids that have a receipt, of each of these actors (all of them)."""
    found: dict[str, set[str]] = {actor_key: set() for actor_key in actor_keys}
    if found:
        for actor_key, command_id in await session.execute(_finding_ids(), {"keys": list(found)}):
            found[actor_key].add(command_id)
    return found


@functools.cache
def _finding_ids() -> Executable:
    keys: BindParameter[Any] = bindparam("keys", expanding=True)
    return select(CommandReceipt.actor_key, CommandReceipt.command_id).where(CommandReceipt.actor_key.in_(keys))


def new_receipt(actor_key: str, command_id: str, command_type: str, result: dict[str, Any]) -> CommandReceipt:
    return CommandReceipt(
        actor_key=actor_key, command_id=command_id, command_type=command_type, result=result, created_at=utcnow()
    )


async def insert_receipts(session: AsyncSession, receipts: Collection[CommandReceipt]) -> None:
    """Insert the receipts in one executemany (a batch's: they are never read back as objects),
    on the table, not through the ORM's bulk insert."""
    if receipts:
        await execute_direct(
            session,
            _inserting(),
            [
                {
                    "actor_key": receipt.actor_key,
                    "command_id": receipt.command_id,
                    "command_type": receipt.command_type,
                    "result": receipt.result,
                    "created_at": receipt.created_at,
                }
                for receipt in receipts
            ],
        )


@functools.cache
def _inserting() -> Executable:
    return insert(cast(Table, CommandReceipt.__table__))


def record_receipt(
    session: AsyncSession, actor_key: str, command_id: str, command_type: str, result: dict[str, Any]
) -> None:
    session.add(new_receipt(actor_key, command_id, command_type, result))


def replayed(receipt: CommandReceipt, command: ClientCommand) -> Ack | ErrorFrame:
    """What a command gets whose receipt exists: the stored result, unless its id was used for
    another type of command."""
    if receipt.command_type != command.type:
        return ErrorFrame(
            code=ErrorCode.ID_REUSED, message=f"id {command.id!r} was used for {receipt.command_type}", ref=command.id
        )
    return Ack(ref=command.id, result=receipt.result["result"])


async def prune_receipts(session: AsyncSession, before: datetime) -> None:
    await session.execute(delete(CommandReceipt).where(CommandReceipt.created_at < before))
