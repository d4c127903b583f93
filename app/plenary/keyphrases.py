"""Names of merged groups: a short phrase that says what a group is about, against the others.

Each group is one class. A content stem's weight in a class is class-based TF-IDF (as BERTopic's
c-TF-IDF): its share of the class's stems times log(1 + A / f), A the mean number of stems per
class and f the stem's count over all classes, so stems common to many groups ("city", "need")
weigh little and the ones that set a group apart weigh most. The name is the span of a member's
own words, one to `PHRASE_MAX_WORDS` words starting and ending on a content word, whose stems
weigh most in the class, times the square of the share of members that hold all of them (a
phrase most members share beats a longer one a single member used). Spans come from the `MEMBERS_READ` members holding the
most weight, so naming stays linear in the size of the input, and start on the `TOP_STEMS` stems
weighing most as a one-word name would (weight times the square of the share of members holding
it). A name never starts or ends on a function word, a pronoun or a number, and never runs on
into a verb or generic word that frames the claim (docs/merge.md, Names).
"""

from __future__ import annotations

import functools
import heapq
import itertools
import math
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import sparse

from app.plenary import claims, language

PHRASE_MAX_WORDS = 4
PHRASE_MAX_CONTENT_WORDS = 3
MEMBERS_READ = 3
# Spans start only on the class's heaviest stems (as one-word names: weight times share held squared).
TOP_STEMS = 6
LABEL_MAX_CHARS = 120
# A word in capitals up to this long may be an acronym or a name ("UNICEF"); longer, or several
# words, is shouting.
SHOUT_MIN_CHARS = 6
# A span that stops inside a run of content words ("Close the legal" of "Close the legal gap")
# counts this share of its score: a whole phrase of fewer members' words reads better.
INSIDE_PHRASE_FACTOR = 0.25
# A name never runs across the end of a clause.
CLAUSE_ENDS = frozenset(",;:.!?\u2013\u2014\u0964")

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
    texts: Sequence[str],
    members: IndexArray,
    weights: SparseMatrix,
    stems: SparseMatrix,
    stem_ids: dict[str, int],
    plural_of: Mapping[int, int] | None = None,
) -> str:
    """The best phrase of `members` (indices into `texts`): `weights` is the class's row of
    `class_weights`, `stems` the per-text stem rows it was computed from; `plural_of` maps a
    stem to the one it is the plural of ("gaps" to "gap"), which then count as one. The first
    member's text when no phrase scores."""
    namer = Namer(texts, stems, stem_ids, plural_of)
    return namer.name(members.tolist(), weights.indices.tolist(), weights.data.tolist())


