from __future__ import annotations

import uuid

from pydantic import ConfigDict, Field

from app.inputs import Input
from app.realtime.protocol import RoomView

# Far above any breakout room (the reference meeting seats eight); it only stops typos like 80000.
ROOM_CAPACITY_MAX = 10_000


class RoomCreate(Input):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"name": "Room 1", "theme": "Criminalisation under the protocol", "capacity": 8}]
        }
    )

    name: str = Field(min_length=1, max_length=120)
    theme: str = Field(default="", max_length=200)
    capacity: int | None = Field(default=None, ge=1, le=ROOM_CAPACITY_MAX, description="None: unlimited")
    position: int | None = Field(default=None, ge=0, le=10_000, description="None: after the last room")


class RoomUpdate(Input):
    """Only the fields sent change; ``capacity: null`` makes the room unlimited."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"theme": "International cooperation", "capacity": 10}]})

    name: str | None = Field(default=None, min_length=1, max_length=120)
    theme: str | None = Field(default=None, max_length=200)
    capacity: int | None = Field(default=None, ge=1, le=ROOM_CAPACITY_MAX)
    position: int | None = Field(default=None, ge=0, le=10_000)


class RoomModeratorsSet(Input):
    """The room's moderators after the call (replaces the previous set)."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"participant_ids": ["6f1c2a9e-3b7d-4c1e-9a57-0d2b8f4e6a11"]}]}
    )

    participant_ids: list[uuid.UUID] = Field(max_length=20)


RoomRead = RoomView
