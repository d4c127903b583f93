"""What the words of each answer say, for the plenary merge: content words, stems and stance.

- **Content words**: the words of a normalised text less stop words (language.py), less the
  per-language generic words that frame a claim ("priority", "möglich", "অগ্রাধিকার"), and less
  the meeting's own boilerplate: a phrase of three or four words holding a stop word and a content
  word ("I identify as", "should be a top priority", "affordable and accessible") found in at
  least `BOILERPLATE_MIN_ANSWERS` answers whose other content words hardly overlap (on average
  fewer than `BOILERPLATE_MAX_SHARED` stems in common per pair): a frame many unrelated answers
  share. The content words of such phrases are dropped where the phrase occurs. Copies and
  restatements of one answer share much besides the phrase, so their phrases stay.
- **Stems**: the first few characters of each content word, enough to match inflections.
- **Stance**: whether the text is negated ("not", "kein", "না", "নয়"), limited ("only", "nur")
  and which way its contrary words point (doing away with something, or keeping it).

`compatible` says which pairs may share a point: the same normalised text, or the same stance
and at least `MIN_SHARED_STEMS` content stems in common, at least `MIN_SHARED_SHARE` of the
content stems of the longer of the two and `MIN_SHARED_SHARE_SHORTER` of the shorter (so a reply
fragment never joins on one word, two answers never on their frame alone, and two long answers
not on their subject alone). The constants were
set on the evaluation set of bench/merge_quality.py (see docs/merge.md).
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import sparse

from app.plenary import claims, language, subjects

BOILERPLATE_MIN_ANSWERS = 3
BOILERPLATE_MAX_SHARED = 0.5
BOILERPLATE_LENGTHS = (3, 4)
MIN_SHARED_STEMS = 2
MIN_SHARED_SHARE = 0.35
# Of the shorter answer's content stems: two long answers that share a third of their words
# ("value", "work", "contributing", "society") argue about one subject, not one claim.
MIN_SHARED_SHARE_SHORTER = 0.38
TEMPLATE_WEIGHT = 1.0
COMMON_SHARE = 0.1
COMMON_MIN_ANSWERS = 5
COMMON_PAIR_SHARE = 0.05
# Codes of word n-grams wrap modulo 2**64 past this many distinct words (a collision merely
# treats two rare phrases as one).
_MIX = np.uint64(0x9E3779B97F4A7C15)

# ", not X" / ", but not X" / ", nicht X" / ", sondern kein X" / "as X not as Y": a contrast, not
# a negation.
CONTRASTIVE_NEGATION = re.compile(
    r"[,;:\u2013\u2014]\s*(?:but\s+|aber\s+|sondern\s+)?(?:not|never|nicht|nie|kein\w*)\b|\b(?:not|never|nicht|nie)\s+(?:as|als)\b",
    re.IGNORECASE,
)
# "non-partisan", "non-profit": a prefix, not the Italian (or French) "non" of a stance.
NEGATING_PREFIX = re.compile(r"\bnon[-\u2010\u2011](?=\w)", re.IGNORECASE)

BoolArray = npt.NDArray[np.bool_]
# Per pair of texts: content stems in common, their summed weight, and how many of them are not
# the meeting's subject (`shared_measures`).
SharedMeasures = tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.float64]]
IndexArray = npt.NDArray[np.int64]
SparseMatrix = Any


@dataclass(frozen=True, slots=True)
class Wording:
    content: list[list[str]]  # content words of each text, in order
    stems: SparseMatrix  # CSR, one row per text, 1.0 for each distinct content stem
    text_ids: IndexArray  # equal for texts whose normalised forms are equal
    negated: BoolArray
    limited: BoolArray
    direction: npt.NDArray[np.int8]  # -1 doing away, +1 keeping, 0 neither or both
    boilerplate: frozenset[tuple[str, ...]]  # the phrases learned from these texts
    stem_ids: dict[str, int]  # column of each stem in `stems`
    theme_stems: SparseMatrix  # `stems` less action and stance words (what a text is about)
    subjects: SparseMatrix  # CSR, one row per text, 1.0 for each subject (subjects.py) its content words name
    # Stems that are another stem plus a plural "s" ("gaps" -> "gap", the cut keeping short words
    # whole), to the other's column: names count them as one (keyphrases.py).
    plural_of: dict[int, int]
    # What tells claims apart (claims.py): the set of numbers stated (0 none), the side taken on
    # each contrary axis, the stem columns naming the meeting's subject, each stem's idf.
    quantities: IndexArray
    poles: npt.NDArray[np.int8]
    subject: BoolArray
    stem_weights: npt.NDArray[np.float64]
    # Per stem column: 1, its weight, 1 if not the subject (what `_shared_measures` sums per pair);
    # per text: the summed weight of its stems.
    stem_columns: npt.NDArray[np.float64]
    text_weights: npt.NDArray[np.float64]
    # Each text's content stems in order, read when a pair needs them (claims.filled_differently).
    stem_sequences: dict[int, tuple[str, ...]] = field(default_factory=dict)

    def stem_sequence(self, text: int) -> tuple[str, ...]:
        sequence = self.stem_sequences.get(text)
        if sequence is None:
            sequence = self.stem_sequences[text] = claims.first_stems(self.content[text])
        return sequence

    def has_content(self) -> BoolArray:
        """Whether each text has content words (its point text is made of them)."""
        return np.fromiter((bool(words) for words in self.content), dtype=np.bool_, count=len(self.content))

    def point_texts(self, normalised: Sequence[str]) -> list[str]:
        """Content words joined; the whole text where nothing is left (so copies still match)."""
        # Each distinct word spelled with its stem once, not at each of its occurrences.
        spelled = {word: f"{word} {language.stem(word)}" for word in dict.fromkeys(itertools.chain(*self.content))}
        return [
            " ".join(map(spelled.__getitem__, words)) if words else text
            for words, text in zip(self.content, normalised, strict=True)
        ]


def analyse(normalised: Sequence[str], originals: Sequence[str]) -> Wording:
    """The wording of texts: `originals` as written, `normalised` as `language.normalise_all` gives."""
    tokens = " ".join(normalised).split()
    vocabulary = first_appearance_ids(tokens)
    ids = np.fromiter(map(vocabulary.__getitem__, tokens), dtype=np.int64, count=len(tokens))
    counts = [text.count(" ") + 1 if text else 0 for text in normalised]
    docs = np.repeat(np.arange(len(normalised), dtype=np.int64), counts)
    words = list(vocabulary)
    stop, generic = language.stop_words(), language.generic_words()
    is_stop = np.fromiter((word in stop for word in words), dtype=np.bool_, count=len(words))
    is_content = np.fromiter(
        (word not in stop and word not in generic and (len(word) > 1 or word.isdigit()) for word in words),
        dtype=np.bool_,
        count=len(words),
    )
    stem_vocabulary: dict[str, int] = {}
    stem_of = np.fromiter(
        (stem_vocabulary.setdefault(language.stem(word), len(stem_vocabulary)) for word in words),
        dtype=np.int64,
        count=len(words),
    )
    content_stems = _stem_matrix(docs[is_content[ids]], stem_of[ids[is_content[ids]]], len(normalised), stem_vocabulary)
    masked, phrases = _boilerplate(ids, docs, is_stop, is_content, content_stems, words)
    keep = is_content[ids] & ~masked
    # Words of a tenth of the answers whose answers otherwise differ (the meeting's place, the
    # question's own subject) say nothing about which point an answer makes.
    common_stems = _common_unrelated_stems(content_stems)
    in_points = (
        keep & ~np.isin(stem_of[ids], common_stems) & ~_common_unrelated_pairs(docs, stem_of[ids], keep, content_stems)
    )
    content: list[list[str]] = [[] for _ in normalised]
    for doc, word_id in zip(docs[in_points].tolist(), ids[in_points].tolist(), strict=True):
        content[doc].append(words[word_id])
    action = language.action_words()
    is_subject = np.fromiter(
        (word not in action and not language.is_doing_away(word) and not language.is_keeping(word) for word in words),
        dtype=np.bool_,
        count=len(words),
    )
    about = keep & is_subject[ids]
    texts_seen = first_appearance_ids(normalised)
    text_ids = np.fromiter(map(texts_seen.__getitem__, normalised), dtype=np.int64, count=len(normalised))
    stems = _stem_matrix(docs[in_points], stem_of[ids[in_points]], len(normalised), stem_vocabulary)
    subject, weights = claims.subject_columns(stems), claims.stem_weights(stems)
    return Wording(
        content=content,
        stems=stems,
        text_ids=np.asarray(text_ids, dtype=np.int64),
        negated=_negated(ids, docs, words, originals),
        limited=_any_per_doc(ids, docs, words, language.limiting_words().__contains__, len(normalised)),
        direction=_direction(ids, docs, words, len(normalised)),
        boilerplate=phrases | {(words[int(np.flatnonzero(stem_of == stem)[0])],) for stem in common_stems},
        stem_ids=stem_vocabulary,
        theme_stems=_stem_matrix(docs[about], stem_of[ids[about]], len(normalised), stem_vocabulary),
        subjects=_subject_matrix(docs[in_points], ids[in_points], words, len(normalised)),
        plural_of={
            column: stem_vocabulary[stem[:-1]]
            for stem, column in stem_vocabulary.items()
            if stem.endswith("s") and stem[:-1] in stem_vocabulary
        },
        quantities=claims.quantities(originals, normalised, ids, docs, words),
        poles=claims.poles(ids, docs, words, len(normalised)),
        # Meeting-level, like the boilerplate: the subject and the weights of the texts given.
        subject=subject,
        stem_weights=weights,
        stem_columns=np.stack([np.ones(len(weights)), weights, (~subject).astype(np.float64)], axis=1),
        text_weights=np.asarray(stems @ weights, dtype=np.float64),
    )


def first_appearance_ids(values: Sequence[str]) -> dict[str, int]:
    """Each distinct value numbered in order of first appearance."""
    return {value: number for number, value in enumerate(dict.fromkeys(values))}


def _distinct_pairs(codes: npt.NDArray[Any], docs: IndexArray, order: IndexArray | None = None) -> npt.NDArray[Any]:
    """The distinct (code, doc) pairs as two rows sorted by code then doc, as
    `np.unique(np.stack([codes, docs]), axis=1)` gives; `docs` must not decrease. `order`, when
    given, is `np.argsort(codes, kind="stable")` (a caller that needs it too sorts once)."""
    if order is None:
        order = np.argsort(codes, kind="stable")  # stable: docs stay increasing within a code
    codes, docs = codes[order], docs[order]
    new = np.ones(len(codes), dtype=np.bool_)
    new[1:] = (codes[1:] != codes[:-1]) | (docs[1:] != docs[:-1])
    return np.stack([codes[new], docs[new].astype(codes.dtype)])


def compatible(
    wording: Wording,
    left: IndexArray,
    right: IndexArray,
    *,
    lexical: bool = True,
    measures: SharedMeasures | None = None,
) -> BoolArray:
    """Which pairs (left[k], right[k]) may share a point (see the module docstring).

    `measures`, when given, is `shared_measures` of the pairs (worked out by the caller once for
    pairs known to hold the same stems).

    With `lexical` false (vectors that carry meaning, not words) the pair needs no words in
    common, only the same stance, and a reply fragment (fewer than MIN_SHARED_STEMS content
    stems) still joins nothing but its own copies.
    """
    same_text = wording.text_ids[left] == wording.text_ids[right]
    same_stance = (
        (wording.negated[left] == wording.negated[right])
        & (wording.limited[left] == wording.limited[right])
        & (wording.direction[left].astype(np.int64) * wording.direction[right] >= 0)
    )
    # Numbers stated by both must be the same ones; no contrary axis may point both ways.
    quantities_left, quantities_right = wording.quantities[left], wording.quantities[right]
    same_claim = (
        same_stance
        & ((quantities_left == quantities_right) | (quantities_left == 0) | (quantities_right == 0))
        & ~claims.opposite_poles(wording.poles[left], wording.poles[right])
    )
    stems_per_text = np.diff(wording.stems.indptr)
    if not lexical:
        whole = (stems_per_text[left] >= MIN_SHARED_STEMS) & (stems_per_text[right] >= MIN_SHARED_STEMS)
        meaning: BoolArray = same_text | (same_claim & whole)
        return meaning
    shared, shared_weight, beyond_subject = shared_measures(wording, left, right) if measures is None else measures
    larger = np.maximum(stems_per_text[left], stems_per_text[right])
    smaller = np.minimum(stems_per_text[left], stems_per_text[right])
    enough = (
        (shared >= MIN_SHARED_STEMS)
        & (shared >= MIN_SHARED_SHARE * larger)
        & (shared >= MIN_SHARED_SHARE_SHORTER * smaller)
        & (beyond_subject > 0)
    )
    result: BoolArray = same_text | (same_claim & enough)
    # A template filled with different objects: each side's own words outweigh the shared ones,
    # and the shared words frame a slot each fills with its own (claims.filled_differently).
    text_weight = wording.text_weights
    suspect = np.flatnonzero(
        result
        & ~same_text
        & (text_weight[left] - shared_weight > TEMPLATE_WEIGHT * shared_weight)
        & (text_weight[right] - shared_weight > TEMPLATE_WEIGHT * shared_weight)
    )
    for pair in suspect.tolist():
        if claims.filled_differently(wording.stem_sequence(int(left[pair])), wording.stem_sequence(int(right[pair]))):
            result[pair] = False
    return result


def compatible_within(wording: Wording, members: IndexArray, *, lexical: bool = True) -> BoolArray:
    """`compatible` for every pair of `members`, as a square (symmetric) matrix."""
    rows, cols = np.triu_indices(len(members), k=1)
    result = np.eye(len(members), dtype=np.bool_)
    upper = compatible(wording, members[rows], members[cols], lexical=lexical)
    result[rows, cols] = upper
    result[cols, rows] = upper
    return result


def shared_measures(wording: Wording, left: IndexArray, right: IndexArray) -> SharedMeasures:
    """Per pair: stems in common, their summed weight, and how many are not the meeting's subject."""
    result = np.zeros((len(left), 3), dtype=np.float64)
    if wording.stems.nnz and len(left):
        result[:] = wording.stems[left].multiply(wording.stems[right]).tocsr() @ wording.stem_columns
    return result[:, 0], result[:, 1], result[:, 2]


