"""Balanced random assignment: spread gender and organisation type evenly over the rooms.

Pure (no database), so it is tested on its own:

1. Room sizes: each seat goes to the least-filled room that has space, so sizes differ by at most
   one wherever capacity allows, and never exceed it.
2. A first deal: people sorted by gender (then organisation type) are dealt round-robin into the
   rooms, which already spreads each gender evenly.
3. Improvement: swaps of two people between two rooms are applied while they bring the rooms'
   counts closer to their fair shares (the sum over rooms, genders and organisation types of
   (count - share)², share = people of that value * room size / people). Swaps keep room sizes,
   so capacity stays respected.
4. If some count is still outside its fair band [floor(share), ceil(share)] (with equal room sizes:
   if the per-room counts of a value differ by more than one), steps 2-3 are tried again from
   another random start, and the best plan is kept. Exact balance on two attributes at once is not
   always possible, so this is best effort; it finds it in practice (see the tests).

People of the same gender and type are interchangeable for the counts, so the search runs over
kinds of people and is vectorised with numpy. The seeded generator decides the order of the rooms
(who gets the odd extra person), the start of each attempt, and who of a kind goes where: the same
seed and the same people give the same rooms.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

# A gain smaller than this is rounding noise, not an improvement.
IMPROVEMENT_EPSILON = 1e-9
# Fresh starts when a plan is still unfair; each costs about as much as the first.
ATTEMPTS = 4

Kind = tuple[str, str]


@dataclass(frozen=True, slots=True)
class Person:
    id: uuid.UUID
    gender: str  # "" when not declared: those are spread evenly too
    organisation_type: str


@dataclass(frozen=True, slots=True)
class Seats:
    room_id: uuid.UUID
    capacity: int | None


class NotEnoughSeats(ValueError):
    pass


def room_sizes(total: int, rooms: list[Seats]) -> list[int]:
    """How many people each room gets: each in turn to the least-filled room with space."""
    capacity = None if any(room.capacity is None for room in rooms) else sum(room.capacity or 0 for room in rooms)
    if not rooms or (capacity is not None and capacity < total):
        raise NotEnoughSeats(f"the rooms seat {capacity or 0} but {total} people need a seat")
    sizes = [0] * len(rooms)
    for _ in range(total):
        open_rooms = [r for r, room in enumerate(rooms) if room.capacity is None or sizes[r] < room.capacity]
        sizes[min(open_rooms, key=lambda r: sizes[r])] += 1
    return sizes


class _Kinds:
    """The kinds of people present, as index arrays into the gender and type axes."""

    def __init__(self, people: list[Person]) -> None:
        self.kinds: list[Kind] = sorted({(person.gender, person.organisation_type) for person in people})
        genders = sorted({gender for gender, _ in self.kinds})
        types = sorted({kind for _, kind in self.kinds})
        self.gender_of = np.array([genders.index(gender) for gender, _ in self.kinds])
        self.type_of = np.array([types.index(kind) for _, kind in self.kinds])
        # One-hot maps from kinds to their gender and their type.
        self.to_gender = np.eye(len(genders))[self.gender_of]
        self.to_type = np.eye(len(types))[self.type_of]
        different_gender = self.gender_of[:, None] != self.gender_of[None, :]
        different_type = self.type_of[:, None] != self.type_of[None, :]
        # The squared objective grows by 4 per attribute a swap changes, before the counts are read.
        self.penalty = 4.0 * different_gender + 4.0 * different_type


class _Plan:
    def __init__(self, kinds: _Kinds, count: NDArray[np.int64], sizes: NDArray[np.float64]) -> None:
        self.k = kinds
        self.count = count  # rooms * kinds
        people = float(sizes.sum())
        per_kind = count.sum(axis=0).astype(float)
        self.gender_share = np.outer(sizes, per_kind @ kinds.to_gender) / people
        self.type_share = np.outer(sizes, per_kind @ kinds.to_type) / people

    def deviations(self) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        return self.count @ self.k.to_gender - self.gender_share, self.count @ self.k.to_type - self.type_share

    def unfairness(self) -> float:
        """Total distance of the counts from their fair bands [floor(share), ceil(share)]."""
        total = 0.0
        for deviation, share in zip(self.deviations(), (self.gender_share, self.type_share), strict=True):
            counts = deviation + share
            total += float(np.maximum(counts - np.ceil(share - 1e-9), 0).sum())
            total += float(np.maximum(np.floor(share + 1e-9) - counts, 0).sum())
        return total

    def improve(self) -> None:
        rooms = len(self.count)
        while True:
            improved = False
            for first in range(rooms):
                gender_dev, type_dev = self.deviations()
                pull = gender_dev[:, self.k.gender_of] + type_dev[:, self.k.type_of]  # rooms * kinds
                # gain[second, a, b]: one ``a`` leaves ``first`` for ``second``, one ``b`` comes back.
                here = pull[first][None, :] - pull[first][:, None]
                there = pull[:, None, :] - pull[:, :, None]
                gain = 2 * (here[None, :, :] - there) + self.k.penalty[None, :, :]
                allowed = (self.count[first] > 0)[None, :, None] & (self.count > 0)[:, None, :]
                allowed[first] = False
                gain = np.where(allowed, gain, np.inf)
                best = int(np.argmin(gain))
                if gain.flat[best] < -IMPROVEMENT_EPSILON:
                    second, a, b = np.unravel_index(best, gain.shape)
                    self.count[first, a] -= 1
                    self.count[second, a] += 1
                    self.count[second, b] -= 1
                    self.count[first, b] += 1
                    improved = True
            if not improved:
                return


def _first_deal(kinds: _Kinds, people: list[Person], sizes: list[int], rng: random.Random) -> NDArray[np.int64]:
    type_order = sorted({person.organisation_type for person in people})
    rng.shuffle(type_order)
    sequence = sorted(people, key=lambda person: (person.gender, type_order.index(person.organisation_type)))
    count = np.zeros((len(sizes), len(kinds.kinds)), dtype=np.int64)
    cursor = 0
    for person in sequence:
        while count[cursor].sum() >= sizes[cursor]:
            cursor = (cursor + 1) % len(sizes)
        count[cursor, kinds.kinds.index((person.gender, person.organisation_type))] += 1
        cursor = (cursor + 1) % len(sizes)
    return count


def balanced_rooms(people: list[Person], rooms: list[Seats], seed: int) -> dict[uuid.UUID, uuid.UUID]:
    """Each person's room. Raises ``NotEnoughSeats`` when the rooms cannot seat everyone."""
    rng = random.Random(seed)
    order = list(rooms)
    rng.shuffle(order)
    sizes = room_sizes(len(people), order)
    if not people:
        return {}
    people = sorted(people, key=lambda person: person.id)
    kinds = _Kinds(people)
    best: _Plan | None = None
    for _ in range(ATTEMPTS):
        plan = _Plan(kinds, _first_deal(kinds, people, sizes, rng), np.array(sizes, dtype=float))
        plan.improve()
        if best is None or plan.unfairness() < best.unfairness():
            best = plan
        if best.unfairness() == 0:
            break
    assert best is not None
    placed: dict[uuid.UUID, uuid.UUID] = {}
    for index, kind in enumerate(kinds.kinds):
        group = [person for person in people if (person.gender, person.organisation_type) == kind]
        rng.shuffle(group)
        for room, seats in zip(order, best.count[:, index], strict=True):
            for _ in range(int(seats)):
                placed[group.pop().id] = room.room_id
    return placed
