"""Whether the merge's names say what a group is about: a check of every label on a labelled set.

Each name of a group of two or more answers (a point) and of a theme of two or more points is
read as words (normalised as the merge normalises them). A word *says nothing of a subject*
when it is a stop word, function word or generic word of `app.plenary.language`, a number, or a
word of the formulas people describe themselves with ("I consider myself", "I identify as",
"ich bin"): `FORMULA_WORDS`, kept here so that a change to the merge's lists does not change
what is measured. A name is

- *boilerplate* when no word of it says something of a subject ("Consider myself", "Age group"
  would not be, "Myself" would);
- *loose at an edge* when it starts or ends on such a word ("Myself middle class", "One less
  susceptible");
- *a member's text* when it is the whole text of one of the group's answers (no keyphrase found);
- *shouted* when written in capitals throughout (more than an acronym).

Its *coverage* is the share of the group's answers that hold every subject word of the name (a
word matching by its stem, or as singular and plural): "Resident" for a theme of six
self-descriptions, two of which say "residents", covers a third.

    .venv/bin/python -m bench.label_quality [--set tuning|held-out|held-out-2] [--list]
    .venv/bin/python -m bench.label_quality --polis brexit-consensus [--list]

``--polis`` names every shown statement of one conversation of bench/data/polis as one question,
in rooms drawn at random (seeded): "brexit-consensus" and "scoop-hivemind.freshwater" are in no
labelled set (Polis open data, CC BY 4.0, attribution in bench/data/polis/README.md).
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.plenary import language
from app.plenary.grouping import group_items
from bench.merge_quality import EVAL_SETS, Labelled, by_question, grouping_items, load_eval_set
from bench.texts import POLIS_DIR

POLIS_ROOMS = 8
POLIS_SEED = 16

FORMULA_WORDS = """
myself yourself himself herself ourselves yourselves themselves oneself mine yours
consider considers considered identify identifies identified describe describes
mich mir dich dir ihm ihn ihnen selbst bezeichne
one two three four five six seven eight nine ten
"""


@dataclass(frozen=True, slots=True)
class Named:
    """One name and the texts of the group it names."""

    kind: str  # "point" or "theme"
    label: str
    texts: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class LabelScores:
    labels: int
    boilerplate: int
    loose_edge: int
    member_text: int
    shouted: int
    coverage: float
    minority: int  # names fewer than half the group's answers hold

    def lines(self) -> list[str]:
        return [
            f"names: {self.labels} (points of 2+ answers, themes of 2+ points); "
            f"boilerplate only {self.boilerplate}, starting or ending on such a word {self.loose_edge}, "
            f"a member's text {self.member_text}, shouted {self.shouted}",
            f"names: mean coverage {self.coverage:.3f} (share of the group's answers holding the name's words), "
            f"{self.minority} held by fewer than half",
        ]


def names_of(labelled: Sequence[Labelled]) -> list[Named]:
    """Every name the merge gives a point of 2+ answers or a theme of 2+ points, per question."""
    found: list[Named] = []
    for items in by_question(labelled).values():
        text = {item.key: item.text for item in items}
        groups = group_items(grouping_items(items))
        themes: dict[str, list[str]] = {}
        theme_label: dict[str, str] = {}
        points: dict[str, int] = {}
        for group in groups:
            if len(group.keys) > 1:
                found.append(Named("point", group.label, tuple(text[key] for key in group.keys)))
            themes.setdefault(group.theme, []).extend(text[key] for key in group.keys)
            theme_label[group.theme] = group.theme_label
            points[group.theme] = points.get(group.theme, 0) + 1
        found.extend(Named("theme", theme_label[key], tuple(texts)) for key, texts in themes.items() if points[key] > 1)
    return found


def _says_nothing() -> frozenset[str]:
    return language.function_words() | language.generic_words() | frozenset(language.normalise(FORMULA_WORDS).split())


def _empty(word: str, nothing: frozenset[str]) -> bool:
    return word in nothing or not any(char.isalpha() for char in word)


def _holds(words: Iterable[str], word: str) -> bool:
    stem = language.stem(word)
    return any(
        language.stem(other) == stem or other in (word + "s", word + "es") or word in (other + "s") for other in words
    )


def check(names: Sequence[Named]) -> LabelScores:
    nothing = _says_nothing()
    counts = {"boilerplate": 0, "edge": 0, "member": 0, "shouted": 0}
    coverage = 0.0
    minority = 0
    for named in names:
        words = language.normalise(named.label).split()
        subject = [word for word in words if not _empty(word, nothing)]
        counts["boilerplate"] += not subject
        counts["edge"] += bool(words) and (_empty(words[0], nothing) or _empty(words[-1], nothing))
        counts["member"] += any(" ".join(text.split()) == named.label for text in named.texts)
        cased = [char for char in named.label if char.isupper() or char.islower()]
        counts["shouted"] += bool(cased) and all(char.isupper() for char in cased) and len(named.label) > 6
        holding = [set(language.normalise(text).split()) for text in named.texts]
        held = sum(1 for text in holding if subject and all(_holds(text, word) for word in subject))
        coverage += held / len(named.texts)
        minority += held < len(named.texts) / 2
    return LabelScores(
        labels=len(names),
        boilerplate=counts["boilerplate"],
        loose_edge=counts["edge"],
        member_text=counts["member"],
        shouted=counts["shouted"],
        coverage=coverage / len(names) if names else 1.0,
        minority=minority,
    )


def polis_conversation(name: str) -> list[Labelled]:
    """Every shown statement of a Polis conversation as answers to one question, unlabelled."""
    path = POLIS_DIR / name / "comments.csv"
    if not path.is_file():
        raise SystemExit(f"no conversation {name!r} under {POLIS_DIR}")
    rng = random.Random(POLIS_SEED)
    with path.open(newline="", encoding="utf-8") as handle:
        rows = [row for row in csv.DictReader(handle) if row["moderated"] != "-1" and row["comment-body"].strip()]
    return [
        Labelled(f"{name}-{n:04d}", name, "", f"room-{rng.randrange(POLIS_ROOMS)}", "", "", "", row["comment-body"])
        for n, row in enumerate(rows)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", choices=sorted(EVAL_SETS), default="tuning", help="which labelled set")
    parser.add_argument("--polis", help="a conversation of bench/data/polis instead of a labelled set")
    parser.add_argument("--list", action="store_true", help="print every name with its coverage")
    args = parser.parse_args()
    names = names_of(polis_conversation(args.polis) if args.polis else load_eval_set(EVAL_SETS[args.set]))
    if args.list:
        for named in names:
            print(f"{named.kind:5} {len(named.texts):3} {check([named]).coverage:.2f}  {named.label}")
    for line in check(names).lines():
        print(line)


if __name__ == "__main__":
    main()
