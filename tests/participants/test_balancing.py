"""The balancing algorithm on its own (no database): many populations, many seeds."""

from __future__ import annotations

import random
import uuid
from collections import Counter

import pytest

from app.participants.balancing import NotEnoughSeats, Person, Seats, balanced_rooms, room_sizes

TYPES = ["ministry", "police", "prosecution", "judiciary", "civil_society", "international_organisation"]


def _population(rng: random.Random, size: int, genders: list[str], types: list[str]) -> list[Person]:
    return [Person(uuid.UUID(int=rng.getrandbits(128)), rng.choice(genders), rng.choice(types)) for _ in range(size)]


def _worst_spread(people: list[Person], rooms: list[Seats], placed: dict[uuid.UUID, uuid.UUID]) -> int:
    worst = 0
    for attribute in ("gender", "organisation_type"):
        for value in {getattr(person, attribute) for person in people}:
            counts = Counter(placed[person.id] for person in people if getattr(person, attribute) == value)
            per_room = [counts[room.room_id] for room in rooms]
            worst = max(worst, max(per_room) - min(per_room))
    return worst


@pytest.mark.parametrize("seed", range(40))
def test_two_genders_and_six_organisation_types_are_spread_within_one(seed: int) -> None:
    rng = random.Random(seed)
    people = _population(rng, rng.randint(20, 150), ["female", "male"], TYPES)
    rooms = [Seats(uuid.UUID(int=rng.getrandbits(128)), None) for _ in range(rng.randint(2, 12))]
    placed = balanced_rooms(people, rooms, seed)
    assert set(placed) == {person.id for person in people}
    assert _worst_spread(people, rooms, placed) <= 1
    sizes = Counter(placed.values())
    assert max(sizes[room.room_id] for room in rooms) - min(sizes[room.room_id] for room in rooms) <= 1


def test_the_same_seed_gives_the_same_rooms_and_input_order_does_not_matter() -> None:
    rng = random.Random(3)
    people = _population(rng, 45, ["female", "male", "another", ""], TYPES)
    rooms = [Seats(uuid.UUID(int=rng.getrandbits(128)), 8) for _ in range(6)]
    placed = balanced_rooms(people, rooms, 11)
    assert balanced_rooms(list(reversed(people)), rooms, 11) == placed
    assert balanced_rooms(people, rooms, 12) != placed


def test_capacity_is_never_exceeded_and_unlimited_rooms_take_the_rest() -> None:
    rng = random.Random(5)
    people = _population(rng, 30, ["female", "male"], TYPES[:3])
    small = Seats(uuid.uuid4(), 2)
    rooms = [small, Seats(uuid.uuid4(), 3), Seats(uuid.uuid4(), None)]
    sizes = Counter(balanced_rooms(people, rooms, 1).values())
    assert (sizes[small.room_id], sizes[rooms[1].room_id], sizes[rooms[2].room_id]) == (2, 3, 25)
    assert room_sizes(7, [Seats(uuid.uuid4(), None)] * 1) == [7]
    with pytest.raises(NotEnoughSeats):
        balanced_rooms(people, [Seats(uuid.uuid4(), 10), Seats(uuid.uuid4(), 10)], 1)
    assert balanced_rooms([], rooms, 1) == {}
