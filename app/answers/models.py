from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.database import Base, CreatedMixin, IdMixin, utcnow


class Answer(IdMixin, CreatedMixin, Base):
    __tablename__ = "answers"
    __table_args__ = (
        # A retried submit carries the same client id and finds the answer it already made.
        UniqueConstraint("author_id", "client_id"),
        # One answer per person per choice or scale question in a room: answering again replaces it.
        UniqueConstraint("author_id", "room_id", "sole_question_id"),
        Index("ix_answers_room_id_question_id", "room_id", "question_id"),
    )

    meeting_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    room_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("rooms.id", ondelete="CASCADE"))
    question_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"))
    # None only for a merged answer made by an organiser's account (no roster entry to name).
    author_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    client_id: Mapped[str] = mapped_column(String(64))
    text: Mapped[str | None] = mapped_column(Text)
    choice_ids: Mapped[list[Any] | None]
    scale_value: Mapped[int | None]
    # The question's id on an answer to a choice or scale question (one per author and room; NULLs
    # never collide, so open-text answers, several per author, leave it empty).
    sole_question_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    hidden: Mapped[bool] = mapped_column(default=False)
    pinned: Mapped[bool] = mapped_column(default=False)
    # Set on an answer that a moderator merged into another (the merged one lists its sources).
    merged_into_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("answers.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class AnswerSource(Base):
    """Provenance of a merged answer: the duplicates it was made from."""

    __tablename__ = "answer_sources"

    answer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("answers.id", ondelete="CASCADE"), primary_key=True)
    source_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("answers.id", ondelete="CASCADE"), primary_key=True)


class Vote(CreatedMixin, Base):
    """One upvote per participant per answer."""

    __tablename__ = "votes"

    answer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("answers.id", ondelete="CASCADE"), primary_key=True)
    participant_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True
    )
