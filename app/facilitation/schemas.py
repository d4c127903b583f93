from __future__ import annotations

import uuid
from typing import Annotated

from pydantic import ConfigDict, Field, StringConstraints

from app.inputs import Input
from app.realtime.protocol import BroadcastView, HelpRequestView, TimerView

# A day: long enough for any session, short enough that a typo in minutes vs seconds shows.
TIMER_MAX_S = 24 * 3600
BROADCAST_MAX = 500
HELP_MESSAGE_MAX = 500


class TimerCreate(Input):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"room_id": None, "seconds": 900, "label": "Breakout discussion"}]}
    )

    room_id: uuid.UUID | None = Field(default=None, description="The room's timer; none for the meeting-wide one.")
    seconds: int = Field(ge=1, le=TIMER_MAX_S)
    label: str = Field(default="", max_length=120)


class TimerExtension(Input):
    model_config = ConfigDict(json_schema_extra={"examples": [{"seconds": 120}]})

    seconds: int = Field(ge=1, le=TIMER_MAX_S)


class BroadcastCreate(Input):
    model_config = ConfigDict(json_schema_extra={"examples": [{"message": "Five minutes left in the rooms."}]})

    message: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=BROADCAST_MAX)]


class HelpCreate(Input):
    model_config = ConfigDict(json_schema_extra={"examples": [{"message": "Two participants cannot hear us."}]})

    message: Annotated[str, StringConstraints(strip_whitespace=True, max_length=HELP_MESSAGE_MAX)] = ""


TimerRead = TimerView
BroadcastRead = BroadcastView
HelpRead = HelpRequestView
