from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.database import Base, CreatedMixin, IdMixin


class Timer(IdMixin, CreatedMixin, Base):
    """A server deadline, for one room or (room_id None) the whole meeting. Clients count down."""

    __tablename__ = "timers"

    meeting_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    room_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("rooms.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(120), default="")
    ends_at: Mapped[datetime]
    stopped_at: Mapped[datetime | None]


class HelpRequest(IdMixin, CreatedMixin, Base):
    """A room's call for the organiser's help."""

    __tablename__ = "help_requests"

    meeting_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    room_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("rooms.id", ondelete="CASCADE"))
    requested_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("participants.id", ondelete="SET NULL"))
    message: Mapped[str] = mapped_column(Text, default="")
    resolved_at: Mapped[datetime | None]


class Broadcast(IdMixin, CreatedMixin, Base):
    """A message from the organiser to every room."""

    __tablename__ = "broadcasts"

    meeting_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    message: Mapped[str] = mapped_column(Text)
