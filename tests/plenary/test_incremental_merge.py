"""The merge as answers arrive: whatever was kept from earlier builds, the groups and the plenary
view equal those of a cold merge of the same answers.

Real text: the Polis statements that ship with the benchmarks (bench/data/polis, a copy of the
project's shared Polis open data), with lightly edited restatements so that points and themes form,
arriving in a seeded random order in batches of one to eighty answers.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import replace

import numpy as np
import numpy.typing as npt
import pytest

from app.plenary import grouping
from app.plenary.disclosure import STAFF
from app.plenary.grouping import GroupingItem, forget_recent_groupings, group_items
from app.plenary.merge import build_plenary
from app.plenary.wording import analyse
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


def every_answer_apart(texts: Sequence[str], kind: npt.NDArray[np.bool_] | None = None) -> grouping._DistinctTexts:
    """What the grouping did before answers with equal compared texts shared a row: each its own."""
    entries = np.arange(len(texts), dtype=np.int64)
    return grouping._DistinctTexts(list(texts), entries, np.ones(len(texts), dtype=np.int64), entries, entries)


# Equal compared texts (stop words, letter case and punctuation aside) with different stances or
# kinds: the rows are shared, the stance and the words in common stay each answer's own.
SAME_WORDS_OTHER_STANCE = [
    ("s1", "room-1", "We should build more protected bike lanes downtown."),
    ("s2", "room-2", "We should NOT build more protected bike lanes downtown!"),
    ("s3", "room-3", "we should build more protected bike lanes downtown"),
    ("s4", "room-4", "Only build more protected bike lanes downtown."),
    ("s5", "room-5", "Build more protected bike lanes downtown, please."),
    ("s6", "room-6", "Not at all."),
    ("s7", "room-7", "not at all"),
]


FULL_BUDGET = grouping.CANDIDATE_WORK_BUDGET


@pytest.mark.parametrize("budget", [FULL_BUDGET, 20_000])
def test_answers_sharing_a_row_group_as_if_each_had_its_own(
    statements: list[str], budget: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A small work budget leaves the commonest features out of the product (the path of large
    # meetings): their part of a pair's similarity is then computed pair by pair.
    monkeypatch.setattr(grouping, "CANDIDATE_WORK_BUDGET", budget)
    items = build_items(statements, 3 * len(statements), 24, SEED) + [
        GroupingItem(key, room, text) for key, room, text in SAME_WORDS_OTHER_STANCE
    ]
    shared = group_items(items)
    forget_recent_groupings()
    with monkeypatch.context() as apart:
        apart.setattr(grouping._DistinctTexts, "of", every_answer_apart)
        alone = group_items(items)
    assert shared == alone
    # Rows were shared: fewer distinct compared texts than answers.
    normalised = grouping._normalised_texts([item.text for item in items])
    assert len(set(analyse(normalised, [item.text for item in items]).point_texts(normalised))) < 0.8 * len(items)
    if budget < FULL_BUDGET:
        return  # pairs sharing only common features are not found there (grouping.py)
    by_key = {key: group for group in shared for key in group.keys}
    assert by_key["s1"] is by_key["s3"]
    assert by_key["s2"] is not by_key["s1"]  # negated
    assert by_key["s4"] is not by_key["s1"]  # limited
    assert by_key["s6"] is by_key["s7"]  # copies group, fragments included
