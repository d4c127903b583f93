"""Answers written for a test, as the merge takes them: each in a room of its own of seven, keyed
in order (k00, k01, …), and the questions a test asks of the groups and wordings made of them."""

from __future__ import annotations

from collections.abc import Sequence

from app.plenary.grouping import Group, GroupingItem, normalise_text
from app.plenary.wording import Wording, analyse


def items(*texts: str) -> list[GroupingItem]:
    return [GroupingItem(f"k{index:02d}", f"room-{index % 7 + 1}", text) for index, text in enumerate(texts)]


def together(groups: Sequence[Group], *keys: str) -> bool:
    return any(set(keys) <= set(group.keys) for group in groups)


def wording_of(*texts: str) -> Wording:
    return analyse([normalise_text(text) for text in texts], list(texts))
