"""Command receipts: the result of every command, keyed by who sent it and the id they gave it.

A retried command (a lost ack, a resend after reconnect) finds its receipt and gets the original
result back; the unique key makes a racing duplicate fail instead of acting twice.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import String, delete
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from app.database import Base, utcnow


class CommandReceipt(Base):
    __tablename__ = "command_receipts"

    actor_key: Mapped[str] = mapped_column(String(80), primary_key=True)
    command_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    command_type: Mapped[str] = mapped_column(String(60))
    result: Mapped[dict[str, Any]]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


async def find_receipt(session: AsyncSession, actor_key: str, command_id: str) -> CommandReceipt | None:
    return await session.get(CommandReceipt, (actor_key, command_id))


def record_receipt(
    session: AsyncSession, actor_key: str, command_id: str, command_type: str, result: dict[str, Any]
) -> None:
    session.add(CommandReceipt(actor_key=actor_key, command_id=command_id, command_type=command_type, result=result))


async def prune_receipts(session: AsyncSession, before: datetime) -> None:
    await session.execute(delete(CommandReceipt).where(CommandReceipt.created_at < before))
