"""What tells two claims apart when they share words: quantities, contrary poles, the meeting's
subject, and the object a shared template is filled with. Read by wording.py.

- **Quantities**: the numbers an answer states ("$50,000 per year or less", "55 or older",
  "10%", "zwölf", "৫৫"), as one set per answer. Two answers that both state numbers, and not
  the same ones, make different claims ("under 30" and "between 30 and 55" are two brackets).
- **Contrary poles**: words on either side of an axis (amount: more / less; size: over- /
  under-; support / oppose; verdict: pleased, fair / undemocratic, biased; age: younger /
  older), per language (English, German, Bengali). An answer takes a side of an axis when its
  words fall on one side only; two answers on opposite sides of any axis take opposite
  positions ("underrepresented" against "overrepresented").
- **The meeting's subject**: stems held by at least `SUBJECT_SHARE` of the answers (and
  `SUBJECT_MIN_ANSWERS`) are what the meeting is about ("electoral system", "tax"); answers
  that share only those share no point. Learned from the meeting's answers, as the boilerplate.
- **Templates filled differently**: each stem weighs its rarity in the meeting (idf); when what
  each of two answers says on its own outweighs, on both sides, what they share, and the shared
  words, in the same order in both, frame a gap each answer fills with words of its own ("I
  understand how [single transferable vote] works", "I understand how [mixed-member proportional]
  works"), the shared words are a template and the answers are about different things.

Every rule is a property of one answer (quantities, poles) or a pairwise test on per-answer
rows (`wording.compatible`); the subject stems and the stem weights are statistics of the
meeting, computed once per grouping the way the boilerplate is.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from app.plenary import language

SUBJECT_SHARE = 0.08
SUBJECT_MIN_ANSWERS = 10

IndexArray = npt.NDArray[np.int64]
SparseMatrix = Any

# Digits of any script (Bengali included), thousands separated by "," "." or a narrow space.
_NUMBER = re.compile(r"\d+(?:[,.\u202f\u00a0]\d{3})*(?:[.,]\d+)?(?:\s?[kK]\b)?")
_THOUSANDS = re.compile(r"(?<=\d)[,.\u202f\u00a0](?=\d{3}(?!\d))")

# Number words: whole words only ("one" and "ein" are left out, being pronouns and articles).
NUMBER_WORDS = {
    **dict.fromkeys(["two", "zwei", "দুই"], 2),
    **dict.fromkeys(["three", "drei", "তিন"], 3),
    **dict.fromkeys(["four", "vier", "চার"], 4),
    **dict.fromkeys(["five", "fünf", "পাঁচ"], 5),
    **dict.fromkeys(["six", "sechs", "ছয়"], 6),
    **dict.fromkeys(["seven", "sieben", "সাত"], 7),
    **dict.fromkeys(["eight", "acht", "আট"], 8),
    **dict.fromkeys(["nine", "neun", "নয়"], 9),
    **dict.fromkeys(["ten", "zehn", "দশ"], 10),
    **dict.fromkeys(["eleven", "elf"], 11),
    **dict.fromkeys(["twelve", "zwölf"], 12),
    **dict.fromkeys(["twenty", "zwanzig", "বিশ"], 20),
    **dict.fromkeys(["thirty", "dreißig", "ত্রিশ"], 30),
    **dict.fromkeys(["forty", "vierzig", "চল্লিশ"], 40),
    **dict.fromkeys(["fifty", "fünfzig", "পঞ্চাশ"], 50),
    **dict.fromkeys(["hundred", "hundert", "একশ"], 100),
}
# "নয়" is also the Bengali "is not": it counts as a number only after another number word.
AMBIGUOUS_NUMBER_WORDS = ("নয়",)

# Contrary axes: (words on one side, words on the other). Entries ending in "*" are prefixes.
POLES: tuple[tuple[str, str], ...] = (
    # amount
    (
        "more increas* higher greater raise raised raising boost* extra mehr erhöh* höher* steiger* বেশি বাড়া* বাড়ানো",
        "less fewer reduc* decreas* lower lowered lowering weniger verringer* senk* gesenkt* niedriger* কম কমা*",
    ),
    # size: over- against under- in compounds ("overrepresented", "underfunded")
    (
        "overrepresent* overfund* overpaid overpriced overvalu* overrat* overtax* overcrowd* oversiz* "
        "überrepräsent* überbezahl* überteuer* überfüll* überbewert*",
        "underrepresent* underfund* underpaid underpriced undervalu* underrat* undertax* understaff* undersiz* "
        "unterrepräsent* unterbezahl* unterfinanz* unterbewert* unterbesetz*",
    ),
    # support against opposition
    (
        "support* favour* favor* endors* befürwort* unterstütz* সমর্থন*",
        "oppos* reject* ablehn* abgelehnt* বিরোধ* প্রত্যাখ্যান*",
    ),
    # verdict
    (
        "pleased happy satisfied fair fairer democratic efficient effective stable zufrieden gerecht fair "
        "demokratisch effizient খুশি সন্তুষ্ট ন্যায্য কার্যকর",
        "unhappy dissatisfied displeased unfair undemocratic biased broken inefficient ineffective unstable "
        "wasted useless flawed rigged unzufrieden ungerecht undemokratisch ineffizient unwirksam "
        "অসন্তুষ্ট অন্যায্য অগণতান্ত্রিক অকার্যকর",
    ),
    # age
    ("younger youngest jünger jüngere জুনিয়র", "older oldest älter ältere প্রবীণ"),
)


def quantities(
    originals: Sequence[str], normalised: Sequence[str], ids: IndexArray, docs: IndexArray, words: list[str]
) -> IndexArray:
    """One number per answer: equal for answers stating the same set of numbers, 0 for none.
    `ids`, `docs` and `words` are the answers' tokens as wording.analyse reads them."""
    result = np.zeros(len(originals), dtype=np.int64)
    number_words = _number_words()
    numeric = np.fromiter(
        (word in number_words or any(char.isdigit() for char in word) for word in words),
        dtype=np.bool_,
        count=len(words),
    )
    keys: dict[frozenset[float], int] = {frozenset(): 0}
    for doc in np.unique(docs[numeric[ids]]).tolist():
        result[doc] = keys.setdefault(_numbers(originals[doc], normalised[doc]), len(keys))
    return result


