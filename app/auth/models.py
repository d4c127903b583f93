from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.database import Base, CreatedMixin, IdMixin


class Account(IdMixin, CreatedMixin, Base):
    """An organiser's account. Moderators and participants have none: they join by invite."""

    __tablename__ = "accounts"

    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(200))


class AuthSession(IdMixin, CreatedMixin, Base):
    """A signed-in session: an organiser's (account) or a participant's (from an invite)."""

    __tablename__ = "auth_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    account_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    participant_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class Invite(IdMixin, CreatedMixin, Base):
    """A signed, revocable link. Personal when ``participant_id`` is set; otherwise it lets anyone
    with the link join the meeting as a new participant (or observer) of the given room."""

    __tablename__ = "invites"

    meeting_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    room_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("rooms.id", ondelete="SET NULL"))
    participant_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    # A sign-in link for an organiser's account (issued from the command line, e.g. by the demo).
    account_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    label: Mapped[str] = mapped_column(String(120), default="")
    expires_at: Mapped[datetime | None]
    # Revoked by an organiser; for an account's sign-in link, which opens once: when it was used.
    revoked_at: Mapped[datetime | None]


class LoginFailure(IdMixin, CreatedMixin, Base):
    """A failed login, kept for throttling per account and per address."""

    __tablename__ = "login_failures"

    email: Mapped[str] = mapped_column(String(254), index=True)
    address: Mapped[str] = mapped_column(String(64), index=True)
