"""How far the plenary merge can be trusted: pair precision and recall on a labelled set.

The set (bench/data/merge_eval/statements.csv) holds answers to four questions: Bowling Green
2050 statements from the Polis open data with restatements written for the set, the reference
meeting's shared question S1, and statements written in German and in Bengali. Each answer is
labelled with a theme (what it is about), a point (the claim it makes, within the theme) and,
where a point has two sides, a stance (+ or -). Two answers to the same question are

- the same point: same theme, same point, same stance;
- opposite: same theme and point, different stances;
- the same theme: same theme (points included);
- unrelated otherwise (answers without a theme share it with nothing).

The merge is run once per question, as the plenary runs it, and every pair of answers put in one
point (or one theme) is compared with the labels:

- points precision: the share of pairs inside computed points that are the same point;
- points recall: the share of same-point pairs that share a computed point;
- opposite share: the share of pairs inside computed points that are opposite, and whether any
  of the 20 headline points (the first 20 groups of two or more, in the plenary's order) holds
  an opposite pair;
- themes precision and recall: the same over pairs inside computed themes and same-theme pairs;
- theme coverage: for each labelled theme, the share of its answers in the computed theme that
  holds most of them, over all answers with a theme (most answers on a theme land in it).

    .venv/bin/python -m bench.merge_quality [--set tuning|held-out|held-out-2] [--points-only] [--threshold 0.3]
    .venv/bin/python -m bench.merge_quality --embeddings [--threshold 0.65] [--themes-threshold 0.35]

The held-out set (bench/data/merge_eval/heldout.csv, ``--set held-out``) holds every statement of
two Polis conversations the merge was not tuned on, labelled by the same rules; the second
(bench/data/merge_eval/heldout2.csv, ``--set held-out-2``) three more, labelled before the themes
were changed for the first.
The names of points and themes are checked as well (bench/label_quality.py: names that are
boilerplate only, start or end on a word that says nothing of a subject, copy a member's text or
shout, and the share of each group's answers holding a name's words).
``--points-only`` scores the points as themes too (how a flat grouping reads as themes).
``--embeddings`` scores the optional sentence-embedding backend (the ``embeddings`` extra):
points at ``--threshold``, themes as its groups at the lower ``--themes-threshold``.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.plenary.grouping import DEFAULT_THRESHOLD, GroupingItem, group_items

EVAL_SET = Path(__file__).resolve().parent / "data" / "merge_eval" / "statements.csv"
# Held out: Polis conversations the merge's rules and constants were not set on.
HELD_OUT_SET = Path(__file__).resolve().parent / "data" / "merge_eval" / "heldout.csv"
# A second held-out set, labelled before the themes were changed for the first one.
HELD_OUT_SET_2 = Path(__file__).resolve().parent / "data" / "merge_eval" / "heldout2.csv"
EVAL_SETS = {"tuning": EVAL_SET, "held-out": HELD_OUT_SET, "held-out-2": HELD_OUT_SET_2}
HEADLINE_POINTS = 20


@dataclass(frozen=True, slots=True)
class Labelled:
    key: str
    question: str
    lang: str
    room: str
    theme: str
    point: str
    stance: str
    text: str

    def same_point(self, other: Labelled) -> bool:
        return bool(self.theme and self.point) and (self.theme, self.point, self.stance) == (
            other.theme,
            other.point,
            other.stance,
        )

    def opposite(self, other: Labelled) -> bool:
        return (
            bool(self.theme and self.point and self.stance and other.stance)
            and (self.theme, self.point) == (other.theme, other.point)
            and self.stance != other.stance
        )

    def same_theme(self, other: Labelled) -> bool:
        return bool(self.theme) and self.theme == other.theme


@dataclass(frozen=True, slots=True)
class Merged:
    """One question's merge: its points (groups of keys, in the plenary's order) and themes."""

    points: list[tuple[str, ...]]
    themes: list[tuple[str, ...]]


@dataclass(frozen=True, slots=True)
class Scores:
    items: int
    points_precision: float
    points_recall: float
    opposite_share: float
    opposite_pairs: int
    opposite_in_headlines: int
    themes_precision: float
    themes_recall: float
    theme_coverage: float
    seconds: float

    def lines(self) -> list[str]:
        return [
            f"points: precision {self.points_precision:.3f}, recall {self.points_recall:.3f}",
            f"opposite-stance pairs inside points: {self.opposite_pairs} ({self.opposite_share:.3f} of pairs), "
            f"{self.opposite_in_headlines} in the top {HEADLINE_POINTS} headline points",
            f"themes: precision {self.themes_precision:.3f}, recall {self.themes_recall:.3f}, "
            f"coverage {self.theme_coverage:.3f}",
        ]


def load_eval_set(path: Path = EVAL_SET) -> list[Labelled]:
    with path.open(newline="", encoding="utf-8") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        return [
            Labelled(
                key=row["key"],
                question=row["question"],
                lang=row["lang"],
                room=row["room"],
                theme=row["theme"],
                point=row["point"],
                stance=row["stance"],
                text=row["text"],
            )
            for row in rows
        ]


def by_question(labelled: Iterable[Labelled]) -> dict[str, list[Labelled]]:
    questions: dict[str, list[Labelled]] = defaultdict(list)
    for item in labelled:
        questions[item.question].append(item)
    return dict(questions)


def grouping_items(labelled: Sequence[Labelled]) -> list[GroupingItem]:
    return [GroupingItem(key=item.key, room_id=item.room, text=item.text) for item in labelled]


def merge_points_only(labelled: Sequence[Labelled], threshold: float = DEFAULT_THRESHOLD) -> Merged:
    """A flat grouping read as both levels: every group is a point and its own theme."""
    groups = [group.keys for group in group_items(grouping_items(labelled), threshold=threshold)]
    return Merged(points=groups, themes=groups)


def merge_two_levels(labelled: Sequence[Labelled], threshold: float = DEFAULT_THRESHOLD) -> Merged:
    """The points `group_items` returns, in themes by each point's `theme` field."""
    groups = group_items(grouping_items(labelled), threshold=threshold)
    themes: dict[str, list[str]] = defaultdict(list)
    for group in groups:
        themes[group.theme or group.keys[0]].extend(group.keys)
    return Merged(points=[group.keys for group in groups], themes=[tuple(sorted(keys)) for keys in themes.values()])


