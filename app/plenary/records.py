"""Answers as plain records: a large meeting's answers are read, sorted, counted and grouped many
times per view, and plain attributes cost a fraction of the ORM's instrumented ones."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class AnswerRecord:
    """One row of ``answers``, whatever its moderation state."""

    id: uuid.UUID
    room_id: uuid.UUID
    question_id: uuid.UUID
    author_id: uuid.UUID | None
    text: str | None
    choice_ids: list[str] | None
    scale_value: int | None
    hidden: bool
    pinned: bool
    merged_into_id: uuid.UUID | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class ShownAnswer:
    """An answer a view shows, with its votes."""

    id: uuid.UUID
    room_id: uuid.UUID
    question_id: uuid.UUID
    author_id: uuid.UUID | None
    text: str | None
    choice_ids: list[str] | None
    scale_value: int | None
    pinned: bool
    created_at: datetime
    votes: int

    @property
    def has_text(self) -> bool:
        return bool(self.text and self.text.strip())

    @classmethod
    def of(cls, answer: AnswerRecord, votes: int) -> ShownAnswer:
        return cls(
            id=answer.id,
            room_id=answer.room_id,
            question_id=answer.question_id,
            author_id=answer.author_id,
            text=answer.text,
            choice_ids=answer.choice_ids,
            scale_value=answer.scale_value,
            pinned=answer.pinned,
            created_at=answer.created_at,
            votes=votes,
        )
