"""Benchmark of the plenary's cross-room grouping on real consultation text.

Builds N items (default 10,000) across R rooms (default 100) from the Polis statements in
bench/data/polis (a copy of shared/data/polis): the statements are cycled, and every copy after the first gets a small
seeded edit (a word dropped, two words or two letters swapped, sometimes case or
punctuation changed), so most items' texts are distinct (the count is printed). Then it times
`group_items` several times cold (everything kept forgotten), then after `--new-answers` more
items each time (the items before unchanged), and, once, a naive dense baseline: scikit-learn's
TfidfVectorizer on the same features, the full n-by-n similarity matrix, and average
linkage over all items with scipy. It prints both, their ratio, and how far the two
groupings agree.

    .venv/bin/python bench/grouping.py [--items 10000] [--rooms 100] [--runs 5] [--new-answers 5]
        [--no-baseline]

The statements are CC BY 4.0 Polis open data (see bench/data/polis/README.md).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from scipy import sparse  # type: ignore[import-untyped]
from scipy.cluster import hierarchy  # type: ignore[import-untyped]
from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-untyped]

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.plenary import grouping
from app.plenary.grouping import GroupingItem, group_items
from bench.texts import POLIS_DIR, load_statements


def edited(text: str, rng: random.Random) -> str:
    """The text with one word-level edit (a word dropped, two words or two letters swapped)
    and sometimes a change of case or punctuation, as people make restating a point."""
    words = text.split()
    kind = rng.randrange(3) if len(words) > 4 else 2
    if kind == 0:
        del words[rng.randrange(len(words))]
    elif kind == 1:
        i = rng.randrange(len(words) - 1)
        words[i], words[i + 1] = words[i + 1], words[i]
    else:
        longest = max(range(len(words)), key=lambda i: (len(words[i]), rng.random()))
        word = words[longest]
        if len(word) > 3:
            j = rng.randrange(1, len(word) - 2)
            words[longest] = word[:j] + word[j + 1] + word[j] + word[j + 2 :]
        else:
            words.append(rng.choice(("indeed", "too", "please")))
    cosmetic = rng.randrange(4)
    if cosmetic == 0:
        words = [word.upper() if rng.random() < 0.2 else word.lower() for word in words]
    elif cosmetic == 1:
        words[-1] = words[-1].rstrip(".!?") + rng.choice(("!", "?", "", " ..."))
    return " ".join(words)


def build_items(statements: Sequence[str], n_items: int, n_rooms: int, seed: int) -> list[GroupingItem]:
    rng = random.Random(seed)
    items: list[GroupingItem] = []
    for index in range(n_items):
        source = statements[index % len(statements)]
        text = source if index < len(statements) else edited(source, rng)
        items.append(GroupingItem(key=f"item-{index:06d}", room_id=f"room-{rng.randrange(n_rooms):03d}", text=text))
    return items


def naive_dense_groups(items: Sequence[GroupingItem], threshold: float) -> list[tuple[str, ...]]:
    """The textbook way: scikit-learn TF-IDF, the full similarity matrix, global average linkage."""
    ordered = sorted(items, key=lambda item: item.key)
    if len(ordered) < 2:  # no pair to link, and scipy's linkage wants one
        return [(item.key,) for item in ordered]
    texts = [item.text for item in ordered]
    common = {"preprocessor": grouping.normalise_text, "lowercase": False, "sublinear_tf": True}
    words = TfidfVectorizer(analyzer="word", token_pattern=r"\S+", ngram_range=(1, 2), **common).fit_transform(texts)
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), **common).fit_transform(texts)
    vectors = sparse.hstack(
        [words * np.sqrt(grouping.WORD_WEIGHT), chars * np.sqrt(1.0 - grouping.WORD_WEIGHT)], format="csr"
    )
    similarity = (vectors @ vectors.T).toarray()
    distance = np.clip(1.0 - similarity[np.triu_indices(len(ordered), k=1)], 0.0, 2.0)
    del similarity
    labels = hierarchy.fcluster(hierarchy.linkage(distance, method="average"), t=1.0 - threshold, criterion="distance")
    groups: dict[int, list[str]] = {}
    for item, label in zip(ordered, labels, strict=True):
        groups.setdefault(int(label), []).append(item.key)
    return [tuple(keys) for keys in groups.values()]


def agreement(fast: Sequence[tuple[str, ...]], naive: Sequence[tuple[str, ...]]) -> tuple[float, int]:
    """Share of items whose group is exactly the same in both, and the number of groups that differ."""
    fast_set, naive_set = set(fast), set(naive)
    same_items = sum(len(keys) for keys in fast_set & naive_set)
    total = sum(len(keys) for keys in fast_set)
    return (same_items / total if total else 1.0), len(naive_set - fast_set)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--rooms", type=int, default=100)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=20170717)
    parser.add_argument("--threshold", type=float, default=grouping.DEFAULT_THRESHOLD)
    parser.add_argument("--data", type=Path, default=POLIS_DIR)
    parser.add_argument("--new-answers", type=int, default=5, help="answers arriving before each incremental run")
    parser.add_argument("--no-baseline", action="store_true", help="skip the slow dense baseline")
    args = parser.parse_args()

    statements = load_statements(args.data)
    items = build_items(statements, args.items, args.rooms, args.seed)
    distinct = len({grouping.normalise_text(item.text) for item in items})
    print(
        f"{len(items)} items in {len({item.room_id for item in items})} rooms from {len(statements)} statements "
        f"({distinct} distinct after normalisation); threshold {args.threshold}; "
        f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores",
        flush=True,
    )

    seconds: list[float] = []
    cpu_seconds: list[float] = []
    groups = []
    for run in range(1, args.runs + 1):
        grouping.forget_recent_groupings()  # time the grouping itself, not the kept result
        started, cpu_started = time.perf_counter(), time.process_time()
        groups = group_items(items, threshold=args.threshold)
        seconds.append(time.perf_counter() - started)
        cpu_seconds.append(time.process_time() - cpu_started)
        print(
            f"  run {run}/{args.runs}: {seconds[-1]:.3f} s ({cpu_seconds[-1]:.3f} s CPU)", file=sys.stderr, flush=True
        )
    median = statistics.median(seconds)
    multi_room = sum(1 for group in groups if len(group.room_ids) > 1)
    print(
        f"group_items: median {median:.3f} s, min {min(seconds):.3f} s, max {max(seconds):.3f} s "
        f"(CPU median {statistics.median(cpu_seconds):.3f} s); {len(items) / max(median, 1e-9):,.0f} items/s; "
        f"{len(groups)} groups ({multi_room} spanning rooms, largest {max(len(group.keys) for group in groups)} items)",
        flush=True,
    )
    # Incremental: a few answers more each time, the grouping of the answers before kept.
    rng = random.Random(args.seed + 1)
    arrived = list(items)
    group_items(arrived, threshold=args.threshold)
    incremental: list[float] = []
    incremental_cpu: list[float] = []
    for run in range(1, args.runs + 1):
        for _ in range(args.new_answers):
            room = f"room-{rng.randrange(args.rooms):03d}"
            arrived.append(
                GroupingItem(key=f"new-{len(arrived):06d}", room_id=room, text=edited(rng.choice(statements), rng))
            )
        started, cpu_started = time.perf_counter(), time.process_time()
        group_items(arrived, threshold=args.threshold)
        incremental.append(time.perf_counter() - started)
        incremental_cpu.append(time.process_time() - cpu_started)
        print(
            f"  incremental run {run}/{args.runs}: {incremental[-1]:.3f} s ({incremental_cpu[-1]:.3f} s CPU)",
            file=sys.stderr,
            flush=True,
        )
    print(
        f"group_items, {args.new_answers} new answers each time: median {statistics.median(incremental):.3f} s "
        f"(CPU median {statistics.median(incremental_cpu):.3f} s)",
        flush=True,
    )
    if args.no_baseline:
        return
    print("  naive dense baseline (one run) ...", file=sys.stderr, flush=True)
    started = time.perf_counter()
    naive = naive_dense_groups(items, args.threshold)
    naive_seconds = time.perf_counter() - started
    same, differing = agreement([group.keys for group in groups], naive)
    print(
        f"naive dense baseline: {naive_seconds:.3f} s, {len(naive)} groups; "
        f"group_items is {naive_seconds / max(median, 1e-9):.1f}x faster; "
        f"{same:.1%} of items in identical groups ({differing} baseline groups differ)",
        flush=True,
    )


if __name__ == "__main__":
    main()
