"""Frames as text: every event is serialised once per audience and the same string is queued for
every socket of that audience (the ASGI server frames and UTF-8-encodes it per socket)."""

from __future__ import annotations

from pydantic import BaseModel
from pydantic_core import to_json

from app.realtime.eventlog import CommittedEvent


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
