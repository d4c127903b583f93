"""The shortcuts the merge takes for speed give what the long way gives, to the last bit.

- the themes' similarities: the upper triangle from blocks of rows equals the upper triangle of
  the full product, bit for bit, for any number of points around the block size;
- a group member set without validation equals the validated model (fields, fields set, JSON);
- the rooms' participant counts, keyed by the UUIDs' integers, equal a count over UUIDs;
- the compatibility of the pairs of every linkage piece, from one call over all pieces, equals
  each piece's own square of `compatible_within`.

Real text: the Polis statements shipped with the benchmarks.
"""

from __future__ import annotations

import uuid
from collections import defaultdict

import numpy as np
import pytest

from app.plenary import themes
from app.plenary.curation import Item
from app.plenary.disclosure import STAFF
from app.plenary.grouping import _compatible_within_blocks, _normalised_texts
from app.plenary.merge import PlenaryBuilder
from app.plenary.schemas import GroupMember, RoomRef
from app.plenary.wording import analyse, compatible_within
from app.vocabulary import Role
from bench.plenary import build_material
from bench.texts import POLIS_DIR, load_statements


@pytest.fixture(scope="module")
def statements() -> list[str]:
    return load_statements(POLIS_DIR)


@pytest.mark.parametrize("n_points", [1, 2, 3, themes.SIMILARITY_BLOCK_ROWS, themes.SIMILARITY_BLOCK_ROWS + 1, 700])
def test_upper_similarities_equal_the_full_product_bit_for_bit(statements: list[str], n_points: int) -> None:
    texts = statements[:n_points]
    wording = analyse(_normalised_texts(texts), texts)
    held = themes._binary(wording.theme_stems)
    named = themes._binary(wording.subjects)
    features = themes._features(held, named)
    assert features.nnz > 0
    full = np.asarray((features @ features.T).toarray(), dtype=np.float64)
    full[themes._cannot_link(named, named)] = -themes.CANNOT_LINK_DISTANCE
    full = full[np.triu_indices(n_points, k=1)]
    upper = themes._upper_similarities(features, named)
    assert upper.shape == full.shape
    assert np.array_equal(upper.view(np.uint64), full.view(np.uint64))
    if n_points > 2:
        # both kinds of pair are there: similar ones, and ones whose subjects keep them apart
        assert (full == -themes.CANNOT_LINK_DISTANCE).any()
        assert (full > 0).any()


def test_a_member_set_without_validation_equals_the_validated_one() -> None:
    room = RoomRef(id=uuid.uuid4(), name="Room 3", theme="Transport")
    for author, answer_ids in ((None, []), ("Ada", [uuid.uuid4(), uuid.uuid4()])):
        item = Item(
            key="answer:x",
            kind="answer",
            id=uuid.uuid4(),
            room=room,
            room_position=3,
            text="More buses at night",
            votes=4,
            author=author,
            answer_ids=answer_ids,
        )
        member = item.member()
        validated = GroupMember.model_validate(
            {
                "key": item.key,
                "kind": item.kind,
                "id": item.id,
                "room_id": room.id,
                "room_name": room.name,
                "text": item.text,
                "votes": item.votes,
                "author": author,
                "answer_ids": answer_ids,
            }
        )
        assert member == validated
        assert member.model_fields_set == validated.model_fields_set == set(GroupMember.model_fields)
        assert member.model_dump_json() == validated.model_dump_json()
        assert list(member.__dict__) == list(GroupMember.model_fields)


def test_room_participants_counted_by_integer_keys_equal_a_count_over_uuids(statements: list[str]) -> None:
    material = build_material(statements, 600, 12, 7)
    expected: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
    for person in material.roster.values():
        if person.room_id is not None and person.role == Role.PARTICIPANT:
            expected[person.room_id].add(person.id)
    for answer in material.answers:
        author = material.roster.get(answer.author_id) if answer.author_id is not None else None
        if author is not None and author.role == Role.PARTICIPANT:
            expected[answer.room_id].add(author.id)
    counted = PlenaryBuilder(material, STAFF).room_participants()
    assert counted == {room_id: len(people) for room_id, people in expected.items()}
    assert sum(counted.values()) > 0


def test_compatibility_of_all_pieces_in_one_call_equals_each_piece_alone(statements: list[str]) -> None:
    # Statements with restatements of opposite stance and with a word dropped, so that pieces
    # hold pairs of both kinds.
    base = statements[:150]
    texts = [*base, *(f"not {text}" for text in base[:40]), *(" ".join(text.split()[1:]) for text in base[:40])]
    wording = analyse(_normalised_texts(texts), texts)
    rng = np.random.default_rng(16)
    restated = [np.asarray([k, 150 + k, 190 + k], dtype=np.int64) for k in range(0, 40, 7)]
    drawn = [np.sort(rng.choice(len(texts), size=size, replace=False)).astype(np.int64) for size in (2, 3, 17, 60)]
    blocks = [*restated, *drawn, np.arange(1, dtype=np.int64)]
    together = _compatible_within_blocks(wording, blocks, lexical=True)
    assert len(together) == len(blocks)
    seen = np.zeros(0, dtype=np.bool_)
    for members, allowed in zip(blocks, together, strict=True):
        alone = compatible_within(wording, members, lexical=True)[np.triu_indices(len(members), k=1)]
        assert np.array_equal(allowed, alone)
        seen = np.concatenate([seen, allowed])
    assert seen.any() and not seen.all()
