from __future__ import annotations

import unicodedata
import uuid
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.inputs import Input
from app.realtime.protocol import RoomView
from app.rooms.models import ROOM_CALL_URL_MAX

# Far above any breakout room (the reference meeting seats eight); it only stops typos like 80000.
ROOM_CAPACITY_MAX = 10_000


def checked_call_url(value: str | None) -> str | None:
    """A room's video call link: an absolute http(s) address with a host and nothing hidden in it.
    Blank means no link. Refused: other schemes (``javascript:``, ``data:``), user names or
    passwords before the host (``https://zoom.us@elsewhere``), spaces and control characters."""
    if value is None:
        return None
    url = value.strip()
    if not url:
        return None
    if any(unicodedata.category(char)[0] in "CZ" for char in url):
        raise ValueError("the call link may not contain spaces or control characters")
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 - reading it checks the port
    except ValueError:
        raise ValueError("the call link is not a valid web address") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise ValueError("the call link must start with https:// or http://")
    if not host:
        raise ValueError("the call link must name a host, like https://meet.example.org/room-2")
    if parts.username is not None or parts.password is not None:
        raise ValueError("the call link may not carry a user name or password before the host")
    return url


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
    call_url: str | None = Field(
        default=None,
        max_length=ROOM_CALL_URL_MAX,
        description="The room's video call (http or https); only the room's people see it",
    )

    _call_url = field_validator("call_url")(checked_call_url)


class RoomUpdate(Input):
    """Only the fields sent change; ``capacity: null`` makes the room unlimited."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"theme": "International cooperation", "capacity": 10}]})

    name: str | None = Field(default=None, min_length=1, max_length=120)
    theme: str | None = Field(default=None, max_length=200)
    capacity: int | None = Field(default=None, ge=1, le=ROOM_CAPACITY_MAX)
    position: int | None = Field(default=None, ge=0, le=10_000)
    call_url: str | None = Field(
        default=None, max_length=ROOM_CALL_URL_MAX, description="null or blank: the room has no call link"
    )

    _call_url = field_validator("call_url")(checked_call_url)


class RoomModeratorsSet(Input):
    """The room's moderators after the call (replaces the previous set)."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"participant_ids": ["6f1c2a9e-3b7d-4c1e-9a57-0d2b8f4e6a11"]}]}
    )

    participant_ids: list[uuid.UUID] = Field(max_length=20)


class RoomCallRead(BaseModel):
    """The room's video call link, for the room's own people (null: none set)."""

    room_id: uuid.UUID
    call_url: str | None


RoomRead = RoomView


class RoomFinishing(Input):
    """``finished: true`` finishes the room early; ``false`` opens it again (while the rooms are open)."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"finished": True}]})

    finished: bool
