"""Choice and scale answers counted per room and overall, and how far the rooms diverge."""

from __future__ import annotations

import itertools
import uuid
from collections import Counter
from collections.abc import Sequence

from app.plenary.records import ShownAnswer
from app.plenary.schemas import Distribution, Divergence, OptionCount, ScaleCount
from app.questions.models import Question
from app.vocabulary import QuestionKind

# Rooms diverge on a scale when two room means lie a quarter of the scale apart or more: one
# whole point on a 1-5 scale, the difference between "somewhat" and "fairly" ready.
SCALE_DIVERGENCE = 0.25
# Rooms diverge on a choice when a third of their choices would have to change for two rooms to
# answer alike (total variation distance); below that the rooms share their leading options.
CHOICE_DIVERGENCE = 1 / 3
CHOICE_KINDS = (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE)


def distribution(question: Question, answers: Sequence[ShownAnswer]) -> Distribution | None:
    if question.kind in CHOICE_KINDS:
        return _choices(question, answers)
    if question.kind == QuestionKind.SCALE:
        return _scale(question, answers)
    return None


def _choices(question: Question, answers: Sequence[ShownAnswer]) -> Distribution:
    chosen = [list(dict.fromkeys(answer.choice_ids)) for answer in answers if answer.choice_ids]
    counts = Counter(choice for choices in chosen for choice in choices)
    respondents = len(chosen)
    options = [
        OptionCount(
            option_id=str(option["id"]),
            label=str(option.get("label", option["id"])),
            count=counts[option["id"]],
            share=round(counts[option["id"]] / respondents, 4) if respondents else 0.0,
        )
        for option in question.options
    ]
    return Distribution(respondents=respondents, options=options)


def _scale(question: Question, answers: Sequence[ShownAnswer]) -> Distribution:
    low, high = _scale_bounds(question)
    values = [answer.scale_value for answer in answers if answer.scale_value is not None]
    values = [value for value in values if low <= value <= high]
    counts = Counter(values)
    labels = question.scale_labels or {}
    return Distribution(
        respondents=len(values),
        scale=[ScaleCount(value=v, label=str(labels.get(str(v), "")), count=counts[v]) for v in range(low, high + 1)],
        mean=round(sum(values) / len(values), 3) if values else None,
    )


def _scale_bounds(question: Question) -> tuple[int, int]:
    low = question.scale_min if question.scale_min is not None else 1
    high = question.scale_max if question.scale_max is not None else 5
    return low, max(high, low)


def divergence(question: Question, by_room: Sequence[tuple[uuid.UUID, Distribution]]) -> Divergence | None:
    """The divergence between the rooms that answered; None when fewer than two did."""
    answered = [(room_id, dist) for room_id, dist in by_room if dist.respondents > 0]
    if len(answered) < 2:
        return None
    if question.kind == QuestionKind.SCALE:
        return _mean_range(question, answered)
    return _total_variation(answered)


def _mean_range(question: Question, answered: list[tuple[uuid.UUID, Distribution]]) -> Divergence:
    low, high = _scale_bounds(question)
    means = [(dist.mean or 0.0, room_id) for room_id, dist in answered]
    (lowest, low_room), (highest, high_room) = min(means), max(means)
    spread = highest - lowest
    value = spread / max(high - low, 1)
    return Divergence(
        measure="mean_range",
        value=round(value, 4),
        spread=round(spread, 3),
        threshold=SCALE_DIVERGENCE,
        verdict="rooms diverge" if value >= SCALE_DIVERGENCE else "rooms agree",
        rooms_compared=len(answered),
        furthest_apart=[low_room, high_room],
    )


def _total_variation(answered: list[tuple[uuid.UUID, Distribution]]) -> Divergence:
    def shares(dist: Distribution) -> dict[str, float]:
        # Normalised over the choices made, so a multiple-choice room's shares add up to 1 too.
        total = sum(option.count for option in dist.options) or 1
        return {option.option_id: option.count / total for option in dist.options}

    room_shares = [(room_id, shares(dist)) for room_id, dist in answered]
    widest, pair = -1.0, (room_shares[0][0], room_shares[1][0])
    for (first_id, first), (second_id, second) in itertools.combinations(room_shares, 2):
        distance = 0.5 * sum(abs(first.get(k, 0.0) - second.get(k, 0.0)) for k in first.keys() | second.keys())
        if distance > widest + 1e-12:
            widest, pair = distance, (first_id, second_id)
    return Divergence(
        measure="total_variation",
        value=round(widest, 4),
        threshold=round(CHOICE_DIVERGENCE, 4),
        verdict="rooms diverge" if widest >= CHOICE_DIVERGENCE - 1e-9 else "rooms agree",
        rooms_compared=len(answered),
        furthest_apart=list(pair),
    )


def merged(question: Question, parts: Sequence[Distribution]) -> Distribution | None:
    """The overall distribution: the rooms' counts added up."""
    if question.kind in CHOICE_KINDS:
        respondents = sum(part.respondents for part in parts)
        counts: Counter[str] = Counter()
        for part in parts:
            counts.update({option.option_id: option.count for option in part.options})
        template = _choices(question, [])
        return Distribution(
            respondents=respondents,
            options=[
                option.model_copy(
                    update={
                        "count": counts[option.option_id],
                        "share": round(counts[option.option_id] / respondents, 4) if respondents else 0.0,
                    }
                )
                for option in template.options
            ],
        )
    if question.kind == QuestionKind.SCALE:
        template = _scale(question, [])
        totals: Counter[int] = Counter()
        for part in parts:
            totals.update({entry.value: entry.count for entry in part.scale})
        respondents = sum(totals.values())
        mean = sum(value * count for value, count in totals.items()) / respondents if respondents else None
        return Distribution(
            respondents=respondents,
            scale=[entry.model_copy(update={"count": totals[entry.value]}) for entry in template.scale],
            mean=round(mean, 3) if mean is not None else None,
        )
    return None
