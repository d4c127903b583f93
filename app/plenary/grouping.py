"""Cross-room grouping of answers and findings for the plenary merge.

Contract: `group_items` splits the items into groups of texts that say nearly the same
thing, so the plenary view can show "raised in 4 of 6 rooms". It is a pure function: the
same items give the same groups in the same order whatever order they come in (they are
sorted by key first), every item is in exactly one group (singletons included), nothing is
stored, and nothing is built at import time.

Method
- Text is normalised: NFKC, case-folded, format characters (zero-width joiners, soft
  hyphens) dropped, and every other character that is not a letter, a combining mark or a
  digit made a space. Marks count as word characters because Bengali vowel signs and the
  virama are marks: Python's `\\w` (and so scikit-learn's default token pattern) splits
  "সহযোগিতা" into pieces at each of them.
- Each text gets two TF-IDF vectors (sublinear tf, smoothed idf, L2-normalised): one over
  words and word pairs, one over character 3- to 5-grams taken inside words padded with a
  space (scikit-learn's `char_wb`), which matches inflections ("strengthen",
  "strengthening") and survives typos. The similarity of two texts is `WORD_WEIGHT` times
  the cosine of their word vectors plus the rest times the cosine of their character
  vectors.
- Texts whose similarity reaches the threshold are linked, and linked texts are grouped by
  average linkage cut at the threshold: two groups join only when the mean similarity over
  every pair across them reaches the threshold, so a chain A~B~C does not pull A and C
  together when they are unalike. Groups in different connected components of the link
  graph never have such a mean, so clustering each component alone is the same as average
  linkage over all the items, without an n-by-n matrix.
- Links come from a sparse product over the features that two or more texts share, within
  `CANDIDATE_WORK_BUDGET`. Inputs the size of a meeting (a thousand texts or so) fit it
  whole, and then every link is exact. In larger inputs the commonest features are left out
  of the product: they still count in every similarity computed, a pair whose other
  features reach the threshold on their own is linked, and the `VERIFIED_PAIRS_MAX` most
  promising of the rest are computed in full; pairs that share only common features are
  not found. On the 10,000-item benchmark (bench/grouping.py) 98% of the items end up in
  exactly the groups that a dense computation of every pair gives.
- Texts compared as the same (equal content words) share one TF-IDF row and one row of the
  product, their copies counted in the idf: the same rows and sums, bit for bit, as one row per
  text (`_DistinctTexts`, docs/merge.md).
"""

from __future__ import annotations

import itertools
import operator
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import sparse
from scipy.cluster import hierarchy
from scipy.sparse import csgraph

from app.collector import collection_paused
from app.plenary import keyphrases, language, subjects
from app.plenary.themes import theme_of_points
from app.plenary.wording import (
    Wording,
    analyse,
    compatible,
    first_appearance_ids,
    shared_measures,
)
from app.plenary.wording import forget_readings as forget_stances

# Tuned on the Polis statements in shared/data/polis and on paraphrase sets written for the
# purpose (16 English and 4 Bengali pairs; the tests use some of them). At 0.3, 99.9% of lightly edited copies of the 1,098
# statements (a word dropped or swapped, a typo, case and punctuation) group with their
# source, 15 of 20 paraphrase pairs group and no paraphrase joins another topic; 31% of the
# statements share a group with another, mostly restatements of one point. At 0.5 only 2
# of the 20 paraphrase pairs group (18% of statements); at 0.25, 39% of statements group,
# more and more of them only because they share a topic ("taxes", "my vote").
DEFAULT_THRESHOLD = 0.3
# Share of the word cosine in the similarity, the rest being the character n-gram cosine.
# Character n-grams match inflections ("strengthen", "strengthening"), typos and Bengali
# suffixes ("প্রটোকল", "প্রটোকলটি"). At 0.5 a third of the paraphrase pairs above are lost;
# at 0.2 two more pairs group but so do 2% more statements.
WORD_WEIGHT = 0.3
CHAR_NGRAM_MIN = 3
CHAR_NGRAM_MAX = 5
LABEL_MAX_CHARS = 120
# Similarities are compared with the threshold less this: the cosine of two identical texts
# computes to 1 give or take a few units in the last place, and must reach a threshold of 1.
SIMILARITY_TOLERANCE = 1e-9
# Bound on the work of the sparse product that finds candidate links, as the sum over the
# features it uses of (documents holding the feature) squared; half of it is done (upper
# triangle), about 0.1 s here. A thousand distinct texts need about half of it, so inputs
# the size of a meeting are linked exactly (see the module docstring).
CANDIDATE_WORK_BUDGET = 40_000_000
PRODUCT_BLOCK_ROWS = 2000
# When the budget above leaves the commonest features out, a pair whose similarity over
# the others falls short of the threshold has the rest computed only if that part is at
# least this share of the threshold, and only for VERIFIED_PAIRS_MAX such pairs, those with
# the most in common first (about 0.05 s). Pairs that need the n-grams of everyday words to
# reach the threshold are rarely the same point.
OPEN_PAIR_MIN_SHARE = 0.3
VERIFIED_PAIRS_MAX = 50_000
# Open pairs computed between two updates of the components (see _linked_pairs_sparse).
VERIFY_ROUND_PAIRS = 10_000
# Average linkage needs every pair in a component; above this size a component is first cut
# by raising its link threshold in THRESHOLD_STEP steps until each piece fits (a chaining
# guard: such a component is almost always a chain, not one topic).
LINKAGE_MAX_ITEMS = 600
THRESHOLD_STEP = 0.05
# Distance given to a pair that may not share a point: average linkage over any two clusters of
# up to LINKAGE_MAX_ITEMS items holding such a pair stays far above any cut.
CANNOT_LINK_DISTANCE = 1e7
# Clusters up to this size share one vectorised centroid computation (see
# _closeness_to_centroid); the copies of a centroid it makes grow as size squared.
CENTROID_GATHER_MAX = 64
# Pairs whose similarity is computed at once; bounds the memory of the row products.
PAIR_CHUNK = 65_536
# Fibonacci hashing constant (2**64 / golden ratio, odd): spreads n-gram codes that no
# longer fit beside a document number, so distinct features rarely share a column.
_HASH_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)