class Namer:
    """Names many classes of one set of texts (see `name`); what is read from each text is
    worked out once per namer, and the spans of a text once per process for the same stems."""

    def __init__(
        self,
        texts: Sequence[str],
        stems: SparseMatrix,
        stem_ids: dict[str, int],
        plural_of: Mapping[int, int] | None = None,
    ) -> None:
        self.texts = texts
        self._indptr: list[int] = stems.indptr.tolist()
        self._columns: list[int] = stems.indices.tolist()
        stem_of = [""] * len(stem_ids)
        for stem, column in stem_ids.items():
            stem_of[column] = stem
        one = plural_of or {}
        # Each stem as names count it: a plural as its singular.
        self._counted = [stem_of[one.get(column, column)] for column in range(len(stem_of))]
        self._singular = {stem_of[column]: stem_of[other] for column, other in one.items()}
        self._held: dict[int, frozenset[str]] = {}

    def held(self, text: int) -> frozenset[str]:
        """The stems (as counted) of a text's row."""
        found = self._held.get(text)
        if found is None:
            columns = self._columns[self._indptr[text] : self._indptr[text + 1]]
            found = self._held[text] = frozenset(map(self._counted.__getitem__, columns))
        return found

    def name(self, members: list[int], weight_columns: list[int], weight_values: list[float]) -> str:
        """The best phrase of `members`, the class's weights given as its row's columns and values."""
        texts = self.texts
        counted = self._counted
        weight: dict[str, float] = {}
        for column, value in zip(weight_columns, weight_values, strict=True):
            stem = counted[column]
            weight[stem] = max(value, weight.get(stem, 0.0))
        if not weight:
            return shortened(texts[members[0]])
        held = [self.held(member) for member in members]
        # Spans start on the stems that weigh most as a one-word name would: weight times the
        # square of the share of members holding it. A stem one member wrote ("Louisville" among
        # the cities of one answer) does not crowd out the ones all share ("high speed rail").
        holding = Counter(itertools.chain.from_iterable(held))
        top = frozenset(sorted(weight, key=lambda stem: -weight[stem] * holding[stem] * holding[stem])[:TOP_STEMS])
        # The members read, those holding the most weight (as sorted()[:MEMBERS_READ] would
        # give); sums are exact (math.fsum), so no order of a set's stems changes a choice, and
        # members holding the same stems (copies, restatements) share one sum.
        held_weight: dict[frozenset[str], float] = {}
        for stems_held in held:
            if stems_held not in held_weight:
                held_weight[stems_held] = -math.fsum(map(weight.get, stems_held, itertools.repeat(0.0)))
        read = heapq.nsmallest(MEMBERS_READ, range(len(members)), key=lambda i: held_weight[held[i]])
        # The members holding each stem a phrase of theirs can have, as bits: a phrase's coverage
        # is the count of the bits its stems have in common.
        wanted = frozenset().union(*(held[index] for index in read))
        holders: dict[str, int] = {}
        for position, stems_held in enumerate(held):
            bit = 1 << position
            for stem in stems_held & wanted:
                holders[stem] = holders.get(stem, 0) | bit
        # A phrase's stems give its score before the edge factor (the same for every member
        # writing it, so worked out once per set of stems).
        score_of: dict[frozenset[str], float] = {}
        best: tuple[float, int, bool, str] = (0.0, 0, False, "")
        for index in read:
            text = texts[members[index]]
            singular = self._singular
            plurals = tuple((stem, singular[stem]) for found in _reading(text)[1] for stem in found if stem in singular)
            for phrase, phrase_stems, at_edge in _spans(text, held[index], top, plurals):
                score = score_of.get(phrase_stems)
                if score is None:
                    common = -1
                    for stem in phrase_stems:
                        common &= holders.get(stem, 0)
                    coverage = common.bit_count() / len(held)
                    score = score_of[phrase_stems] = (
                        math.fsum(weight[stem] for stem in phrase_stems) * coverage * coverage
                    )
                if not at_edge:
                    score *= INSIDE_PHRASE_FACTOR
                # The candidate (score, -length, not shouted, phrase) replaces the best when its
                # first three are greater; whether it is shouted matters only on a tie of the
                # first two. Of one phrase written in several members, a member's ordinary
                # casing wins over one written in capitals ("SPECIALISED PROSECUTION UNIT").
                ranked = (score, -len(phrase))
                if ranked > best[:2] or (ranked == best[:2] and not best[2] and not _shouted(phrase)):
                    best = (score, -len(phrase), not _shouted(phrase), phrase)
        return shortened(_capitalised(_unshouted(best[3])) if best[3] else texts[members[0]])


@functools.lru_cache(maxsize=65_536)
def _spans(
    text: str, content: frozenset[str], top: frozenset[str], plurals: tuple[tuple[str, str], ...]
) -> tuple[tuple[str, frozenset[str], bool], ...]:
    """Spans of the text's own words that start and end on one of its content stems (the first
    on one of the class's `top` stems) and on no function word, with their stems and whether
    they stop at a phrase's edge (see `_at_edge`). `plurals` maps the text's plural stems to
    the singular they count as. Kept per process: a point's heaviest stems rarely change when
    answers arrive, and its members are read again each time."""
    words, word_stems, opens_on_function, closes_on_function, framing, counting = _reading(text)
    singular = dict(plurals)
    function_stems = _function_stems()
    # Per word: its content stems in order (stems the texts do not hold are in no `content`).
    stems_of = [[singular.get(s, s) for s in found if singular.get(s, s) in content] for found in word_stems]
    spans: list[tuple[str, frozenset[str], bool]] = []
    for start in range(len(words)):
        if opens_on_function[start] or not stems_of[start] or stems_of[start][0] not in top:
            continue
        held: set[str] = set()
        for stop in range(start, min(start + PHRASE_MAX_WORDS, len(words))):
            held.update(stems_of[stop])
            # Function words are content where a language has no stop words ("voor het" of
            # "fietspaden voor het centrum"); they do not count towards a phrase's content words.
            # Nor does it run on into a verb that frames another claim ("County to improve
            # mobility"): it may open on one ("Improve mobility").
            if (
                len(held - function_stems) > PHRASE_MAX_CONTENT_WORDS
                or (stop > start and words[stop - 1][-1] in CLAUSE_ENDS)
                or (stop > start and framing[stop])
            ):
                break
            if not stems_of[stop] or closes_on_function[stop]:
                continue
            phrase = _trimmed(" ".join(words[start : stop + 1]))
            # A name neither starts nor ends on a number ("20", "hold 20", "five year old"): it
            # says how much, not of what.
            if not counting[start] and not counting[stop]:
                edge = _at_edge(words, start - 1, start, closes_on_function, framing, start - 1) and _at_edge(
                    words, stop, stop + 1, opens_on_function, None, stop + 1
                )
                spans.append((phrase, frozenset(held), edge))
    return tuple(spans)