def merge_embeddings(labelled: Sequence[Labelled], threshold: float, themes_threshold: float) -> Merged:
    """The optional embedding backend: points at `threshold`, themes at `themes_threshold`."""
    from app.plenary.embeddings import embedding_group_items

    items = grouping_items(labelled)
    return Merged(
        points=[group.keys for group in embedding_group_items(items, threshold=threshold)],
        themes=[group.keys for group in embedding_group_items(items, threshold=themes_threshold)],
    )


def _pairs(groups: Iterable[Sequence[str]]) -> Iterable[tuple[str, str]]:
    for keys in groups:
        yield from itertools.combinations(sorted(keys), 2)


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 1.0


def score(labelled: Sequence[Labelled], merge: Callable[[Sequence[Labelled]], Merged]) -> Scores:
    """Run `merge` once per question and compare its pairs with the labels."""
    counts: Counter[str] = Counter()
    covered = themed = 0
    seconds = 0.0
    for items in by_question(labelled).values():
        label = {item.key: item for item in items}
        started = time.perf_counter()
        merged = merge(items)
        seconds += time.perf_counter() - started
        all_pairs = [(label[a], label[b]) for a, b in itertools.combinations(sorted(label), 2)]
        counts["gold_point"] += sum(1 for a, b in all_pairs if a.same_point(b))
        counts["gold_theme"] += sum(1 for a, b in all_pairs if a.same_theme(b))
        for a, b in _pairs(merged.points):
            counts["point_pairs"] += 1
            counts["point_hits"] += label[a].same_point(label[b])
            counts["opposite"] += label[a].opposite(label[b])
        headlines = [keys for keys in merged.points if len(keys) > 1][:HEADLINE_POINTS]
        counts["opposite_headlines"] += sum(1 for a, b in _pairs(headlines) if label[a].opposite(label[b]))
        for a, b in _pairs(merged.themes):
            counts["theme_pairs"] += 1
            counts["theme_hits"] += label[a].same_theme(label[b])
        theme_of = {key: n for n, keys in enumerate(merged.themes) for key in keys}
        members: dict[str, list[int]] = defaultdict(list)
        for item in items:
            if item.theme:
                members[item.theme].append(theme_of.get(item.key, -1))
        for computed in members.values():
            themed += len(computed)
            covered += Counter(computed).most_common(1)[0][1]
    return Scores(
        items=len(labelled),
        points_precision=_ratio(counts["point_hits"], counts["point_pairs"]),
        points_recall=_ratio(counts["point_hits"], counts["gold_point"]),
        opposite_share=_ratio(counts["opposite"], counts["point_pairs"]) if counts["point_pairs"] else 0.0,
        opposite_pairs=counts["opposite"],
        opposite_in_headlines=counts["opposite_headlines"],
        themes_precision=_ratio(counts["theme_hits"], counts["theme_pairs"]),
        themes_recall=_ratio(counts["theme_hits"], counts["gold_theme"]),
        theme_coverage=_ratio(covered, themed),
        seconds=seconds,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", choices=sorted(EVAL_SETS), default="tuning", help="which labelled set")
    parser.add_argument("--points-only", action="store_true", help="score a flat grouping (points as themes)")
    parser.add_argument("--embeddings", action="store_true", help="score the optional embedding backend")
    parser.add_argument("--threshold", type=float, help="points threshold (default: the backend's)")
    parser.add_argument("--themes-threshold", type=float, default=0.35, help="with --embeddings")
    args = parser.parse_args()
    labelled = load_eval_set(EVAL_SETS[args.set])
    if args.embeddings:
        from app.plenary.embeddings import EMBEDDING_DEFAULT_THRESHOLD

        threshold = args.threshold or EMBEDDING_DEFAULT_THRESHOLD
        scores = score(labelled, lambda items: merge_embeddings(items, threshold, args.themes_threshold))
    else:
        threshold = args.threshold or DEFAULT_THRESHOLD
        merge = merge_points_only if args.points_only else merge_two_levels
        scores = score(labelled, lambda items: merge(items, threshold))
    questions = by_question(labelled)
    languages = Counter(item.lang for item in labelled)
    print(
        f"{scores.items} answers to {len(questions)} questions "
        f"({', '.join(f'{lang} {n}' for lang, n in sorted(languages.items()))}); threshold {threshold}"
    )
    for line in scores.lines():
        print(line)
    if not args.embeddings and not args.points_only:
        # The names the merge gave (bench/label_quality.py, which reads this module's sets).
        from bench.label_quality import check, names_of

        for line in check(names_of(labelled)).lines():
            print(line)
    print(f"merge time over the set: {scores.seconds:.3f} s")


if __name__ == "__main__":
    main()