# The plenary view is rebuilt for every request and after every change, while most questions'
# answers have not changed since the last build: the groupings of the last few distinct inputs
# are kept (keyed by every item's key, room and text, so any change recomputes).
RECENT_GROUPINGS_MAX = 32
_RECENT: OrderedDict[tuple[float, tuple[tuple[str, str, str], ...]], tuple[Group, ...]] = OrderedDict()
_RECENT_LOCK = threading.Lock()

# The normal form of each text read (`_normalised_texts`), up to this many texts.
NORMALISED_KEPT_MAX = 100_000
_NORMALISED: dict[str, str] = {}
_NORMALISED_LOCK = threading.Lock()

FloatArray = npt.NDArray[np.float64]
IndexArray = npt.NDArray[np.int64]
KeyArray = npt.NDArray[np.uint64]
BoolArray = npt.NDArray[np.bool_]
# scipy has no type information; its sparse matrices travel as Any behind these helpers.
SparseMatrix = Any


@dataclass(frozen=True, slots=True)
class GroupingItem:
    key: str  # opaque id of an answer or finding
    room_id: str
    text: str


@dataclass(frozen=True, slots=True)
class Group:
    keys: tuple[str, ...]  # sorted members
    room_ids: tuple[str, ...]  # distinct rooms, sorted
    label: str  # a short keyphrase of the group against the others (keyphrases.py)
    # The theme holding the group: a key shared by the groups of one theme, and its name.
    theme: str = ""
    theme_label: str = ""


def group_items(items: Sequence[GroupingItem], *, threshold: float = DEFAULT_THRESHOLD) -> list[Group]:
    """Group items whose texts say nearly the same thing.

    Returns every item in exactly one group, groups sorted by number of rooms (most
    first), then size (largest first), then first key. Texts that are empty after
    normalisation are singletons. Raises ValueError on duplicate keys or a threshold
    outside (0, 1].
    """
    _check_threshold(threshold)
    ordered = _canonical_order(items)
    if not ordered:
        return []
    signature = (threshold, tuple(map(_sort_key, ordered)))
    with _RECENT_LOCK:
        recent = _RECENT.get(signature)
        if recent is not None:
            _RECENT.move_to_end(signature)
            return list(recent)
    with collection_paused():
        normalised = _normalised_texts([item.text for item in ordered])
        wording = analyse(normalised, [item.text for item in ordered])
        distinct = _DistinctTexts.of(wording.point_texts(normalised), wording.has_content())
        distinct_vectors = _vectors_of_normalised(distinct.texts, distinct.copies)
        cut = threshold - SIMILARITY_TOLERANCE
        links = _linked_pairs_sparse(distinct_vectors, distinct, cut, wording)
        groups = _grouped(ordered, distinct_vectors[distinct.row_of], links, cut, wording, lexical=True)
    with _RECENT_LOCK:
        _RECENT[signature] = tuple(groups)
        while len(_RECENT) > RECENT_GROUPINGS_MAX:
            _RECENT.popitem(last=False)
    return groups


def keyphrase(members: Sequence[str], others: Sequence[str]) -> str:
    """The name `group_items` would give a group of the texts `members` among `others` (for
    groups the organiser made); a single member's text, shortened, when it is alone."""
    if len(members) < 2:
        return keyphrases.shortened(members[0]) if members else ""
    texts = [*members, *others]
    normalised = _normalised_texts(texts)
    wording = analyse(normalised, texts)
    # The group is one class, every other text a class of its own.
    class_of = np.concatenate([np.zeros(len(members), dtype=np.int64), np.arange(1, len(others) + 1)])
    weights = keyphrases.class_weights(wording.stems, class_of, len(others) + 1)
    return keyphrases.name(
        texts, np.arange(len(members)), weights[0], wording.stems, wording.stem_ids, wording.plural_of
    )


def forget_recent_groupings() -> None:
    """Drop everything kept between groupings: the groupings of recent inputs and what was read
    from each text (names' words, the subjects of words). The next grouping starts cold; its
    result is the same (for callers that change this module's tuning constants, and to measure)."""
    with _RECENT_LOCK:
        _RECENT.clear()
    with _NORMALISED_LOCK:
        _NORMALISED.clear()
    keyphrases.forget_readings()
    forget_stances()
    subjects.forget_subjects()


