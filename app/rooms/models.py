from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.database import Base, IdMixin

# Long enough for meeting links with passcodes and tracking parameters; short enough to show.
ROOM_CALL_URL_MAX = 500


class Room(IdMixin, Base):
    __tablename__ = "rooms"

    meeting_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    theme: Mapped[str] = mapped_column(String(200), default="")
    capacity: Mapped[int | None]
    position: Mapped[int] = mapped_column(default=0)
    # The room's video call (Zoom, Jitsi, BigBlueButton …): only its own people are given it.
    call_url: Mapped[str | None] = mapped_column(String(ROOM_CALL_URL_MAX), default=None)
    # Its moderator finished the room before the rooms close (``rooms.finishing``); a new round of
    # breakouts opens it again.
    finished_at: Mapped[datetime | None] = mapped_column(default=None)


class RoomModerator(Base):
    __tablename__ = "room_moderators"

    room_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("rooms.id", ondelete="CASCADE"), primary_key=True)
    participant_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True
    )
