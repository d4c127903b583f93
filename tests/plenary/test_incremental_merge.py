"""The merge as answers arrive: whatever was kept from earlier builds, the groups and the plenary
view equal those of a cold merge of the same answers.

Real text: the Polis statements that ship with the benchmarks (bench/data/polis, a copy of the
project's shared Polis open data), with lightly edited restatements so that points and themes form,
arriving in a seeded random order in batches of one to eighty answers.
"""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from app.plenary.disclosure import STAFF
from app.plenary.grouping import GroupingItem, forget_recent_groupings, group_items
from app.plenary.merge import build_plenary
from bench.grouping import build_items
from bench.plenary import build_material
from bench.texts import POLIS_DIR, load_statements

SEED = 20261207


@pytest.fixture(scope="module")
def statements() -> list[str]:
    every = load_statements(POLIS_DIR)
    # Every seventh statement: all eight conversations, 150 or so statements.
    return every[::7]


def arrival_batches(count: int, rng: random.Random) -> list[list[int]]:
    """The indices 0..count-1 in a random order, cut into batches of 1 to 80."""
    order = list(range(count))
    rng.shuffle(order)
    batches: list[list[int]] = []
    while order:
        size = rng.choice((1, 2, 5, 13, 40, 80))
        batches.append(order[:size])
        order = order[size:]
    return batches


def test_groups_after_arrivals_equal_a_cold_grouping(statements: list[str]) -> None:
    items = build_items(statements, 3 * len(statements), 24, SEED)
    rng = random.Random(SEED)
    arrived: list[GroupingItem] = []
    checkpoints = 0
    forget_recent_groupings()
    for number, batch in enumerate(arrival_batches(len(items), rng)):
        arrived.extend(items[index] for index in batch)
        incremental = group_items(arrived)
        if number % 5 == 4:
            forget_recent_groupings()
            assert group_items(list(reversed(arrived))) == incremental
            checkpoints += 1
    forget_recent_groupings()
    cold = group_items(items)
    assert incremental == cold
    assert checkpoints >= 3
    # The comparison means something: restatements across rooms formed points and themes.
    assert sum(1 for group in cold if len(group.room_ids) > 1) >= 20
    assert len({group.theme for group in cold if len(group.keys) > 1}) >= 5


def test_plenary_after_arrivals_equals_a_cold_plenary(statements: list[str]) -> None:
    material = build_material(statements, 2 * len(statements), 12, SEED)
    rng = random.Random(SEED + 1)
    arrived = []
    forget_recent_groupings()
    for batch in arrival_batches(len(material.answers), rng):
        arrived.extend(material.answers[index] for index in batch)
        incremental = build_plenary(replace(material, answers=list(arrived)), STAFF)
    forget_recent_groupings()
    cold = build_plenary(material, STAFF)
    assert incremental.model_dump() == cold.model_dump()
    groups = cold.themes[0].questions[0].groups
    assert sum(1 for group in groups if group.room_count > 1) >= 10