def group_vectors(
    items: Sequence[GroupingItem],
    vectors: npt.NDArray[np.floating[Any]],
    *,
    threshold: float,
    lexical: bool = False,
) -> list[Group]:
    """Group items by dense vectors given row for row (rows L2-normalised or all zero).

    Same clustering, ordering, labels and themes as `group_items`; for embedding backends.
    Opposite stances never share a group and reply fragments join only their copies; with
    `lexical` (vectors of words, as `point_vectors` gives) pairs also need the words in
    common that `group_items` asks for. Links come from a blocked dense product, so this is
    exact but quadratic in time.
    """
    _check_threshold(threshold)
    if len(vectors) != len(items):
        raise ValueError("one vector per item is required")
    order = sorted(range(len(items)), key=lambda i: _sort_key(items[i]))
    ordered = _canonical_order(items)
    dense = np.ascontiguousarray(np.asarray(vectors, dtype=np.float64)[order])
    normalised = _normalised_texts([item.text for item in ordered])
    wording = analyse(normalised, [item.text for item in ordered])
    cut = threshold - SIMILARITY_TOLERANCE
    links = _linked_pairs_dense(dense, cut, wording, lexical=lexical)
    return _grouped(ordered, dense, links, cut, wording, lexical=lexical)


def normalise_text(text: str) -> str:
    """NFKC, case-fold, turn everything but letters, marks and digits into single spaces."""
    return _normalised_texts([text])[0]


def text_vectors(texts: Sequence[str]) -> SparseMatrix:
    """The combined TF-IDF matrix (CSR, float64, one row per text) that `group_items` uses.

    The dot product of two rows is the similarity compared with the threshold; the rows of
    texts with nothing left after normalisation are zero.
    """
    return _vectors_of_normalised(_normalised_texts(texts))


def point_vectors(texts: Sequence[str]) -> SparseMatrix:
    """The matrix `group_items` compares (CSR, one row per text): `text_vectors` of each text's
    content words, each followed by its stem (wording.py), or of the whole text when it has none."""
    normalised = _normalised_texts(texts)
    return _vectors_of_normalised(analyse(normalised, texts).point_texts(normalised))


def _vectors_of_normalised(normalised: Sequence[str], copies: IndexArray | None = None) -> SparseMatrix:
    """TF-IDF rows of the texts; with `copies`, text k stands for `copies[k]` documents with its
    text (the idf counts them all) and its row is the row each of them would have."""
    if copies is None:
        copies = np.ones(len(normalised), dtype=np.int64)
    words = _tfidf(*_word_features(normalised), copies)
    chars = _tfidf(*_char_ngram_features(normalised), copies)
    return _side_by_side(words, chars, np.sqrt(WORD_WEIGHT), np.sqrt(1.0 - WORD_WEIGHT))


def _side_by_side(left: SparseMatrix, right: SparseMatrix, left_scale: float, right_scale: float) -> SparseMatrix:
    """`[left * left_scale, right * right_scale]` as one CSR matrix with sorted column indices,
    from two with sorted indices and the same rows: each row is the left row, then the right
    one shifted past the left's columns (what `sparse.hstack` and `sort_indices` give, in one pass)."""
    n_rows = left.shape[0]
    indptr = np.asarray(left.indptr, dtype=np.int64) + np.asarray(right.indptr, dtype=np.int64)
    left_rows = np.repeat(np.arange(n_rows, dtype=np.int64), np.diff(left.indptr))
    right_rows = np.repeat(np.arange(n_rows, dtype=np.int64), np.diff(right.indptr))
    left_at = np.arange(left.nnz, dtype=np.int64) + np.asarray(right.indptr, dtype=np.int64)[left_rows]
    right_at = np.arange(right.nnz, dtype=np.int64) + np.asarray(left.indptr, dtype=np.int64)[right_rows + 1]
    indices = np.empty(left.nnz + right.nnz, dtype=np.int64)
    data = np.empty(left.nnz + right.nnz, dtype=np.float64)
    indices[left_at], data[left_at] = left.indices, left.data * left_scale
    indices[right_at], data[right_at] = (
        np.asarray(right.indices, dtype=np.int64) + left.shape[1],
        right.data * right_scale,
    )
    return sparse.csr_matrix((data, indices, indptr), shape=(n_rows, left.shape[1] + right.shape[1]))


# --- ordering --------------------------------------------------------------------------


def _check_threshold(threshold: float) -> None:
    if not 0.0 < threshold <= 1.0:
        raise ValueError(f"threshold must be in (0, 1], got {threshold!r}")


_sort_key: Callable[[GroupingItem], tuple[str, str, str]] = operator.attrgetter("key", "room_id", "text")


def _canonical_order(items: Sequence[GroupingItem]) -> list[GroupingItem]:
    ordered = sorted(items, key=_sort_key)
    for before, after in itertools.pairwise(ordered):
        if before.key == after.key:
            raise ValueError(f"duplicate item key {after.key!r}")
    return ordered


# --- text features ---------------------------------------------------------------------


def _normalised_texts(texts: Sequence[str]) -> list[str]:
    """`language.normalise_all`, each text's normal form kept (a new answer costs its own)."""
    with _NORMALISED_LOCK:
        distinct = list(dict.fromkeys(texts))
        if len(_NORMALISED) + len(distinct) > NORMALISED_KEPT_MAX:
            _NORMALISED.clear()
        missing = [text for text in distinct if text not in _NORMALISED]
        if missing:
            _NORMALISED.update(zip(missing, language.normalise_all(missing), strict=True))
        return [_NORMALISED[text] for text in texts]


