"""Which fields each kind of question takes, checked on the whole question (create and update alike).

A pure function of the question's fields: it raises ``InvalidInput`` naming the field at fault.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.errors import InvalidInput
from app.realtime.protocol import QuestionOption
from app.vocabulary import QuestionKind

CHOICE_OPTIONS_MIN = 2
# More options than this no longer fit a phone screen without scrolling past the question.
CHOICE_OPTIONS_MAX = 20
# An 11-point scale (0 to 10) is the widest people still read as a scale rather than a number field.
SCALE_SPAN_MAX = 10
CHOICE_KINDS = frozenset({QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE})


@dataclass(frozen=True, slots=True)
class QuestionShape:
    kind: QuestionKind
    options: list[QuestionOption]
    scale_min: int | None
    scale_max: int | None
    scale_labels: dict[str, str]


def check_shape(shape: QuestionShape) -> None:
    if shape.kind in CHOICE_KINDS:
        _check_options(shape.options)
    elif shape.options:
        raise InvalidInput(f"options: only choice questions take options, not {shape.kind.value} ones")
    if shape.kind is QuestionKind.SCALE:
        _check_scale(shape)
    elif shape.scale_min is not None or shape.scale_max is not None or shape.scale_labels:
        raise InvalidInput(
            f"scale_min: only scale questions take scale_min, scale_max and scale_labels, not {shape.kind.value} ones"
        )


def _check_options(options: list[QuestionOption]) -> None:
    if not CHOICE_OPTIONS_MIN <= len(options) <= CHOICE_OPTIONS_MAX:
        raise InvalidInput(
            f"options: a choice question takes {CHOICE_OPTIONS_MIN} to {CHOICE_OPTIONS_MAX} options, got {len(options)}"
        )
    seen: set[str] = set()
    for option in options:
        if option.id in seen:
            raise InvalidInput(f"options: the option id {option.id!r} is used twice; ids must be unique")
        seen.add(option.id)


def _check_scale(shape: QuestionShape) -> None:
    low, high = shape.scale_min, shape.scale_max
    if low is None or high is None:
        raise InvalidInput("scale_min: a scale question needs both scale_min and scale_max")
    if low >= high:
        raise InvalidInput(f"scale_max: must be greater than scale_min ({low}), got {high}")
    if high - low > SCALE_SPAN_MAX:
        raise InvalidInput(f"scale_max: a scale spans at most {SCALE_SPAN_MAX} steps, got {low} to {high}")
    for key in shape.scale_labels:
        try:
            point = int(key)
        except ValueError:
            raise InvalidInput(f"scale_labels: {key!r} is not a point of the scale; use its number") from None
        if not low <= point <= high or str(point) != key:
            raise InvalidInput(f"scale_labels: {key!r} is not a point of the scale {low} to {high}")