def _stem_matrix(docs: IndexArray, stems: IndexArray, n_docs: int, vocabulary: dict[str, int]) -> SparseMatrix:
    matrix = sparse.csr_matrix(
        (np.ones(len(docs)), (docs, stems)), shape=(n_docs, max(len(vocabulary), 1)), dtype=np.float64
    )
    matrix.data[:] = 1.0  # duplicates were summed
    return matrix


def _subject_matrix(docs: IndexArray, ids: IndexArray, words: list[str], n_docs: int) -> SparseMatrix:
    """One row per text, 1.0 for each subject named by one of its content tokens."""
    named = [subjects.subjects_of(word) for word in words]
    # Each word's subjects laid end to end, then gathered per token in order (as reading each
    # token's subjects in turn would list them), without a Python step per token.
    per_word = np.fromiter((len(found) for found in named), dtype=np.int64, count=len(named))
    flat = np.fromiter((number for found in named for number in found), dtype=np.int64, count=int(per_word.sum()))
    word_start = np.cumsum(per_word) - per_word
    counts = per_word[ids]
    token_start = np.cumsum(counts) - counts
    offsets = np.arange(int(counts.sum()), dtype=np.int64) - np.repeat(token_start, counts)
    columns = flat[np.repeat(word_start[ids], counts) + offsets]
    matrix = sparse.csr_matrix(
        (np.ones(len(columns)), (np.repeat(docs, counts), columns)),
        shape=(n_docs, len(subjects.subject_names())),
        dtype=np.float64,
    )
    matrix.data[:] = 1.0  # duplicates were summed
    return matrix