def _word_features(texts: Sequence[str]) -> tuple[KeyArray, IndexArray]:
    """Feature codes and document numbers of every word and adjacent word pair."""
    tokens = " ".join(texts).split()
    vocabulary = first_appearance_ids(tokens)
    ids = np.fromiter(map(vocabulary.__getitem__, tokens), dtype=np.uint64, count=len(tokens))
    token_counts = [text.count(" ") + 1 if text else 0 for text in texts]
    docs = np.repeat(np.arange(len(texts), dtype=np.int64), token_counts)
    size = np.uint64(max(len(vocabulary), 1))
    same_doc = docs[1:] == docs[:-1]
    # Pairs are coded above the single words: code = size + first * size + second.
    pairs = size + ids[:-1][same_doc] * size + ids[1:][same_doc]
    return np.concatenate([ids, pairs]), np.concatenate([docs, docs[:-1][same_doc]])


def _char_ngram_features(texts: Sequence[str]) -> tuple[KeyArray, IndexArray]:
    """Feature codes and document numbers of every char_wb n-gram.

    The texts are laid end to end as " w1 w2 \\0 w3 \\0 ...": an n-gram of a word padded
    with spaces is a window with no space or separator inside it and no separator at its
    ends, so all n-grams of all texts come from a few array operations.
    """
    joined = " " + " \0 ".join(texts) + " "
    codepoints = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
    alphabet = np.unique(codepoints)
    # Characters are renumbered 1..A so an n-gram is a base-(A+1) number without zero
    # digits, hence distinct across lengths too.
    digits = (np.searchsorted(alphabet, codepoints) + 1).astype(np.uint64)
    base = np.uint64(len(alphabet) + 1)
    is_space = codepoints == 32
    is_separator = codepoints == 0
    blocked = np.zeros(len(codepoints) + 1, dtype=np.int64)
    np.cumsum(is_space | is_separator, out=blocked[1:])
    # Each text occupies its length + 3 positions (" text " and the separator), the last 2.
    lengths = np.fromiter((len(text) + 3 for text in texts), dtype=np.int64, count=len(texts))
    doc_of_position = np.repeat(np.arange(len(texts), dtype=np.int64), lengths)
    total = len(codepoints)
    codes: list[KeyArray] = []
    docs: list[IndexArray] = []
    window = np.zeros(total, dtype=np.uint64)
    for n in range(1, CHAR_NGRAM_MAX + 1):
        starts = total - n + 1
        if starts <= 0:
            break
        # Polynomial code of the window; wraps modulo 2**64 only for huge alphabets, where
        # `_count_matrix` hashes codes anyway.
        window = window[:starts] * base + digits[n - 1 :]
        if n < CHAR_NGRAM_MIN:
            continue
        valid = (
            (blocked[n - 1 : n - 1 + starts] == blocked[1 : 1 + starts])
            & ~is_separator[:starts]
            & ~is_separator[n - 1 :]
        )
        codes.append(window[valid])
        docs.append(doc_of_position[:starts][valid])
    if not codes:
        return np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64)
    return np.concatenate(codes), np.concatenate(docs)


def _tfidf(codes: KeyArray, docs: IndexArray, copies: IndexArray) -> SparseMatrix:
    """CSR matrix, one row per text: (1 + ln tf) * idf, rows L2-normalised; text k counts as
    `copies[k]` documents in the idf."""
    n_docs = len(copies)
    indptr, indices, counts, doc_freq = _count_matrix(codes, docs, n_docs, copies)
    # scikit-learn's smoothed idf: as if one extra document held every feature once. The counts
    # are whole numbers however the copies were summed, so the idf is that of every copy apart.
    idf = np.log((1.0 + float(copies.sum())) / (1.0 + doc_freq)) + 1.0
    weights = (1.0 + np.log(counts)) * idf[indices]
    rows = np.repeat(np.arange(n_docs, dtype=np.int64), np.diff(indptr))
    norms = np.sqrt(np.bincount(rows, weights=weights * weights, minlength=n_docs))
    weights /= norms[rows]
    return sparse.csr_matrix((weights, indices, indptr), shape=(n_docs, len(doc_freq)))


def _count_matrix(
    codes: KeyArray, docs: IndexArray, n_docs: int, copies: IndexArray
) -> tuple[IndexArray, IndexArray, FloatArray, FloatArray]:
    """Term counts in CSR layout (indptr, column, count) and each column's document count
    (document k counting `copies[k]` times).

    Feature code and document number are packed into one 64-bit integer and sorted once;
    equal runs are term counts, and a change of code starts a new column. Codes too wide
    to pack beside the document number are hashed into the bits left.
    """
    doc_bits = max(n_docs.bit_length(), 1)
    if len(codes) and int(codes.max()) >> (64 - doc_bits):
        codes = (codes * _HASH_MULTIPLIER) >> np.uint64(doc_bits)
    packed = (codes << np.uint64(doc_bits)) | docs.astype(np.uint64)
    # Integers: any sort gives the same order; this one uses the runs of each text's n-grams.
    packed.sort()
    run_starts = np.flatnonzero(_changes(packed))
    counts = np.diff(run_starts, append=len(packed)).astype(np.float64)
    entries = packed[run_starts]
    entry_docs = (entries & np.uint64((1 << doc_bits) - 1)).astype(np.int64)
    columns = np.cumsum(_changes(entries >> np.uint64(doc_bits))) - 1
    n_features = int(columns[-1]) + 1 if len(columns) else 0
    column_starts = np.zeros(n_features + 1, dtype=np.int64)
    np.cumsum(np.bincount(columns, minlength=n_features), out=column_starts[1:])
    doc_freq = np.bincount(columns, weights=copies[entry_docs].astype(np.float64), minlength=n_features)
    # The entries are sorted by column then document: CSC layout; scipy turns it into CSR
    # with sorted column indices in O(entries).
    by_column = sparse.csc_matrix((counts, entry_docs, column_starts), shape=(n_docs, n_features))
    by_row = by_column.tocsr()
    return (
        np.asarray(by_row.indptr, dtype=np.int64),
        np.asarray(by_row.indices, dtype=np.int64),
        np.asarray(by_row.data, dtype=np.float64),
        doc_freq.astype(np.float64),
    )


