from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.database import Base, CreatedMixin, IdMixin
from app.vocabulary import Anonymity, Phase


class Meeting(IdMixin, CreatedMixin, Base):
    __tablename__ = "meetings"

    owner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("accounts.id", ondelete="RESTRICT"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    languages: Mapped[list[Any]]
    default_anonymity: Mapped[str] = mapped_column(String(30), default=Anonymity.ANONYMOUS_TO_PEERS)
    phase: Mapped[str] = mapped_column(String(20), default=Phase.DRAFT)
    # No foreign key (it would be circular with agenda_items.meeting_id); the service checks it
    # and deleting an agenda item clears it.
    current_item_id: Mapped[uuid.UUID | None]
    assignment_mode: Mapped[str] = mapped_column(String(20), default="manual")
    # A short code a participant can type instead of following a link.
    join_code: Mapped[str] = mapped_column(String(12), unique=True)
    # Set while the breakouts are closing: every client counts down to it.
    breakouts_close_at: Mapped[datetime | None]
    # The phase the meeting enters when that countdown ends (report_back or plenary).
    breakouts_next_phase: Mapped[str | None] = mapped_column(String(20))
    # The breakouts' planned end: the close countdown starts by itself then (None: no plan).
    breakouts_end_at: Mapped[datetime | None]
    # How long that countdown runs, as the organiser chose when opening the rooms.
    breakouts_countdown_s: Mapped[int] = mapped_column(default=0, server_default="0")
    # When the current phase began: a broadcast sent before it belongs to an earlier phase.
    phase_changed_at: Mapped[datetime | None]
    # The report link's current token id; None when no link is shared (revoking clears it).
    report_token_id: Mapped[uuid.UUID | None]
    # The projector link's current token id; None when there is none (revoking clears it).
    projector_token_id: Mapped[uuid.UUID | None]


class AgendaItem(IdMixin, Base):
    __tablename__ = "agenda_items"

    meeting_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20))
    speaker: Mapped[str] = mapped_column(String(200), default="")
    planned_minutes: Mapped[int] = mapped_column(default=0)
    position: Mapped[int] = mapped_column(default=0)
