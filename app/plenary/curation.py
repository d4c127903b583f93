"""Cross-room groups of one question: the organiser's curated groups first, computed ones for the rest.

Curated groups keep exactly their members that are still present (deleted, hidden or merged-away
answers and findings no longer confirmed drop out); everything else, new answers included, is
grouped afresh by ``group_items``. A computed group needs two members; a curated one may have one.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from app.plenary.grouping import GroupingItem, group_items, keyphrase
from app.plenary.models import CuratedGroup
from app.plenary.schemas import GroupMember, PlenaryGroup, PointTheme, RoomRef


@dataclass(frozen=True, slots=True)
class Item:
    """An answer or a finding as a group member, with its provenance already resolved."""

    key: str
    kind: Literal["answer", "finding"]
    id: uuid.UUID
    room: RoomRef
    room_position: int
    text: str
    votes: int
    author: str | None
    answer_ids: list[uuid.UUID]

    def member(self) -> GroupMember:
        # Every field is already of its declared type: set without validating, as
        # `model_construct` does for a model without defaults or aliases, minus its per-field
        # lookups (a large meeting's groups have thousands of members).
        member = GroupMember.__new__(GroupMember)
        _set(
            member,
            "__dict__",
            {
                "key": self.key,
                "kind": self.kind,
                "id": self.id,
                "room_id": self.room.id,
                "room_name": self.room.name,
                "text": self.text,
                "votes": self.votes,
                "author": self.author,
                "answer_ids": self.answer_ids,
            },
        )
        _set(member, "__pydantic_fields_set__", set(_MEMBER_FIELDS))
        _set(member, "__pydantic_extra__", None)
        _set(member, "__pydantic_private__", None)
        return member


_set = object.__setattr__
_MEMBER_FIELDS = ("key", "kind", "id", "room_id", "room_name", "text", "votes", "author", "answer_ids")


def member_key(kind: Literal["answer", "finding"], item_id: uuid.UUID) -> str:
    return f"{kind}:{item_id}"


def raised_in(room_count: int, rooms_answered: int) -> str:
    return f"raised in {room_count} of {rooms_answered} room{'' if rooms_answered == 1 else 's'}"


def build_groups(
    question_id: uuid.UUID, items: Sequence[Item], curated: Sequence[CuratedGroup], rooms_answered: int
) -> list[PlenaryGroup]:
    present = {item.key: item for item in items}
    taken: set[str] = set()
    groups: list[PlenaryGroup] = []
    for row in curated:
        keys = sorted({key for key in row.member_keys if key in present and key not in taken})
        if not keys:
            continue
        taken.update(keys)
        members = [present[key] for key in keys]
        groups.append(
            _view(
                str(row.id),
                question_id,
                members,
                label=row.label or group_name(members, items),
                renamed=row.label is not None,
                pinned=row.pinned,
                curated=True,
                rooms_answered=rooms_answered,
                theme=(None, row.theme_label) if row.theme_label is not None else None,
            )
        )
    # Each room's id as text once (UUIDs hash and print in Python code).
    room_keys = {room.int: str(room) for room in {item.room.id.int: item.room.id for item in items}.values()}
    remaining = [GroupingItem(key=item.key, room_id=room_keys[item.room.id.int], text=item.text) for item in items]
    for group in group_items([item for item in remaining if item.key not in taken]):
        if len(group.keys) < 2:
            continue
        members = [present[key] for key in group.keys]
        digest = hashlib.sha256("\n".join(group.keys).encode()).hexdigest()[:16]
        groups.append(
            _view(
                f"computed:{digest}",
                question_id,
                members,
                label=group.label,
                renamed=False,
                pinned=False,
                curated=False,
                rooms_answered=rooms_answered,
                theme=(group.theme, group.theme_label),
            )
        )
    _place_curated_in_themes(groups)
    groups.sort(key=lambda group: (not group.pinned, -group.room_count, -len(group.members), min(_keys(group))))
    return groups


def ungrouped_members(items: Sequence[Item], groups: Sequence[PlenaryGroup]) -> list[GroupMember]:
    """The items in none of the groups, room by room as a group's members are listed."""
    grouped = {member.key for group in groups for member in group.members}
    return [item.member() for item in _in_member_order([item for item in items if item.key not in grouped])]


