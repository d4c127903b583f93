"""The projector link and what it reads: the meeting it presents, each room's current question
with its results, and the plenary, never a participant's name or email."""

from __future__ import annotations

import uuid

from pydantic import BaseModel

from app.realtime.protocol import QuestionTally, QuestionView
from app.vocabulary import QuestionState


class ProjectorLinkRead(BaseModel):
    """The projector's page: open it on the projector's computer, no sign-in needed (null while
    the meeting has no projector link)."""

    url: str | None


class ProjectorRead(BaseModel):
    """What a projector needs to start: the meeting, its stream, and how people join it."""

    meeting_id: uuid.UUID
    title: str
    stream: str
    join_code: str
    # The short address people type, and the same with the code filled in (the QR code's).
    join_address: str
    join_url: str


class ProjectorRoomQuestion(BaseModel):
    """A room's current question (the live one, else the one that closed last) and its results
    where the room itself may see them (``tally`` null otherwise, and for open questions)."""

    room_id: uuid.UUID
    room_name: str
    state: QuestionState
    question: QuestionView
    respondents: int
    tally: QuestionTally | None