# Kept per text: a meeting's answers are read again at every merge (wording.forget_readings drops it).
@functools.lru_cache(maxsize=65_536)
def _numbers(original: str, normalised: str) -> frozenset[float]:
    found: set[float] = set()
    if any(char.isdigit() for char in original):
        for match in _NUMBER.finditer(unicodedata.normalize("NFKC", original)):
            found.add(_value(match.group()))
    number_words, ambiguous = _number_words(), _ambiguous_number_words()
    words = normalised.split()
    for position, word in enumerate(words):
        value = number_words.get(word)
        if value is None:
            continue
        if word in ambiguous and not (position and words[position - 1] in number_words):
            continue
        found.add(float(value))
    return frozenset(found)


def forget_numbers() -> None:
    _numbers.cache_clear()


@functools.cache
def number_words() -> frozenset[str]:
    """The number words (as `language.normalise` writes them) that are never anything else."""
    return frozenset(_number_words()) - _ambiguous_number_words()


@functools.cache
def _number_words() -> dict[str, int]:
    """NUMBER_WORDS as `language.normalise` writes them ("dreißig" is "dreissig")."""
    return {language.normalise(word): value for word, value in NUMBER_WORDS.items()}


@functools.cache
def _ambiguous_number_words() -> frozenset[str]:
    return frozenset(language.normalise(word) for word in AMBIGUOUS_NUMBER_WORDS)


def _value(number: str) -> float:
    thousands = number.rstrip().lower().endswith("k")
    digits = _THOUSANDS.sub("", number.rstrip("kK ").strip()).replace(",", ".")
    value = float("".join(str(unicodedata.digit(char)) if char.isdigit() else char for char in digits))
    return value * 1000 if thousands else value


