"""The vocabulary of the matrix: the roles, the outcome of a cell, and what a row says."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from tests.authorisation.world import World, WorldOptions

# The columns of every row, in this order.
ROLES = (
    "organiser",  # the account that owns the meeting
    "moderator_a",  # moderator of room A (registered in room_moderators)
    "moderator_b",
    "participant_a",  # participant seated in room A
    "participant_b",
    "observer",  # reads, never writes; in no room
    "stranger",  # signed in as the organiser of ANOTHER meeting
    "anonymous",  # no session at all
)


class Outcome(Enum):
    OK = "ok"  # 2xx
    FORBIDDEN = "403"  # in the meeting, but the role or the room does not allow it
    HIDDEN = "404"  # exactly as for an id that does not exist
    UNAUTHENTICATED = "401"  # not signed in

    def admits(self, status: int) -> bool:
        return 200 <= status < 300 if self is Outcome.OK else status == int(self.value)


Expectations = Mapping[str, Outcome]


def expect(columns: str) -> Expectations:
    """One outcome per role, in the order of ``ROLES``: ``expect("ok 403 403 403 403 403 404 401")``."""
    outcomes = [Outcome(token) for token in columns.split()]
    assert len(outcomes) == len(ROLES), f"{columns!r} needs {len(ROLES)} columns"
    return dict(zip(ROLES, outcomes, strict=True))


# The usual path parameters: the world's entity of each name (room A for a room, and so on).
DEFAULT_TARGETS = {
    "meeting_id": "meeting_id",
    "room_id": "room_a",
    "item_id": "agenda_item",
    "invite_id": "invite",
    "participant_id": "participant_a",
    "finding_id": "finding_proposed_a",
    "timer_id": "timer_a",
    "help_id": "help_a",
    "hand_id": "hand_a",
    "question_id": "q_live",
    "answer_id": "answer_a",
    "group_id": "group_1",
}

BodyFactory = Callable[[World], Any]


@dataclass(frozen=True)
class Raw:
    """A non-JSON request body (a CSV or a template upload)."""

    content_type: str
    content: Callable[[World], str]


@dataclass(frozen=True)
class Row:
    method: str
    path: str
    expected: Expectations
    body: BodyFactory | Raw | None = None
    query: Callable[[World], dict[str, str]] | None = None
    # Path parameters that do not take their default target, e.g. {"room_id": "room_b"}.
    at: Mapping[str, str] = field(default_factory=dict)
    world: WorldOptions = field(default_factory=WorldOptions)
    # The merged plenary shows every room by design: skip the per-room leak check.
    all_rooms_by_design: bool = False
    # An allowed write must change the database, except for these roles (for whom it is idempotent).
    no_op_for: tuple[str, ...] = ()
    variant: str = ""

    @property
    def id(self) -> str:
        return f"{self.method} {self.path}" + (f" [{self.variant}]" if self.variant else "")

    def url(self, world: World) -> str:
        targets = {**DEFAULT_TARGETS, **self.at}
        names = [part[1:-1] for part in self.path.split("/") if part.startswith("{")]
        values: dict[str, uuid.UUID] = {name: getattr(world, targets[name]) for name in names}
        return self.path.format(**values)
