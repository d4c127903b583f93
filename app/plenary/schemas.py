"""The plenary view (what ``GET /plenary`` returns) and the organiser's curation requests.

Every item keeps its provenance: the room it came from (id and name), its question, the answers it
rests on, and its author only as the question's anonymity allows the reader (see ``disclosure``).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from app.inputs import Input
from app.realtime.protocol import QuestionView
from app.vocabulary import Phase

# Pages of one room or question a presenter can step through: far more than a report-back needs
# (a page holds a few findings), and a bound on what a client can ask for.
FOCUS_PAGE_LIMIT = 99

# ``answer:<uuid>`` or ``finding:<uuid>``: what a group is made of, stable across recomputation.
MemberKey = Annotated[
    str, Field(pattern=r"^(answer|finding):[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
]
# A group as big as a whole question's answers in a large meeting.
MEMBER_KEYS_MAX = 5000
Verdict = Literal["rooms agree", "rooms diverge"]


class RoomRef(BaseModel):
    id: uuid.UUID
    name: str
    theme: str


class PlenaryAnswer(BaseModel):
    id: uuid.UUID
    room_id: uuid.UUID
    room_name: str
    question_id: uuid.UUID
    question_code: str
    text: str | None
    choice_ids: list[str] | None
    scale_value: int | None
    # A name, a pseudonym (reports only) or None, as the question's anonymity allows the reader.
    author: str | None
    votes: int
    pinned: bool
    # The answers a moderator merged into this one.
    source_ids: list[uuid.UUID]
    created_at: datetime


class PlenaryFinding(BaseModel):
    id: uuid.UUID
    room_id: uuid.UUID
    room_name: str
    question_id: uuid.UUID | None
    question_code: str | None
    text: str
    status: Literal["proposed", "confirmed"]
    endorsements: int
    confirmed_at: datetime | None
    sources: list[PlenaryAnswer]


class OptionCount(BaseModel):
    option_id: str
    label: str
    count: int
    # Of the respondents (a multiple-choice question's shares may add up to more than 1).
    share: float


class ScaleCount(BaseModel):
    value: int
    label: str
    count: int


class Distribution(BaseModel):
    respondents: int
    options: list[OptionCount] = []
    scale: list[ScaleCount] = []
    mean: float | None = None


class Divergence(BaseModel):
    """How far apart the rooms are on a choice or scale question.

    ``mean_range``: the largest difference between two rooms' means, as a share of the scale's
    span (``spread`` gives it in scale points). ``total_variation``: the largest total variation
    distance between two rooms' choice distributions (the share of choices that would have to
    change for the two rooms to answer alike).
    """

    measure: Literal["mean_range", "total_variation"]
    value: float
    spread: float | None = None
    threshold: float
    verdict: Verdict
    rooms_compared: int
    furthest_apart: list[uuid.UUID]


class RoomColumn(BaseModel):
    room: RoomRef
    answers: int
    respondents: int
    participants: int
    findings: list[PlenaryFinding]
    top_answers: list[PlenaryAnswer]
    distribution: Distribution | None = None


class GroupMember(BaseModel):
    key: str
    kind: Literal["answer", "finding"]
    id: uuid.UUID
    room_id: uuid.UUID
    room_name: str
    text: str
    votes: int
    author: str | None
    # The answer itself (and what was merged into it), or the answers a finding cites.
    answer_ids: list[uuid.UUID]


class PlenaryGroup(BaseModel):
    # A curated group's id (a UUID), or ``computed:<digest of its members>`` for a computed one.
    id: str
    question_id: uuid.UUID
    label: str
    renamed: bool
    pinned: bool
    curated: bool
    rooms: list[RoomRef]
    room_count: int
    rooms_answered: int
    raised_in: str
    members: list[GroupMember]
    # The theme holding the group: an id shared by the groups of one theme and its name. A computed
    # theme's id is ``theme:<member key>``; a curated group is in the theme the organiser put it in
    # (that computed theme's id when one has the name, else ``named:<name>``), or in none.
    theme_id: str | None = None
    theme_label: str | None = None
    # Whether the organiser chose the group's theme (moved it, or renamed the theme).
    theme_curated: bool = False


class PointTheme(BaseModel):
    """A theme of one question: the groups (points) on one subject, and the rooms that raised it."""

    id: str
    label: str
    # Whether the organiser named it (renamed it, or moved points into a theme of their own).
    curated: bool
    group_ids: list[str]
    rooms: list[RoomRef]
    room_count: int
    rooms_answered: int
    raised_in: str


class PlenaryQuestion(BaseModel):
    question: QuestionView
    shared: bool
    rooms_answered: int
    rooms: list[RoomColumn]
    overall: Distribution | None = None
    divergence: Divergence | None = None
    groups: list[PlenaryGroup]
    # The groups by theme (most rooms first); a group outside any theme is in none.
    point_themes: list[PointTheme] = []
    # Answers with text and confirmed findings in no group (said in one room only, or alike no
    # other), room by room as a group's members are.
    ungrouped: list[GroupMember] = []


class PlenaryTheme(BaseModel):
    theme: str
    questions: list[PlenaryQuestion]
    # Confirmed findings tied to no question, from the rooms of this theme.
    findings: list[PlenaryFinding]


class RoomSummary(BaseModel):
    room: RoomRef
    participants: int
    answers: int
    confirmed_findings: int


class PlenaryFocus(BaseModel):
    room_id: uuid.UUID | None
    question_id: uuid.UUID | None
    version: int
    page: int = 0


class PlenaryRead(BaseModel):
    meeting_id: uuid.UUID
    phase: Phase
    focus: PlenaryFocus
    rooms: list[RoomSummary]
    themes: list[PlenaryTheme]


class PlenaryGroupsRead(BaseModel):
    """A question's groups after a curation step (the client replaces its list with these)."""

    question_id: uuid.UUID
    version: int
    groups: list[PlenaryGroup]
    point_themes: list[PointTheme] = []


