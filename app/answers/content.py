"""Whether an answer's value fits its question: the kind decides which one field it carries."""

from __future__ import annotations

from dataclasses import dataclass

from app.errors import InvalidInput
from app.inputs import is_blank
from app.questions.models import Question
from app.vocabulary import QuestionKind

# The one field each kind of question takes, for the messages.
VALUE_FIELD = {
    QuestionKind.OPEN: "text",
    QuestionKind.SINGLE_CHOICE: "choice_ids",
    QuestionKind.MULTIPLE_CHOICE: "choice_ids",
    QuestionKind.SCALE: "scale_value",
}


@dataclass(frozen=True, slots=True)
class AnswerContent:
    text: str | None = None
    choice_ids: list[str] | None = None
    scale_value: int | None = None


def checked_content(question: Question, given: AnswerContent) -> AnswerContent:
    """The value as it will be stored (text verbatim), or ``InvalidInput`` naming what is wrong."""
    kind = QuestionKind(question.kind)
    expected = VALUE_FIELD[kind]
    for name, value in (("text", given.text), ("choice_ids", given.choice_ids), ("scale_value", given.scale_value)):
        if name != expected and value is not None:
            raise InvalidInput(
                f"{name}: this is a {kind.value.replace('_', ' ')} question; answer it with {expected}",
                details={"expected": expected},
            )
    if kind is QuestionKind.OPEN:
        if given.text is None or is_blank(given.text):
            raise InvalidInput("text: write an answer; it must not be blank")
        return AnswerContent(text=given.text)
    if kind is QuestionKind.SCALE:
        low, high = question.scale_min, question.scale_max
        if given.scale_value is None:
            raise InvalidInput(f"scale_value: choose a point from {low} to {high}")
        if low is None or high is None or not low <= given.scale_value <= high:
            raise InvalidInput(f"scale_value: must lie from {low} to {high}, got {given.scale_value}")
        return AnswerContent(scale_value=given.scale_value)
    return AnswerContent(choice_ids=_checked_choices(question, kind, given.choice_ids))


def _checked_choices(question: Question, kind: QuestionKind, choice_ids: list[str] | None) -> list[str]:
    known = [str(option["id"]) for option in question.options]
    if not choice_ids:
        raise InvalidInput(
            f"choice_ids: choose {'one option' if kind is QuestionKind.SINGLE_CHOICE else 'at least one option'} of {', '.join(known)}"
        )
    if kind is QuestionKind.SINGLE_CHOICE and len(choice_ids) != 1:
        raise InvalidInput(f"choice_ids: choose exactly one option, got {len(choice_ids)}")
    if len(set(choice_ids)) != len(choice_ids):
        raise InvalidInput("choice_ids: each option may be chosen once")
    unknown = [choice for choice in choice_ids if choice not in known]
    if unknown:
        raise InvalidInput(
            f"choice_ids: {unknown[0]!r} is not an option of this question; the options are {', '.join(known)}"
        )
    return list(choice_ids)
