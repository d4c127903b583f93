from __future__ import annotations

import uuid
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from app.inputs import Input
from app.realtime.protocol import ANSWER_TEXT_MAX, FindingView

# A finding cites the answers it draws on; a hundred is far beyond any room's key point.
FINDING_SOURCES_MAX = 100

FindingText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=ANSWER_TEXT_MAX)]


class FindingCreate(Input):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "text": "Smuggled migrants should be treated as victims, not criminalised.",
                    "question_id": "0b6f3c2e-8a51-4a6e-9c7d-2f1e5b4a9c10",
                    "answer_ids": ["5d2a7e10-3c4b-4f8a-a1b2-c3d4e5f60718"],
                }
            ]
        }
    )

    text: FindingText
    question_id: uuid.UUID | None = None
    answer_ids: list[uuid.UUID] = Field(default_factory=list, max_length=FINDING_SOURCES_MAX)


class FindingUpdate(Input):
    model_config = ConfigDict(json_schema_extra={"examples": [{"text": "Reworded finding", "position": 0}]})

    text: FindingText | None = None
    answer_ids: list[uuid.UUID] | None = Field(default=None, max_length=FINDING_SOURCES_MAX)
    position: int | None = Field(default=None, ge=0, le=10_000)


FindingRead = FindingView


class FindingSourceAnswer(BaseModel):
    """A source answer as the room's staff see it (they moderate it, so hidden ones show too)."""

    id: uuid.UUID
    question_id: uuid.UUID
    text: str | None
    choice_ids: list[str] | None
    scale_value: int | None
    hidden: bool


class FindingDetail(FindingView):
    """A finding with its provenance. ``sources`` is None for readers who are not the room's
    staff: an answer may be hidden, or not yet visible to peers, and the view must not leak it."""

    sources: list[FindingSourceAnswer] | None