def _changes(values: KeyArray) -> npt.NDArray[np.bool_]:
    """True where a sorted array's value differs from the one before (and at the start)."""
    changed = np.ones(len(values), dtype=np.bool_)
    np.not_equal(values[1:], values[:-1], out=changed[1:])
    return changed


# --- links -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _DistinctTexts:
    """The distinct texts of a list, in order of first appearance, and where each entry went.

    Answers restating one point often keep the same content words (a stop word dropped, a
    letter case or a punctuation mark changed): their compared texts are equal, their rows
    equal, and the rows are built and multiplied once per distinct text. Texts are told apart
    by `kind` too (whether they hold content words): entries of one distinct text then also
    hold the same content stems.
    """

    texts: list[str]
    row_of: IndexArray  # the distinct text of each entry
    copies: IndexArray  # entries holding each distinct text
    members: IndexArray  # entries, grouped by distinct text (increasing within a text)
    first_member: IndexArray  # where each distinct text's entries start in `members`

    @classmethod
    def of(cls, texts: Sequence[str], kind: npt.NDArray[np.bool_] | None = None) -> _DistinctTexts:
        keys = list(zip(texts, kind.tolist(), strict=True)) if kind is not None else list(texts)
        row: dict[Any, int] = {}
        row_of = np.fromiter((row.setdefault(key, len(row)) for key in keys), dtype=np.int64, count=len(keys))
        copies = np.bincount(row_of, minlength=len(row)).astype(np.int64)
        first_member = np.zeros(len(row), dtype=np.int64)
        np.cumsum(copies[:-1], out=first_member[1:])
        members = np.argsort(row_of, kind="stable")
        return cls([texts[int(entry)] for entry in members[first_member]], row_of, copies, members, first_member)

    def entry_pairs(self, left: IndexArray, right: IndexArray) -> tuple[IndexArray, IndexArray, IndexArray]:
        """Every pair of entries (i < j) with i of text `left[k]` and j of text `right[k]` (k
        numbering the pairs of texts, `left[k] < right[k]`, or equal for pairs of one text's
        copies), and the k each came from."""
        counts = self.copies[left] * self.copies[right]
        source = np.repeat(np.arange(len(left), dtype=np.int64), counts)
        offset = np.arange(len(source), dtype=np.int64) - np.repeat(np.cumsum(counts) - counts, counts)
        width = self.copies[right][source]
        first = self.members[self.first_member[left][source] + offset // width]
        second = self.members[self.first_member[right][source] + offset % width]
        keep = first != second
        first, second, source = first[keep], second[keep], source[keep]
        same_text = left[source] == right[source]
        keep = ~same_text | (first < second)
        first, second, source = first[keep], second[keep], source[keep]
        return np.minimum(first, second), np.maximum(first, second), source


@dataclass(frozen=True, slots=True)
class _Links:
    """Pairs of rows whose similarity reaches the threshold; `left[k] < right[k]`."""

    left: IndexArray
    right: IndexArray


def _linked_pairs_sparse(vectors: SparseMatrix, distinct: _DistinctTexts, threshold: float, wording: Wording) -> _Links:
    """Links between entries whose rows (of a non-negative CSR matrix, one row per distinct
    text, `distinct` telling which entries hold it) are similar (see the module docstring).

    A pair's similarity is its dot product over the shared "light" features, from a sparse
    product, plus its dot product over the "heavy" ones (those too common for the product
    budget; none in inputs the size of a meeting, where the result is exact). The light part
    alone reaching the threshold links the pair, as no weight is negative. Otherwise the
    heavy part is at most the product of the two rows' heavy-part norms, and the pairs that
    can still reach the threshold (with a light part of at least OPEN_PAIR_MIN_SHARE of it)
    have the heavy part computed, most in common first, up to VERIFIED_PAIRS_MAX pairs.

    The product runs over the distinct texts; each pair of texts found stands for every pair of
    their entries, and the copies of one text are paired with each other at their row's
    similarity with itself. Which features are heavy is decided on the entries' counts, as
    if every entry had its own row.
    """
    n_rows, n_features = vectors.shape
    doc_freq = np.bincount(
        np.asarray(vectors.indices, dtype=np.int64),
        weights=np.repeat(distinct.copies, np.diff(vectors.indptr)).astype(np.float64),
        minlength=n_features,
    ).astype(np.int64)
    cap = _candidate_doc_freq_cap(doc_freq)
    # Features of one document link nothing; dropping them makes the product cheaper.
    light = _columns_subset(vectors, (doc_freq >= 2) & (doc_freq <= cap))
    heavy = _columns_subset(vectors, doc_freq > cap)
    heavy_norm = np.sqrt(np.bincount(_row_numbers(heavy), weights=np.square(heavy.data), minlength=n_rows))
    # A pair below this light part cannot link, or is not worth computing (see above).
    floor = threshold
    if heavy.nnz:
        floor = min(threshold, max(OPEN_PAIR_MIN_SHARE * threshold, threshold - float(heavy_norm.max()) ** 2))
    lefts: list[IndexArray] = [np.zeros(0, dtype=np.int64)]
    rights: list[IndexArray] = [np.zeros(0, dtype=np.int64)]
    partials: list[FloatArray] = [np.zeros(0, dtype=np.float64)]
    # The rows from a block on against the block: only the upper triangle is computed, only
    # a block is transposed, and the entries below the floor are dropped first.
    for start in range(0, n_rows, PRODUCT_BLOCK_ROWS):
        block = light[start : start + PRODUCT_BLOCK_ROWS]
        product = (light[start:] @ block.T.tocsr()).tocsr()
        kept = np.flatnonzero(product.data >= floor)
        later = np.searchsorted(product.indptr, kept, side="right") - 1
        earlier = np.asarray(product.indices, dtype=np.int64)[kept]
        partial = np.asarray(product.data, dtype=np.float64)[kept]
        # A row with itself (the diagonal) stands for the pairs of its text's copies.
        keep = ((later > earlier) | ((later == earlier) & (distinct.copies[earlier + start] > 1))) & (
            partial + heavy_norm[later + start] * heavy_norm[earlier + start] >= threshold
        )
        lefts.append(earlier[keep] + start)
        rights.append(later[keep] + start)
        partials.append(partial[keep])
    text_left, text_right = np.concatenate(lefts), np.concatenate(rights)
    # The entries of one distinct text hold the same content stems: stems in common once per
    # pair of texts.
    first_entry = distinct.members[distinct.first_member]
    shared = shared_measures(wording, first_entry[text_left], first_entry[text_right])
    left, right, source = distinct.entry_pairs(text_left, text_right)
    text_left, text_right = text_left[source], text_right[source]
    partial = np.concatenate(partials)[source]
    # Pairs that may never share a point (opposite stances, one word in common) link nothing.
    allowed = compatible(wording, left, right, measures=(shared[0][source], shared[1][source], shared[2][source]))
    left, right, partial = left[allowed], right[allowed], partial[allowed]
    text_left, text_right = text_left[allowed], text_right[allowed]
    sure = partial >= threshold
    linked = [np.flatnonzero(sure)]
    n_entries = len(distinct.row_of)
    component_of = _components(n_entries, left[sure], right[sure])
    # Open pairs in rounds, most in common first; a pair whose ends a link has already
    # connected cannot change the components, the only use made of links, and is skipped.
    open_pairs = np.flatnonzero(~sure)
    open_pairs = open_pairs[np.argsort(-partial[open_pairs], kind="stable")]
    verified = 0
    for start in range(0, len(open_pairs), VERIFY_ROUND_PAIRS):
        batch = open_pairs[start : start + VERIFY_ROUND_PAIRS]
        batch = batch[component_of[left[batch]] != component_of[right[batch]]][: VERIFIED_PAIRS_MAX - verified]
        verified += len(batch)
        similarity = partial[batch] + _row_pair_dots(heavy, text_left[batch], text_right[batch])
        linked.append(batch[similarity >= threshold])
        if len(linked[-1]):
            chosen = np.concatenate(linked)
            component_of = _components(n_entries, left[chosen], right[chosen])
        if verified >= VERIFIED_PAIRS_MAX:
            break
    chosen = np.sort(np.concatenate(linked))
    return _Links(left[chosen], right[chosen])


def _candidate_doc_freq_cap(doc_freq: npt.NDArray[np.int64]) -> int:
    """The largest document frequency whose features (from 2 up) all fit `CANDIDATE_WORK_BUDGET`."""
    features_per_freq = np.bincount(doc_freq, minlength=2)
    features_per_freq[:2] = 0  # features of one document are left out of the product anyway
    freqs = np.arange(len(features_per_freq), dtype=np.float64)
    work = np.cumsum(features_per_freq * freqs * freqs)
    return int(np.flatnonzero(work <= CANDIDATE_WORK_BUDGET)[-1])


def _row_numbers(matrix: SparseMatrix) -> IndexArray:
    """The row of each stored entry of a CSR matrix."""
    return np.repeat(np.arange(matrix.shape[0], dtype=np.int64), np.diff(matrix.indptr))


def _columns_subset(matrix: SparseMatrix, keep: npt.NDArray[np.bool_]) -> SparseMatrix:
    """The same CSR matrix with the columns outside `keep` emptied (shape unchanged)."""
    kept = keep[matrix.indices]
    kept_before = np.zeros(len(kept) + 1, dtype=np.int64)
    np.cumsum(kept, out=kept_before[1:])
    return sparse.csr_matrix((matrix.data[kept], matrix.indices[kept], kept_before[matrix.indptr]), shape=matrix.shape)


def _row_pair_dots(matrix: SparseMatrix | FloatArray, left: IndexArray, right: IndexArray) -> FloatArray:
    """Dot products of rows `left[k]` and `right[k]` of a dense or CSR matrix."""
    result = np.zeros(len(left), dtype=np.float64)
    for start in range(0, len(left), PAIR_CHUNK):
        stop = start + PAIR_CHUNK
        if isinstance(matrix, np.ndarray):
            result[start:stop] = np.einsum("ij,ij->i", matrix[left[start:stop]], matrix[right[start:stop]])
        elif matrix.nnz:
            products = matrix[left[start:stop]].multiply(matrix[right[start:stop]])
            result[start:stop] = np.asarray(products.sum(axis=1)).ravel()
    return result


def _linked_pairs_dense(vectors: FloatArray, threshold: float, wording: Wording, *, lexical: bool) -> _Links:
    """Links between rows of a dense matrix, computed a block of rows at a time."""
    block = 1024  # rows per block: a block of similarities stays a few tens of megabytes
    lefts: list[IndexArray] = [np.zeros(0, dtype=np.int64)]
    rights: list[IndexArray] = [np.zeros(0, dtype=np.int64)]
    for start in range(0, len(vectors), block):
        rows, cols = np.nonzero(vectors[start : start + block] @ vectors.T >= threshold)
        rows = rows.astype(np.int64) + start
        upper = cols > rows
        lefts.append(rows[upper])
        rights.append(cols[upper].astype(np.int64))
    left, right = np.concatenate(lefts), np.concatenate(rights)
    allowed = compatible(wording, left, right, lexical=lexical)
    return _Links(left[allowed], right[allowed])


# --- clustering ------------------------------------------------------------------------


def _grouped(
    ordered: Sequence[GroupingItem],
    vectors: SparseMatrix | FloatArray,
    links: _Links,
    threshold: float,
    wording: Wording,
    *,
    lexical: bool,
) -> list[Group]:
    cluster_of = _clusters(vectors, links, threshold, wording, lexical=lexical)
    return _groups(ordered, cluster_of, wording)


def _clusters(
    vectors: SparseMatrix | FloatArray, links: _Links, threshold: float, wording: Wording, *, lexical: bool
) -> IndexArray:
    """Cluster number of each row: average linkage, cut at the threshold, per component."""
    n_rows = vectors.shape[0]
    if len(links.left) == 0:
        return np.arange(n_rows, dtype=np.int64)
    pieces = _pieces_within_limit(vectors, links, threshold)
    sizes = np.bincount(pieces)
    inside = pieces[links.left] == pieces[links.right]
    link_counts = np.bincount(pieces[links.left[inside]], minlength=len(sizes))
    # A piece every pair of which is linked is one cluster whatever the linkage; most are.
    # A piece still above the size limit (see _pieces_within_limit) is kept whole.
    needs_linkage = np.flatnonzero(
        (sizes >= 3) & (link_counts < sizes * (sizes - 1) // 2) & (sizes <= LINKAGE_MAX_ITEMS)
    )
    if len(needs_linkage) == 0:
        return pieces
    members_of = _members_by_label(pieces)
    cluster_of = pieces.copy()
    next_label = len(sizes)
    blocks = [members_of[piece] for piece in needs_linkage]
    if isinstance(vectors, np.ndarray):
        similarities = [vectors[members] @ vectors[members].T for members in blocks]
    else:
        similarities = _products_within(vectors, blocks)
    allowed_within = _compatible_within_blocks(wording, blocks, lexical=lexical)
    for members, similarity, allowed in zip(blocks, similarities, allowed_within, strict=True):
        similarity = np.asarray(similarity, dtype=np.float64)[np.triu_indices(len(members), k=1)]
        # Pairs that may not share a point keep any cluster holding both from forming.
        similarity[~allowed] = -CANNOT_LINK_DISTANCE
        # A piece whose pairs all reach the threshold (links skipped or not computed
        # included) is one cluster; only the others need the linkage itself.
        if similarity.min() >= threshold:
            continue
        tree = hierarchy.linkage(np.maximum(1.0 - similarity, 0.0), method="average")
        labels = np.asarray(hierarchy.fcluster(tree, t=1.0 - threshold, criterion="distance"), dtype=np.int64)
        cluster_of[members] = next_label + labels
        next_label += int(labels.max()) + 1
    return cluster_of


def _compatible_within_blocks(wording: Wording, blocks: Sequence[IndexArray], *, lexical: bool) -> list[BoolArray]:
    """`compatible` for every pair (i < j, in `np.triu_indices` order) of each block of rows,
    from one call over the pairs of all blocks: `compatible` decides each pair on its own, so
    this is `compatible_within`'s upper triangle per block, without a call's fixed cost per block."""
    uppers = [np.triu_indices(len(members), k=1) for members in blocks]
    left = np.concatenate(
        [np.zeros(0, dtype=np.int64), *(members[rows] for members, (rows, _) in zip(blocks, uppers, strict=True))]
    )
    right = np.concatenate(
        [np.zeros(0, dtype=np.int64), *(members[cols] for members, (_, cols) in zip(blocks, uppers, strict=True))]
    )
    allowed = compatible(wording, left, right, lexical=lexical)
    bounds = np.cumsum([len(rows) for rows, _ in uppers])[:-1]
    return np.split(allowed, bounds)


def _products_within(matrix: SparseMatrix, blocks: Sequence[IndexArray]) -> list[FloatArray]:
    """`rows @ rows.T` of each block of rows of a CSR matrix (sorted indices), dense, from one
    sparse product: each block's columns are numbered apart, in their order, so rows of two
    blocks share none, and every entry adds the same terms in the same order as the block's
    own product."""
    if not blocks:
        return []
    sizes = np.fromiter((len(block) for block in blocks), dtype=np.int64, count=len(blocks))
    rows = matrix[np.concatenate(blocks)]
    block_of_row = np.repeat(np.arange(len(blocks), dtype=np.int64), sizes)
    keys = np.repeat(block_of_row, np.diff(rows.indptr)) * np.int64(max(matrix.shape[1], 1)) + rows.indices
    columns = np.unique(keys)
    apart = sparse.csr_matrix(
        (rows.data, np.searchsorted(columns, keys), rows.indptr), shape=(len(block_of_row), len(columns))
    )
    product = (apart @ apart.T).tocoo()
    first_row = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    first_cell = np.concatenate([[0], np.cumsum(sizes * sizes)[:-1]])
    block = block_of_row[product.row]
    cells = np.zeros(int((sizes * sizes).sum()), dtype=np.float64)
    cells[first_cell[block] + (product.row - first_row[block]) * sizes[block] + product.col - first_row[block]] = (
        product.data
    )
    return [
        cells[start : start + size * size].reshape(size, size)
        for start, size in zip(first_cell.tolist(), sizes.tolist(), strict=True)
    ]


def _pieces_within_limit(vectors: SparseMatrix | FloatArray, links: _Links, threshold: float) -> IndexArray:
    """Connected components of the links, those above LINKAGE_MAX_ITEMS cut smaller.

    An oversized component is re-split on its own links at a threshold raised step by
    step until each piece fits; a piece still too big past a threshold of 1 stays whole.
    """
    n_rows = vectors.shape[0]
    pieces = _components(n_rows, links.left, links.right)
    oversized = np.bincount(pieces) > LINKAGE_MAX_ITEMS
    if not oversized.any():
        return pieces
    in_oversized = oversized[pieces[links.left]]
    similarity = np.full(len(links.left), np.inf)
    similarity[in_oversized] = _row_pair_dots(vectors, links.left[in_oversized], links.right[in_oversized])
    level = threshold + THRESHOLD_STEP
    while oversized.any() and level <= 1.0:
        left_piece = pieces[links.left]
        keep = (left_piece == pieces[links.right]) & (~oversized[left_piece] | (similarity >= level))
        pieces = _components(n_rows, links.left[keep], links.right[keep])
        oversized = np.bincount(pieces) > LINKAGE_MAX_ITEMS
        level += THRESHOLD_STEP
    return pieces


def _components(n_rows: int, left: IndexArray, right: IndexArray) -> IndexArray:
    graph = sparse.csr_matrix((np.ones(len(left), dtype=np.int8), (left, right)), shape=(n_rows, n_rows))
    _, labels = csgraph.connected_components(graph, directed=False)
    return np.asarray(labels, dtype=np.int64)


def _members_by_label(labels: IndexArray) -> list[IndexArray]:
    """Rows of each label in increasing order, for labels 0..max (all present)."""
    order = np.argsort(labels, kind="stable")
    return np.split(order, np.flatnonzero(np.diff(labels[order])) + 1)


# --- groups ----------------------------------------------------------------------------


def _rows(matrix: SparseMatrix) -> list[tuple[list[int], list[float]]]:
    """Each row of a CSR matrix as its columns and values."""
    bounds = matrix.indptr.tolist()
    columns, values = matrix.indices.tolist(), matrix.data.tolist()
    return [(columns[start:stop], values[start:stop]) for start, stop in itertools.pairwise(bounds)]


def _groups(ordered: Sequence[GroupingItem], cluster_of: IndexArray, wording: Wording) -> list[Group]:
    if not ordered:
        return []
    _, point_of = np.unique(cluster_of, return_inverse=True)
    point_of = point_of.astype(np.int64)
    members_of = _members_by_label(point_of)
    theme_of = theme_of_points(wording.theme_stems, wording.subjects, point_of, len(members_of))
    texts = [item.text for item in ordered]
    point_weights = keyphrases.class_weights(wording.stems, point_of, len(members_of))
    theme_of_text = theme_of[point_of]
    theme_weights = keyphrases.class_weights(wording.theme_stems, theme_of_text, int(theme_of.max()) + 1)
    point_namer = keyphrases.Namer(texts, wording.stems, wording.stem_ids, wording.plural_of)
    point_rows = _rows(point_weights)
    labels = [
        point_namer.name(members.tolist(), *point_rows[point])
        if len(members) > 1
        else keyphrases.shortened(texts[int(members[0])])
        for point, members in enumerate(members_of)
    ]
    theme_namer = keyphrases.Namer(texts, wording.theme_stems, wording.stem_ids, wording.plural_of)
    theme_rows = _rows(theme_weights)
    themes: dict[int, tuple[str, str]] = {}
    for theme, members in enumerate(_members_by_label(theme_of_text)):
        points = np.unique(point_of[members])
        label = theme_namer.name(members.tolist(), *theme_rows[theme]) if len(points) > 1 else labels[int(points[0])]
        themes[theme] = (f"theme:{ordered[int(members[0])].key}", label)
    groups: list[Group] = []
    for point, members in enumerate(members_of):
        label = labels[point]
        theme_key, theme_label = themes[int(theme_of[point])]
        groups.append(
            Group(
                keys=tuple(ordered[int(i)].key for i in members),
                room_ids=tuple(sorted({ordered[int(i)].room_id for i in members})),
                label=label,
                theme=theme_key,
                theme_label=theme_label,
            )
        )
    groups.sort(key=lambda group: (-len(group.room_ids), -len(group.keys), group.keys[0]))
    return groups
