from __future__ import annotations

import uuid
from typing import Annotated

from pydantic import ConfigDict, Field, model_validator

from app.inputs import Input
from app.realtime.protocol import ANSWER_TEXT_MAX, AnswerView, CommandId

ChoiceId = Annotated[str, Field(min_length=1, max_length=40)]
# Beyond any scale a question can have (the bank allows -100 to 100); the question gives the rule.
ScaleValue = Annotated[int, Field(ge=-1000, le=1000)]


class AnswerValue(Input):
    """The answer itself: ``text`` for open questions, ``choice_ids`` for choice questions,
    ``scale_value`` for scale questions. Sending the field of another kind is refused (422)."""

    text: str | None = Field(default=None, max_length=ANSWER_TEXT_MAX)
    choice_ids: list[ChoiceId] | None = Field(default=None, max_length=50)
    scale_value: ScaleValue | None = None


class AnswerCreate(AnswerValue):
    """``client_id`` is made by the client once per answer and sent again on every retry: a retry
    returns the original answer (200) even if its content differs, and creates nothing."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"client_id": "a-7f3c9e", "text": "Align the national definition with Article 6."}]
        }
    )

    client_id: CommandId


class AnswerUpdate(AnswerValue):
    """The new value, replacing the old one whole."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"text": "Align the definition with Article 6(1)."}]})


class AnswerModeration(Input):
    model_config = ConfigDict(json_schema_extra={"examples": [{"pinned": True}]})

    hidden: bool | None = None
    pinned: bool | None = None

    @model_validator(mode="after")
    def _something_to_change(self) -> AnswerModeration:
        if self.hidden is None and self.pinned is None:
            raise ValueError("give hidden, pinned or both")
        return self


class AnswerMergeRequest(Input):
    """Merge duplicates into one answer; ``text`` defaults to the first source's text."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "answer_ids": ["3f1c2a9e-4b8d-4e0f-9c6a-1d2e3f4a5b6c", "7a8b9c0d-1e2f-4a3b-8c5d-6e7f8a9b0c1d"],
                    "text": "Align the national definition with the Protocol.",
                }
            ]
        }
    )

    answer_ids: list[uuid.UUID] = Field(min_length=2, max_length=50)
    text: str | None = Field(default=None, max_length=ANSWER_TEXT_MAX)


class VoteRequest(Input):
    model_config = ConfigDict(json_schema_extra={"examples": [{"upvote": True}]})

    upvote: bool = True


AnswerRead = AnswerView