def _in_member_order(items: Sequence[Item]) -> list[Item]:
    # Room by room, each room's finding first, then its answers by votes.
    return sorted(
        items, key=lambda item: (item.room_position, item.room.name, item.kind != "finding", -item.votes, item.key)
    )


def _place_curated_in_themes(groups: list[PlenaryGroup]) -> None:
    """A curated group joins the theme the organiser named: a computed theme of that name (the
    first, in the groups' order), or a theme of the organiser's own."""
    computed: dict[str, str] = {}
    for group in groups:
        if not group.curated and group.theme_id and group.theme_label is not None:
            computed.setdefault(group.theme_label.casefold(), group.theme_id)
    for group in groups:
        if group.curated and group.theme_label is not None:
            group.theme_id = computed.get(group.theme_label.casefold(), f"named:{group.theme_label.casefold()}")
            group.theme_curated = True
    named = {group.theme_id for group in groups if group.theme_curated}
    for group in groups:
        if group.theme_id in named:
            # Every group of a theme the organiser named shows the organiser's name.
            group.theme_label = next(g.theme_label for g in groups if g.theme_curated and g.theme_id == group.theme_id)


def point_themes(groups: Sequence[PlenaryGroup], rooms_answered: int) -> list[PointTheme]:
    """The groups by theme: most rooms first, then most members, then the theme's id."""
    by_theme: dict[str, list[PlenaryGroup]] = {}
    for group in groups:
        if group.theme_id is not None:
            by_theme.setdefault(group.theme_id, []).append(group)
    themes: list[tuple[tuple[int, int, str], PointTheme]] = []
    for theme_id, members in by_theme.items():
        rooms: dict[uuid.UUID, RoomRef] = {}
        for group in members:
            for room in group.rooms:
                rooms.setdefault(room.id, room)
        ordered_rooms = list(rooms.values())
        answered = max(rooms_answered, len(ordered_rooms))
        theme = PointTheme(
            id=theme_id,
            label=members[0].theme_label or members[0].label,
            curated=any(group.theme_curated for group in members),
            group_ids=[group.id for group in members],
            rooms=ordered_rooms,
            room_count=len(ordered_rooms),
            rooms_answered=answered,
            raised_in=raised_in(len(ordered_rooms), answered),
        )
        size = sum(len(group.members) for group in members)
        themes.append(((-theme.room_count, -size, theme_id), theme))
    return [theme for _, theme in sorted(themes, key=lambda entry: entry[0])]


def _keys(group: PlenaryGroup) -> list[str]:
    return [member.key for member in group.members]


def _view(
    group_id: str,
    question_id: uuid.UUID,
    members: list[Item],
    *,
    label: str,
    renamed: bool,
    pinned: bool,
    curated: bool,
    rooms_answered: int,
    theme: tuple[str | None, str] | None = None,
) -> PlenaryGroup:
    members = _in_member_order(members)
    rooms = {item.room.id.int: (item.room_position, item.room.name, item.room) for item in members}
    ordered_rooms = [room for _, _, room in sorted(rooms.values(), key=lambda entry: (entry[0], entry[1]))]
    # A room can only have raised what it answered; the floor keeps "n of m" sensible.
    answered = max(rooms_answered, len(ordered_rooms))
    return PlenaryGroup(
        id=group_id,
        question_id=question_id,
        label=label,
        renamed=renamed,
        pinned=pinned,
        curated=curated,
        rooms=ordered_rooms,
        room_count=len(ordered_rooms),
        rooms_answered=answered,
        raised_in=raised_in(len(ordered_rooms), answered),
        members=[item.member() for item in members],
        theme_id=theme[0] if theme else None,
        theme_label=theme[1] if theme else None,
    )


def group_name(members: Sequence[Item], items: Sequence[Item]) -> str:
    """A keyphrase of the members against the question's other items, as computed groups are
    named; a confirmed finding's own words are preferred, being the room's wording."""
    findings = [item for item in members if item.kind == "finding"]
    named = sorted(findings or members, key=lambda item: item.key)
    keys = {item.key for item in named}
    return keyphrase([item.text for item in named], [item.text for item in items if item.key not in keys])
