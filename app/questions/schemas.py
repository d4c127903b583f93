from __future__ import annotations

import uuid
from typing import Annotated

from pydantic import ConfigDict, Field, JsonValue, StringConstraints

from app.inputs import Input
from app.realtime.protocol import AllocationsChanged, AllocationView, QuestionOption, QuestionView
from app.vocabulary import Anonymity, QuestionKind, Visibility

QUESTION_TEXT_MAX = 1000
# Far beyond any sensible scale; the shape check gives the precise rule (span, order).
SCALE_BOUND = 100
# A DoS guard only: the shape check reports the real limit (20 options) with a clear message.
OPTIONS_ACCEPTED_MAX = 100

QuestionText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=QUESTION_TEXT_MAX)]
QuestionCode = Annotated[str, StringConstraints(strip_whitespace=True, max_length=20)]
Theme = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
ScaleBound = Annotated[int, Field(ge=-SCALE_BOUND, le=SCALE_BOUND)]
ScaleLabel = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
Position = Annotated[int, Field(ge=0, le=10_000)]

_EXAMPLE: dict[str, JsonValue] = {
    "code": "S1",
    "theme": "Criminalisation",
    "text": "How far does national law criminalise smuggling as the Protocol requires?",
    "kind": "scale",
    "scale_min": 1,
    "scale_max": 5,
    "scale_labels": {"1": "not at all", "5": "fully"},
    "anonymity": "anonymous_to_peers",
    "visibility": "live",
}


class QuestionCreate(Input):
    model_config = ConfigDict(json_schema_extra={"examples": [_EXAMPLE]})

    code: QuestionCode = ""
    theme: Theme = ""
    text: QuestionText
    kind: QuestionKind = QuestionKind.OPEN
    options: list[QuestionOption] = Field(default_factory=list, max_length=OPTIONS_ACCEPTED_MAX)
    scale_min: ScaleBound | None = None
    scale_max: ScaleBound | None = None
    scale_labels: dict[str, ScaleLabel] = Field(default_factory=dict, max_length=2 * SCALE_BOUND + 1)
    anonymity: Anonymity | None = Field(default=None, description="Defaults to the meeting's default anonymity.")
    visibility: Visibility = Visibility.LIVE
    position: Position | None = Field(default=None, description="Order within the theme; defaults to last.")


class QuestionUpdate(Input):
    """Only the fields given change. Changing ``kind``, ``options`` or the scale of a question that
    has answers is refused (409), and so is weakening its anonymity."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"text": "How far does national law go?"}]})

    code: QuestionCode | None = None
    theme: Theme | None = None
    text: QuestionText | None = None
    kind: QuestionKind | None = None
    options: list[QuestionOption] | None = Field(default=None, max_length=OPTIONS_ACCEPTED_MAX)
    scale_min: ScaleBound | None = None
    scale_max: ScaleBound | None = None
    scale_labels: dict[str, ScaleLabel] | None = Field(default=None, max_length=2 * SCALE_BOUND + 1)
    anonymity: Anonymity | None = None
    visibility: Visibility | None = None
    position: Position | None = None


class AllocationsUpdate(Input):
    """The complete set of rooms the question is allocated to."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"room_ids": ["0b7f6c1e-8f1a-4a57-9a51-6d8a0c6f4a10"]}]})

    room_ids: list[uuid.UUID] = Field(max_length=200)


class RoomQuestionOrder(Input):
    """Every question allocated to the room, in the order the moderator will take them."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"question_ids": ["5d0c7c52-2b1e-4d8e-9a51-0f3f7e0d2b11"]}]}
    )

    question_ids: list[uuid.UUID] = Field(max_length=500)


QuestionRead = QuestionView
AllocationRead = AllocationView


class GroupingUpdate(Input):
    model_config = ConfigDict(json_schema_extra={"examples": [{"grouped": True}]})

    grouped: bool


# The same shape as the ``question.allocated`` event, so a client reduces both alike.
RoomQuestionsRead = AllocationsChanged
