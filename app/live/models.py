from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.database import Base, CreatedMixin


class SocketTicket(CreatedMixin, Base):
    """A single-use pass to open ``/ws``. Only its hash is stored, in the database so that any
    process may redeem it; redeeming deletes it."""

    __tablename__ = "socket_tickets"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    meeting_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    account_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    participant_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    # Set for a projector's ticket (no account, no participant): the projector link it came
    # from, which must still be the meeting's when the socket opens.
    projector_token_id: Mapped[uuid.UUID | None]
    # The sessions it was issued to: once either is revoked (or expires), the ticket opens nothing.
    account_session_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("auth_sessions.id", ondelete="CASCADE"))
    participant_session_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("auth_sessions.id", ondelete="CASCADE"))
    expires_at: Mapped[datetime] = mapped_column(index=True)
