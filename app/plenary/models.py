from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.database import Base, CreatedMixin, IdMixin, utcnow


class PlenaryState(Base):
    """Where the plenary view stands: what the projector shows, and a version that every
    curation or navigation bumps (clients refetch when it moves on)."""

    __tablename__ = "plenary_states"

    meeting_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True)
    version: Mapped[int] = mapped_column(default=0)
    focus_room_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("rooms.id", ondelete="SET NULL"))
    focus_question_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("questions.id", ondelete="SET NULL"))
    # Which page of the focused room or question is shown, when its content fills more than one.
    focus_page: Mapped[int] = mapped_column(default=0, server_default="0")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class CuratedGroup(IdMixin, CreatedMixin, Base):
    """A cross-room group the organiser accepted (and perhaps split, merged, renamed or pinned).

    It is keyed by its members (``answer:<id>`` / ``finding:<id>``), not by the computed group it
    came from, so it survives recomputation: new answers fall into computed groups, members
    that are deleted, hidden or merged away simply drop out when the view is built.
    """

    __tablename__ = "curated_groups"

    meeting_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"), index=True)
    # The organiser's headline; None shows the member text closest to the group's centre.
    label: Mapped[str | None] = mapped_column(String(300))
    pinned: Mapped[bool] = mapped_column(default=False)
    # The theme the organiser put the group in, by name (a computed theme of that name, or one of
    # the organiser's own); None leaves it outside any theme.
    theme_label: Mapped[str | None] = mapped_column(String(300))
    member_keys: Mapped[list[Any]]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
