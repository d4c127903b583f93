"""Names of merged groups: a short phrase that says what a group is about, against the others.

Each group is one class. A content stem's weight in a class is class-based TF-IDF (as BERTopic's
c-TF-IDF): its share of the class's stems times log(1 + A / f), A the mean number of stems per
class and f the stem's count over all classes, so stems common to many groups ("city", "need")
weigh little and the ones that set a group apart weigh most. The name is the span of a member's
own words, one to `PHRASE_MAX_WORDS` words starting and ending on a content word, whose stems
weigh most in the class, times the square of the share of members that hold all of them (a
phrase most members share beats a longer one a single member used). Spans come from the `MEMBERS_READ` members holding the
most weight, so naming stays linear in the size of the input.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import sparse

from app.plenary import language

PHRASE_MAX_WORDS = 4
PHRASE_MAX_CONTENT_WORDS = 3
MEMBERS_READ = 3
# Spans start only on the class's heaviest stems.
TOP_STEMS = 6
LABEL_MAX_CHARS = 120

FloatArray = npt.NDArray[np.float64]
IndexArray = npt.NDArray[np.int64]
SparseMatrix = Any


def class_weights(stems: SparseMatrix, class_of: IndexArray, n_classes: int) -> SparseMatrix:
    """c-TF-IDF of each stem in each class (CSR, classes x stems), from per-text stem rows."""
    membership = sparse.csr_matrix(
        (np.ones(len(class_of)), (class_of, np.arange(len(class_of)))), shape=(n_classes, len(class_of))
    )
    counts = (membership @ stems).tocsr()
    per_class = np.asarray(counts.sum(axis=1)).ravel()
    total_per_stem = np.asarray(counts.sum(axis=0)).ravel()
    average = float(per_class[per_class > 0].mean()) if (per_class > 0).any() else 1.0
    weights = counts.copy()
    rows = np.repeat(np.arange(n_classes), np.diff(counts.indptr))
    weights.data = counts.data / per_class[rows] * np.log1p(average / total_per_stem[counts.indices])
    return weights


def name(
    texts: Sequence[str], members: IndexArray, weights: SparseMatrix, stems: SparseMatrix, stem_ids: dict[str, int]
) -> str:
    """The best phrase of `members` (indices into `texts`): `weights` is the class's row of
    `class_weights`, `stems` the per-text stem rows it was computed from. The first member's
    text when no phrase scores."""
    weight = dict(zip(weights.indices.tolist(), weights.data.tolist(), strict=True))
    if not weight:
        return shortened(texts[int(members[0])])
    top = set(sorted(weight, key=lambda stem: -weight[stem])[:TOP_STEMS])
    held = [frozenset(stems.indices[stems.indptr[m] : stems.indptr[m + 1]].tolist()) for m in members]
    order = sorted(range(len(members)), key=lambda i: -sum(weight.get(stem, 0.0) for stem in held[i]))
    best: tuple[float, int, str] = (0.0, 0, "")
    for index in order[:MEMBERS_READ]:
        for phrase, phrase_stems in _spans(texts[int(members[index])], stem_ids, held[index], top):
            coverage = sum(1 for stems_held in held if phrase_stems <= stems_held) / len(held)
            score = sum(weight[stem] for stem in phrase_stems) * coverage * coverage
            candidate = (score, -len(phrase), phrase)
            if candidate[:2] > best[:2]:
                best = candidate
    return shortened(_capitalised(best[2]) if best[2] else texts[int(members[0])])


def _spans(
    text: str, stem_ids: dict[str, int], content: frozenset[int], top: set[int]
) -> list[tuple[str, frozenset[int]]]:
    """Spans of the text's own words that start and end on one of its content stems (the first
    on one of the class's `top` stems), with their stems."""
    words = text.split()
    tokens: list[tuple[int, int]] = []  # (word position, stem id or -1 for a non-content token)
    for position, normalised in enumerate(language.normalise_all(words)):
        for token in normalised.split():
            stem = stem_ids.get(language.stem(token), -1)
            tokens.append((position, stem if stem in content else -1))
    spans: list[tuple[str, frozenset[int]]] = []
    for start, (start_position, start_stem) in enumerate(tokens):
        if start_stem not in top:
            continue
        held: set[int] = set()
        for stop_position, stem in tokens[start : start + PHRASE_MAX_WORDS]:
            if stem < 0:
                continue
            held.add(stem)
            if len(held) > PHRASE_MAX_CONTENT_WORDS:
                break
            phrase = _trimmed(" ".join(words[start_position : stop_position + 1]))
            if phrase:
                spans.append((phrase, frozenset(held)))
    return spans


def _trimmed(surface: str) -> str:
    """The span without punctuation around it ("(affordable housing)" -> "affordable housing")."""
    start, end = 0, len(surface)
    while start < end and not _is_word_char(surface[start]):
        start += 1
    while end > start and not _is_word_char(surface[end - 1]):
        end -= 1
    return surface[start:end]


def _is_word_char(char: str) -> bool:
    # Marks too: Bengali words end on vowel signs, which str.isalnum() does not count.
    return unicodedata.category(char)[0] in "LMN"


def _capitalised(phrase: str) -> str:
    return phrase[:1].upper() + phrase[1:] if phrase[:1].islower() else phrase


def shortened(text: str) -> str:
    label = " ".join(text.split())
    return label if len(label) <= LABEL_MAX_CHARS else label[: LABEL_MAX_CHARS - 1].rstrip() + "…"