def _boilerplate(
    ids: IndexArray,
    docs: IndexArray,
    is_stop: BoolArray,
    is_content: BoolArray,
    content_stems: SparseMatrix,
    words: list[str],
) -> tuple[BoolArray, frozenset[tuple[str, ...]]]:
    """Token positions inside learned boilerplate phrases (content words only), and the phrases."""
    masked = np.zeros(len(ids), dtype=np.bool_)
    learned: set[tuple[str, ...]] = set()
    n_docs = content_stems.shape[0]
    for length in BOILERPLATE_LENGTHS:
        if len(docs) < length:
            continue
        starts: IndexArray = np.flatnonzero(docs[length - 1 :] == docs[: len(docs) - length + 1]).astype(np.int64)
        window = [ids[starts + offset] for offset in range(length)]
        stops: IndexArray = np.asarray([is_stop[part] for part in window], dtype=np.int64).sum(axis=0)
        contents: IndexArray = np.asarray([is_content[part] for part in window], dtype=np.int64).sum(axis=0)
        # A frame is mostly function words around a word or two ("I identify as", "be a top
        # priority"); "the property tax" is a topic, not a frame.
        useful = (contents > 0) & (stops > contents)
        starts, window, contents = starts[useful], [part[useful] for part in window], contents[useful]
        codes = np.zeros(len(starts), dtype=np.uint64)
        for part in window:
            codes = codes * _MIX + part.astype(np.uint64) + np.uint64(1)
        phrase_docs = docs[starts]
        by_code = np.argsort(codes, kind="stable")
        pairs = _distinct_pairs(codes, phrase_docs, by_code)
        unique_codes, doc_freq = np.unique(pairs[0], return_counts=True)
        candidates = unique_codes[doc_freq >= BOILERPLATE_MIN_ANSWERS]
        if len(candidates) == 0:
            continue
        column = np.searchsorted(candidates, pairs[0])
        present = (column < len(candidates)) & (candidates[np.minimum(column, len(candidates) - 1)] == pairs[0])
        carriers = sparse.csr_matrix(
            (np.ones(int(present.sum())), (column[present], pairs[1][present].astype(np.int64))),
            shape=(len(candidates), n_docs),
        )
        overlap = (carriers @ content_stems).tocsr()
        overlap.data = overlap.data * (overlap.data - 1.0) / 2.0
        shared_pairs = np.asarray(overlap.sum(axis=1)).ravel()
        n_carriers = np.asarray(carriers.sum(axis=1)).ravel()
        carrier_pairs = n_carriers * (n_carriers - 1.0) / 2.0
        # Stems of the phrase itself are shared by every pair of its carriers.
        first = np.searchsorted(codes, candidates, sorter=by_code)
        own = contents[by_code[first]]
        mean_shared = (shared_pairs - own * carrier_pairs) / carrier_pairs
        frames = candidates[mean_shared < BOILERPLATE_MAX_SHARED]
        if len(frames) == 0:
            continue
        hit = np.isin(codes, frames)
        for offset, part in enumerate(window):
            positions = starts[hit] + offset
            masked[positions[is_content[part[hit]]]] = True
        for start in np.unique(codes[hit], return_index=True)[1]:
            learned.add(tuple(words[int(part[hit][start])] for part in window))
    return masked, frozenset(learned)


