from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.database import Base, CreatedMixin, IdMixin


class Participant(IdMixin, CreatedMixin, Base):
    __tablename__ = "participants"
    __table_args__ = (
        UniqueConstraint("meeting_id", "pseudonym"),
        UniqueConstraint("meeting_id", "import_key"),
    )

    meeting_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    display_name: Mapped[str] = mapped_column(String(120))
    # Shown instead of the name where a question's anonymity hides the author, and after erasure.
    pseudonym: Mapped[str] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(254))
    organisation: Mapped[str] = mapped_column(String(200), default="")
    organisation_type: Mapped[str | None] = mapped_column(String(40))
    gender: Mapped[str | None] = mapped_column(String(20))
    role: Mapped[str] = mapped_column(String(20))
    room_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("rooms.id", ondelete="SET NULL"), index=True)
    # The identity of an imported row (email, else name and organisation): re-importing a fixed
    # file updates the row instead of creating a second one.
    import_key: Mapped[str | None] = mapped_column(String(400))
    # ``JoinedBy``: the organisers tell a walk-in (to match to the roster) from someone they listed.
    joined_by: Mapped[str] = mapped_column(String(20), default="roster", server_default="roster")
    erased_at: Mapped[datetime | None]


class Erasure(IdMixin, CreatedMixin, Base):
    """The record that a participant's personal data was erased, by whom and when."""

    __tablename__ = "erasures"

    meeting_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    erased_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("accounts.id", ondelete="RESTRICT"))
    reason: Mapped[str] = mapped_column(String(500), default="")
