from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.database import Base, CreatedMixin, IdMixin


class RaisedHand(IdMixin, CreatedMixin, Base):
    """A participant's hand raised in their breakout room, to ask its moderator for help."""

    __tablename__ = "raised_hands"
    __table_args__ = (
        # One open hand per person: the owner's id while the hand is up, NULL once it is down
        # (NULLs never collide), so a double tap or two devices racing raise it once.
        UniqueConstraint("open_participant_id"),
    )

    meeting_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    room_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("rooms.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"), index=True)
    open_participant_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    status: Mapped[str] = mapped_column(String(16))
    acknowledged_at: Mapped[datetime | None]
    lowered_at: Mapped[datetime | None]