def _common_unrelated_stems(content_stems: SparseMatrix) -> IndexArray:
    """Stems held by at least COMMON_SHARE of the texts (and BOILERPLATE_MIN_ANSWERS) whose
    holders share fewer than BOILERPLATE_MAX_SHARED other stems per pair on average."""
    n_docs = content_stems.shape[0]
    holders = np.asarray(content_stems.sum(axis=0)).ravel()
    common = np.flatnonzero(holders >= max(COMMON_MIN_ANSWERS, COMMON_SHARE * n_docs))
    if len(common) == 0:
        return common.astype(np.int64)
    overlap = (content_stems[:, common].T.tocsr() @ content_stems).tocsr()
    overlap.data = overlap.data * (overlap.data - 1.0) / 2.0
    pairs = holders[common] * (holders[common] - 1.0) / 2.0
    mean_shared = (np.asarray(overlap.sum(axis=1)).ravel() - pairs) / pairs
    return common[mean_shared < BOILERPLATE_MAX_SHARED].astype(np.int64)


def _common_unrelated_pairs(
    docs: IndexArray, stems: IndexArray, keep: BoolArray, content_stems: SparseMatrix
) -> BoolArray:
    """Token positions in two-word names or phrases ("Bowling Green", "public transit") held by
    at least COMMON_PAIR_SHARE of the texts whose holders otherwise hardly overlap."""
    masked = np.zeros(len(docs), dtype=np.bool_)
    positions = np.flatnonzero(keep)
    if len(positions) < 2:
        return masked
    first, second = positions[:-1], positions[1:]
    adjacent = docs[first] == docs[second]
    first, second = first[adjacent], second[adjacent]
    n_stems = np.int64(content_stems.shape[1])
    codes = stems[first] * n_stems + stems[second]
    pairs = _distinct_pairs(codes, docs[first])
    unique_codes, holders = np.unique(pairs[0], return_counts=True)
    n_docs = content_stems.shape[0]
    candidates = unique_codes[holders >= max(COMMON_MIN_ANSWERS, COMMON_PAIR_SHARE * n_docs)]
    if len(candidates) == 0:
        return masked
    chosen = np.isin(pairs[0], candidates)
    carriers = sparse.csr_matrix(
        (np.ones(int(chosen.sum())), (np.searchsorted(candidates, pairs[0][chosen]), pairs[1][chosen])),
        shape=(len(candidates), n_docs),
    )
    overlap = (carriers @ content_stems).tocsr()
    overlap.data = overlap.data * (overlap.data - 1.0) / 2.0
    counts = np.asarray(carriers.sum(axis=1)).ravel()
    carrier_pairs = counts * (counts - 1.0) / 2.0
    mean_shared = (np.asarray(overlap.sum(axis=1)).ravel() - 2.0 * carrier_pairs) / carrier_pairs
    frames = candidates[mean_shared < BOILERPLATE_MAX_SHARED]
    hit = np.isin(codes, frames)
    masked[first[hit]] = True
    masked[second[hit]] = True
    return masked


