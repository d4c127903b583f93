"""What an allowed answer must still leave out, whoever reads it:

- personal data: only organisers see other people's email and gender (a person sees their own);
- names: every question of the world is anonymous to peers, so participants and observers never
  read another person's name;
- drafts: a draft finding's text stays with the staff of its room;
- rooms: the people of room A read nothing private to room B (its answers, findings, timer, help)
  and the other way round, except where a view merges every room by design (the plenary);
- strangers: nothing of the meeting at all.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

from tests.authorisation.cells import Row
from tests.authorisation.world import DRAFT_FINDING_TEXT, World

PEERS = ("participant_a", "participant_b", "observer")
ROOM_OF_READER = {"participant_a": "a", "moderator_a": "a", "participant_b": "b", "moderator_b": "b"}


def _private_to(world: World, room: str, reader: str) -> dict[str, uuid.UUID]:
    """What only the people of ``room`` may read, as far as ``reader`` (of the other room) goes:
    moderators read the whole question bank, participants the questions of their own room."""
    if room == "a":
        names = ["answer_a", "answer_a2", "finding_draft_a", "finding_proposed_a", "timer_a", "help_a"]
    else:
        names = ["answer_b", "finding_proposed_b"] + (["q_b"] if reader.startswith("participant") else [])
    return {name: getattr(world, name) for name in names}


def _objects(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, dict):
        yield value
        for inner in value.values():
            yield from _objects(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _objects(inner)


def leaks(row: Row, role: str, world: World, text: str, document: Any) -> list[str]:
    """Every way the 2xx ``text`` (and its parsed JSON ``document``, if any) says too much to ``role``."""
    if role == "organiser":
        return []
    found: list[str] = []
    own = world.people.get(role)
    others = [person for key, person in world.people.items() if person is not own]
    for person in others:
        if person.email in text:
            found.append(f"the email of {person.name}")
    for entry in _objects(document):
        for key in ("email", "gender"):
            if entry.get(key) is not None and (own is None or entry.get("id") != str(own.id)):
                found.append(f"a {key} ({entry[key]!r}) on an entry that is not the reader's")
    if role in PEERS:
        found += [f"the name of {person.name}" for person in others if person.name in text]
    if role != "moderator_a" and DRAFT_FINDING_TEXT in text:
        found.append("the text of room A's draft finding")
    if role == "stranger" and str(world.meeting_id) in text:
        found.append("the meeting's id")
    room = ROOM_OF_READER.get(role)
    if room is not None and not row.all_rooms_by_design:
        other = "b" if room == "a" else "a"
        found += [
            f"{name} of room {other.upper()}"
            for name, value in _private_to(world, other, role).items()
            if str(value) in text
        ]
    return found