def poles(ids: IndexArray, docs: IndexArray, words: list[str], n_docs: int) -> npt.NDArray[np.int8]:
    """Per answer and axis: +1 (first side only), -1 (second side only), 0 (neither or both)."""
    result = np.zeros((n_docs, len(POLES)), dtype=np.int8)
    if not len(ids):
        return result
    for axis, (first, second) in enumerate(POLES):
        one = _flags(words, first)[ids]
        other = _flags(words, second)[ids]
        has_one = np.bincount(docs[one], minlength=n_docs) > 0
        has_other = np.bincount(docs[other], minlength=n_docs) > 0
        result[:, axis] = has_one.astype(np.int8) - has_other.astype(np.int8)
    return result


def opposite_poles(left_poles: npt.NDArray[np.int8], right_poles: npt.NDArray[np.int8]) -> npt.NDArray[np.bool_]:
    """Rows of two pole arrays that sit on opposite sides of some axis."""
    products = left_poles.astype(np.int64) * right_poles.astype(np.int64)
    opposed: npt.NDArray[np.bool_] = np.asarray((products < 0).any(axis=1), dtype=np.bool_)
    return opposed


def _flags(words: list[str], listing: str) -> npt.NDArray[np.bool_]:
    whole, prefixes = _listing(listing)
    return np.fromiter((word in whole or word.startswith(prefixes) for word in words), dtype=np.bool_, count=len(words))


@functools.cache
def _listing(listing: str) -> tuple[frozenset[str], tuple[str, ...]]:
    entries = listing.split()
    whole = frozenset(language.normalise(entry) for entry in entries if not entry.endswith("*"))
    prefixes = tuple(language.normalise(entry[:-1]) for entry in entries if entry.endswith("*"))
    return whole, prefixes


def filled_differently(left_stems: Sequence[str], right_stems: Sequence[str]) -> bool:
    """Whether the stems two texts share (`first_stems` of each) come in the same order in both and, between two of
    them, each text has stems of its own: one frame, two different objects ("understand how
    [STV] works", "understand how [MMP] works"). Words added only at the edges, or the shared
    words in another order, are a restatement's freedom, not another object."""
    shared = set(left_stems) & set(right_stems)
    frame = [stem for stem in left_stems if stem in shared]
    if len(frame) < 2 or frame != [stem for stem in right_stems if stem in shared]:
        return False
    return bool(_interior_slots(left_stems, shared, len(frame)) & _interior_slots(right_stems, shared, len(frame)))


def first_stems(words: Sequence[str]) -> tuple[str, ...]:
    """The stems of a text's content words in order, each where it first occurs."""
    return tuple(dict.fromkeys(language.stem(word) for word in words))


def _interior_slots(stems: Sequence[str], shared: set[str], frame_length: int) -> set[int]:
    """The gaps between shared stems (1 .. frame_length - 1) holding a stem of the text's own."""
    slots: set[int] = set()
    seen = 0
    for stem in stems:
        if stem in shared:
            seen += 1
        elif 0 < seen < frame_length:
            slots.add(seen)
    return slots


def subject_columns(stems: SparseMatrix) -> npt.NDArray[np.bool_]:
    """Stem columns held by at least SUBJECT_SHARE of the answers (and SUBJECT_MIN_ANSWERS)."""
    holders = np.bincount(stems.indices, minlength=stems.shape[1])
    subject: npt.NDArray[np.bool_] = holders >= max(SUBJECT_MIN_ANSWERS, SUBJECT_SHARE * stems.shape[0])
    return subject


def stem_weights(stems: SparseMatrix) -> npt.NDArray[np.float64]:
    """The smoothed idf of each stem column over the answers."""
    holders = np.bincount(stems.indices, minlength=stems.shape[1]).astype(np.float64)
    weights: npt.NDArray[np.float64] = np.log((1.0 + stems.shape[0]) / (1.0 + holders)) + 1.0
    return weights
