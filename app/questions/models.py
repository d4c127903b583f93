from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, false, text
from sqlalchemy.orm import Mapped, mapped_column

from app.database import Base, IdMixin


class Question(IdMixin, Base):
    """A question of the meeting-wide bank, grouped by theme."""

    __tablename__ = "questions"

    meeting_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(20), default="")
    theme: Mapped[str] = mapped_column(String(200), default="")
    text: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(20))
    # [{"id": "a", "label": "…"}] for choice questions.
    options: Mapped[list[Any]]
    scale_min: Mapped[int | None]
    scale_max: Mapped[int | None]
    # {"1": "not at all", "5": "fully"}
    scale_labels: Mapped[dict[str, Any]]
    anonymity: Mapped[str] = mapped_column(String(30))
    visibility: Mapped[str] = mapped_column(String(20))
    position: Mapped[int] = mapped_column(default=0)


class Allocation(IdMixin, Base):
    """A question allocated to a room: its order there, its state (pending → live → closed) and
    whether its answers are shown grouped there."""

    __tablename__ = "allocations"
    __table_args__ = (
        UniqueConstraint("room_id", "question_id"),
        # At most one live question per room, enforced by the database too.
        Index(
            "uq_allocations_one_live_per_room",
            "room_id",
            unique=True,
            sqlite_where=text("state = 'live'"),
            postgresql_where=text("state = 'live'"),
        ),
    )

    room_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("rooms.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    state: Mapped[str] = mapped_column(String(20), default="pending")
    pushed_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    # The room sees its answers to this (open) question in groups of similar answers.
    grouped: Mapped[bool] = mapped_column(default=False, server_default=false())