# --- requests ---------------------------------------------------------------------------------


class PlenaryFocusUpdate(Input):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"room_id": "0b7f3c1e-8d0a-4a51-9a43-2f6e51c0d9a1", "question_id": None}, {}]}
    )

    room_id: uuid.UUID | None = None
    question_id: uuid.UUID | None = None
    # The page of the room or question shown, when its content fills more than one screen.
    page: int = Field(default=0, ge=0, le=FOCUS_PAGE_LIMIT)


class GroupAccept(Input):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "question_id": "6a1c0b7e-1d2f-4e3a-9b8c-7d6e5f4a3b2c",
                    "keys": [
                        "answer:1f0e2d3c-4b5a-4968-8776-655443322110",
                        "finding:9a8b7c6d-5e4f-4a3b-9c2d-1e0f0a1b2c3d",
                    ],
                    "label": "Ratify the protocol within a year",
                    "pinned": True,
                }
            ]
        }
    )

    question_id: uuid.UUID
    keys: list[MemberKey] = Field(min_length=1, max_length=MEMBER_KEYS_MAX)
    label: str | None = Field(default=None, min_length=1, max_length=300)
    pinned: bool = False
    # The theme to put the group in, by name; none leaves it outside any theme.
    theme_label: str | None = Field(default=None, min_length=1, max_length=300)


class GroupUpdate(Input):
    """``label`` null goes back to the computed headline; an absent field is left as it is."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"label": "Train prosecutors together", "pinned": True}]})

    label: str | None = Field(default=None, min_length=1, max_length=300)
    pinned: bool | None = None
    # Move the group to the theme of this name; null takes it out of any theme.
    theme_label: str | None = Field(default=None, min_length=1, max_length=300)


class ThemeRename(Input):
    """Name a theme of a question: every group in it keeps that name as its theme (computed ones
    are accepted as curated groups to do so)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "question_id": "6a1c0b7e-1d2f-4e3a-9b8c-7d6e5f4a3b2c",
                    "theme_id": "theme:answer:1f0e2d3c",
                    "label": "Health care",
                }
            ]
        }
    )

    question_id: uuid.UUID
    theme_id: str = Field(min_length=1, max_length=400)
    label: str = Field(min_length=1, max_length=300)


class GroupSplit(Input):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"keys": ["answer:1f0e2d3c-4b5a-4968-8776-655443322110"], "label": None}]}
    )

    keys: list[MemberKey] = Field(min_length=1, max_length=MEMBER_KEYS_MAX)
    label: str | None = Field(default=None, min_length=1, max_length=300)


class GroupMerge(Input):
    model_config = ConfigDict(json_schema_extra={"examples": [{"group_id": "3c2b1a09-8f7e-4d6c-9b5a-493827161504"}]})

    group_id: uuid.UUID
