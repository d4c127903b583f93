"""Export from rows edited after import: per-room question orders, and what no template can hold."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from app.errors import Conflict
from app.meetings.models import Meeting
from app.questions.models import Allocation, Question
from app.rooms.models import Room
from app.templates.repository import MeetingStructure
from app.templates.service import template_of


def meeting() -> Meeting:
    return Meeting(
        id=uuid.uuid4(),
        owner_id=uuid.uuid4(),
        title="Edited meeting",
        description="",
        languages=["en"],
        default_anonymity="named",
        join_code="ABCDEF",
        created_at=datetime.now(UTC),
    )


def question(code: str, position: int) -> Question:
    return Question(
        id=uuid.uuid4(),
        code=code,
        theme="",
        text=f"Question {code}",
        kind="open",
        options=[],
        scale_min=None,
        scale_max=None,
        scale_labels={},
        anonymity="named",
        visibility="live",
        position=position,
    )


def rooms(*names: str) -> list[Room]:
    return [Room(id=uuid.uuid4(), name=name, theme="", capacity=None, position=i) for i, name in enumerate(names)]


def allocate(room: Room, *asked: Question) -> list[Allocation]:
    return [Allocation(id=uuid.uuid4(), room_id=room.id, question_id=q.id, position=i) for i, q in enumerate(asked)]


def test_questions_are_written_in_an_order_every_room_agrees_with() -> None:
    a, b, c, d = (question(code, position) for position, code in enumerate("ABCD"))
    north, south = rooms("North", "South")
    # The bank says A B C D, but North asks D before B, and South asks C before A.
    allocations = allocate(north, d, b) + allocate(south, c, a)

    template = template_of(MeetingStructure(meeting(), [], [north, south], [a, b, c, d], allocations))

    codes = [q.code for q in template.questions]
    assert codes.index("D") < codes.index("B") and codes.index("C") < codes.index("A")
    assert codes == ["C", "A", "D", "B"]  # otherwise as close to the bank's order as that allows


def test_contradicting_room_orders_fall_back_to_the_bank() -> None:
    a, b = question("A", 0), question("B", 1)
    north, south = rooms("North", "South")
    allocations = allocate(north, a, b) + allocate(south, b, a)

    template = template_of(MeetingStructure(meeting(), [], [north, south], [a, b], allocations))

    assert [q.code for q in template.questions] == ["A", "B"]
    assert [q.room_names() for q in template.questions] == [["North", "South"], ["North", "South"]]


def test_a_meeting_no_template_can_hold_is_refused_with_409() -> None:
    twins = rooms("Same", "same")

    with pytest.raises(Conflict, match=r"rooms\.1\.name"):
        template_of(MeetingStructure(meeting(), [], twins, [], []))