@functools.lru_cache(maxsize=65_536)
def _reading(text: str) -> tuple[list[str], list[list[str]], list[bool], list[bool], list[bool], list[bool]]:
    """The text's words, each word's token stems, whether it opens or closes on a function word,
    whether it only frames (framing verbs and generic words: "increase", "important"), and whether
    it only counts (digits, number words: "20", "five"); kept per text, as a meeting's answers are
    named again each time the view is built."""
    words = text.split()
    function = language.function_words()
    frames = language.framing_verbs() | language.generic_words()
    numbers = claims.number_words()
    word_stems: list[list[str]] = []
    opens: list[bool] = []
    closes: list[bool] = []
    framing: list[bool] = []
    counting: list[bool] = []
    for word, normalised in zip(words, language.normalise_all(words), strict=True):
        tokens = normalised.split()
        word_stems.append([language.stem(token) for token in tokens])
        opens.append(not tokens or tokens[0] in function)
        closes.append(not tokens or tokens[-1] in function)
        framing.append(bool(tokens) and all(token in frames for token in tokens))
        counting.append(not _has_letter(word) or (bool(tokens) and all(token in numbers for token in tokens)))
    return words, word_stems, opens, closes, framing, counting


@functools.cache
def _function_stems() -> frozenset[str]:
    return frozenset(map(language.stem, language.function_words()))


def forget_readings() -> None:
    """Drop the words read from each text (`_reading`) and the spans found in them (`_spans`)."""
    _reading.cache_clear()
    _spans.cache_clear()
    _shouted.cache_clear()


def _at_edge(
    words: list[str],
    before: int,
    after: int,
    neighbour_is_function: list[bool],
    framing: list[bool] | None,
    neighbour: int,
) -> bool:
    """Whether a phrase may stop between words `before` and `after`: at the text's ends, at
    punctuation, beside a function word (the `neighbour`, outside the phrase), or, with
    `framing` given (a phrase's start), after a word that only frames the claim; "Close the
    legal" stops inside "the legal gap", "voter education" does not stop inside "increase voter
    education"."""
    if before < 0 or after >= len(words):
        return True
    if not _is_word_char(words[before][-1]) or not _is_word_char(words[after][0]):
        return True
    return neighbour_is_function[neighbour] or (framing is not None and framing[neighbour])


def _has_letter(word: str) -> bool:
    return any(char.isalpha() for char in word)


def _trimmed(surface: str) -> str:
    """The span without punctuation around it ("(affordable housing)" -> "affordable housing")."""
    start, end = 0, len(surface)
    while start < end and not _is_word_char(surface[start]):
        start += 1
    while end > start and not _is_word_char(surface[end - 1]):
        end -= 1
    return surface[start:end]


@functools.cache
def _is_word_char(char: str) -> bool:
    # Marks too: Bengali words end on vowel signs, which str.isalnum() does not count.
    return unicodedata.category(char)[0] in "LMN"


@functools.lru_cache(maxsize=65_536)
def _shouted(phrase: str) -> bool:
    """Written in capitals throughout: more than one word, or a word longer than an acronym
    ("UNICEF" is a name; "PROSECUTION UNIT" is shouting)."""
    cased = [char for char in phrase if char.isupper() or char.islower()]
    return bool(cased) and all(char.isupper() for char in cased) and (" " in phrase or len(phrase) > SHOUT_MIN_CHARS)


def _unshouted(phrase: str) -> str:
    return phrase.lower() if _shouted(phrase) else phrase


def _capitalised(phrase: str) -> str:
    return phrase[:1].upper() + phrase[1:] if phrase[:1].islower() else phrase


def shortened(text: str) -> str:
    label = " ".join(text.split())
    return label if len(label) <= LABEL_MAX_CHARS else label[: LABEL_MAX_CHARS - 1].rstrip() + "…"
