from __future__ import annotations

import uuid
from typing import Annotated

from pydantic import ConfigDict, Field

from app.inputs import Input
from app.realtime.protocol import AgendaItemView, MeetingView
from app.vocabulary import AgendaKind, Anonymity, AssignmentMode, Phase

LanguageTag = Annotated[str, Field(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$", max_length=20)]


class MeetingCreate(Input):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "title": "Think tank policy session on migrant smuggling",
                    "languages": ["en", "bn"],
                    "default_anonymity": "anonymous_to_peers",
                }
            ]
        }
    )

    title: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=5000)
    languages: list[LanguageTag] = Field(default_factory=lambda: ["en"], min_length=1, max_length=10)
    default_anonymity: Anonymity = Anonymity.ANONYMOUS_TO_PEERS


class MeetingUpdate(Input):
    title: str | None = Field(default=None, min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=5000)
    languages: list[LanguageTag] | None = Field(default=None, min_length=1, max_length=10)
    default_anonymity: Anonymity | None = None
    assignment_mode: AssignmentMode | None = None


class AgendaItemCreate(Input):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"title": "Welcome and purpose", "kind": "talk", "planned_minutes": 5}]}
    )

    title: str = Field(min_length=1, max_length=300)
    kind: AgendaKind = AgendaKind.TALK
    speaker: str = Field(default="", max_length=200)
    planned_minutes: int = Field(default=0, ge=0, le=24 * 60)
    position: int | None = Field(default=None, ge=0, le=10_000)


class AgendaItemUpdate(Input):
    title: str | None = Field(default=None, min_length=1, max_length=300)
    kind: AgendaKind | None = None
    speaker: str | None = Field(default=None, max_length=200)
    planned_minutes: int | None = Field(default=None, ge=0, le=24 * 60)
    position: int | None = Field(default=None, ge=0, le=10_000)


AgendaItemRead = AgendaItemView
MeetingRead = MeetingView


# Ten minutes: long enough to finish a sentence, short enough not to be a second session.
MAX_BREAKOUTS_COUNTDOWN_S = 600
# Twelve hours: a whole day's workshop; a longer plan is a typing mistake.
MAX_BREAKOUTS_DURATION_S = 12 * 3600


class PhaseChange(Input):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"phase": "breakouts", "duration_s": 1200, "countdown_s": 60},
                {"phase": "report_back", "countdown_s": 60},
            ]
        }
    )

    phase: Phase
    countdown_s: int = Field(
        default=0,
        ge=0,
        le=MAX_BREAKOUTS_COUNTDOWN_S,
        description="When leaving breakouts: close the rooms after this many seconds, counted down on every "
        "screen; 0 closes them at once. When opening them with a `duration_s`: the length of the countdown "
        "that starts by itself at the planned end (0 closes them at the planned end).",
    )
    duration_s: int | None = Field(
        default=None,
        ge=1,
        le=MAX_BREAKOUTS_DURATION_S,
        description="Only when opening breakouts: the planned duration in seconds; at its end the close "
        "countdown starts by itself and the rooms then return to report-back.",
    )
    item_id: uuid.UUID | None = Field(
        default=None,
        description="The agenda item to make current; without it the current item follows the phase "
        "(the next item of the phase's kind).",
    )


class CountdownExtension(Input):
    model_config = ConfigDict(json_schema_extra={"examples": [{"seconds": 60}]})

    seconds: int = Field(ge=1, le=3600, description="Added to the running countdown, or else to the planned end.")


class CurrentItemChange(Input):
    item_id: uuid.UUID | None