def _any_per_doc(ids: IndexArray, docs: IndexArray, words: list[str], test: Any, n_docs: int) -> BoolArray:
    flags = np.fromiter((bool(test(word)) for word in words), dtype=np.bool_, count=len(words))
    return np.bincount(docs[flags[ids]], minlength=n_docs) > 0


def _negated(ids: IndexArray, docs: IndexArray, words: list[str], originals: Sequence[str]) -> BoolArray:
    n_docs = len(originals)
    negated = _any_per_doc(ids, docs, words, language.negation_words().__contains__, n_docs)
    # "don't", "can't", "isn't" arrive as "don t", "can t", "isn t".
    is_t = np.fromiter((word == "t" for word in words), dtype=np.bool_, count=len(words))
    ends_n = np.fromiter((word.endswith("n") for word in words), dtype=np.bool_, count=len(words))
    if len(ids) > 1:
        contracted = is_t[ids[1:]] & ends_n[ids[:-1]] & (docs[1:] == docs[:-1])
        negated[docs[1:][contracted]] = True
    # "Protect them, not punish them" and "through delay, not opposition" set one thing against
    # another; they do not turn the statement round.
    for doc in np.flatnonzero(negated):
        negated[doc] = _negated_once_contrasts_are_out(originals[int(doc)])
    return negated


@functools.lru_cache(maxsize=65_536)
def _negated_once_contrasts_are_out(original: str) -> bool:
    """Whether a text holding a negation word is negated once its contrasts are taken out; kept
    per text (a meeting's answers are read again at every merge)."""
    uncontrasted = CONTRASTIVE_NEGATION.sub(" ", NEGATING_PREFIX.sub("", original))
    return language.is_negated(language.normalise(uncontrasted).split())


def forget_readings() -> None:
    """Drop what was kept per text (`_negated_once_contrasts_are_out`, the numbers each states)."""
    _negated_once_contrasts_are_out.cache_clear()
    claims.forget_numbers()


def _direction(ids: IndexArray, docs: IndexArray, words: list[str], n_docs: int) -> npt.NDArray[np.int8]:
    away = _any_per_doc(ids, docs, words, language.is_doing_away, n_docs)
    keeping = _any_per_doc(ids, docs, words, language.is_keeping, n_docs)
    return (keeping & ~away).astype(np.int8) - (away & ~keeping).astype(np.int8)
