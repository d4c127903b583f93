"""Frames as text. Every event is serialised once per audience and the same string is queued for
every socket of that audience (the ASGI server frames and UTF-8-encodes it per socket). Client
frames are parsed here too, and a malformed one becomes the ``error`` frame that answers it."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic_core import to_json

from app.realtime.eventlog import CommittedEvent
from app.realtime.limits import ErrorCode
from app.realtime.protocol import ClientFrame, ErrorFrame


class EncodedEvent:
    """A committed event and its two wire forms, each built on first use and then shared."""

    __slots__ = ("_public", "_staff", "event")

    def __init__(self, event: CommittedEvent) -> None:
        self.event = event
        self._public: str | None = None
        self._staff: str | None = None

    @property
    def seq(self) -> int:
        return self.event.seq

    def text_for(self, staff: bool) -> str:
        """The frame for staff (``staff_payload`` when the event has one) or for everyone else."""
        if staff and self.event.staff_payload is not None:
            if self._staff is None:
                self._staff = _event_text(self.event, self.event.staff_payload)
            return self._staff
        if self._public is None:
            self._public = _event_text(self.event, self.event.payload)
        return self._public


def _event_text(event: CommittedEvent, data: object) -> str:
    frame = {"type": event.type, "stream": event.stream, "seq": event.seq, "at": event.at, "data": data}
    return to_json(frame).decode()


def control_text(frame: BaseModel) -> str:
    return frame.model_dump_json()


CLIENT_FRAME: TypeAdapter[Any] = TypeAdapter(ClientFrame)


def read_client_frame(text: str) -> Any:
    """The frame (a ``ClientFrame``), or the ``ErrorFrame`` that answers a malformed one."""
    try:
        return CLIENT_FRAME.validate_json(text)
    except ValidationError as invalid:
        code, explanation = _explain(invalid)
        return ErrorFrame(code=code, message=explanation, ref=ref_of(text))


def _explain(invalid: ValidationError) -> tuple[ErrorCode, str]:
    first = invalid.errors(include_url=False)[0]
    kind = first["type"]
    if kind == "json_invalid":
        return ErrorCode.INVALID_JSON, "not valid JSON"
    if kind == "union_tag_invalid":
        tag = str(first.get("ctx", {}).get("tag", "?"))[:40]
        return ErrorCode.UNKNOWN_TYPE, f"unknown frame type {tag!r}"
    if kind in ("union_tag_not_found", "dict_type", "model_type"):
        return ErrorCode.UNKNOWN_TYPE, "a frame is a JSON object with a string 'type'"
    where = ".".join(str(part) for part in first["loc"][1:]) or "frame"
    return ErrorCode.INVALID_FRAME, f"{where}: {first['msg']}"


def ref_of(text: str | None) -> str | None:
    """The command id of a refused frame, when it has a plausible one."""
    if text is None:
        return None
    try:
        parsed = json.loads(text)
    except (ValueError, RecursionError):  # nested deeper than the parser goes: no id to read
        return None
    ref = parsed.get("id") if isinstance(parsed, dict) else None
    return ref if isinstance(ref, str) and 0 < len(ref) <= 64 else None
