"""The meeting-template format: a meeting's preparation (details, agenda, rooms, question bank and
which rooms get which question), versioned so that a file written today still imports later.

A template never holds people or answers: it is the reusable preparation, not a record. Every
limit below matches the column it lands in, so a template that validates always imports.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, Self

from pydantic import ConfigDict, Field, Strict, ValidationError, field_validator, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError

from app.inputs import Input
from app.meetings.schemas import LanguageTag
from app.questions.schemas import QUESTION_TEXT_MAX
from app.questions.shape import CHOICE_KINDS, CHOICE_OPTIONS_MAX, CHOICE_OPTIONS_MIN, SCALE_SPAN_MAX
from app.realtime.protocol import QuestionOption
from app.vocabulary import AgendaKind, Anonymity, QuestionKind, Visibility

TEMPLATE_FORMAT = "breakouts-meeting-template"
TEMPLATE_VERSION = 1
ALL_ROOMS = "all"
# The scale targets name 100 rooms; the other caps leave room for a long day's preparation.
MAX_ROOMS = 100
MAX_AGENDA_ITEMS = 100
MAX_QUESTIONS = 500

StrictInt = Annotated[int, Strict()]
Loc = tuple[str | int, ...]


class TemplatePart(Input):
    # A misspelt key would otherwise be dropped without a word: refuse it instead. Whitespace
    # around text (a YAML block often ends in a newline) is trimmed as the question bank does.
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class TemplateMeeting(TemplatePart):
    title: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=5000)
    languages: list[LanguageTag] = Field(default_factory=lambda: ["en"], min_length=1, max_length=10)
    default_anonymity: Anonymity = Anonymity.ANONYMOUS_TO_PEERS


class TemplateAgendaItem(TemplatePart):
    title: str = Field(min_length=1, max_length=300)
    kind: AgendaKind = AgendaKind.TALK
    speaker: str = Field(default="", max_length=200)
    planned_minutes: StrictInt = Field(default=0, ge=0, le=24 * 60)


class TemplateRoom(TemplatePart):
    name: str = Field(min_length=1, max_length=120)
    theme: str = Field(default="", max_length=200)
    capacity: StrictInt | None = Field(default=None, ge=1, le=10_000)


class TemplateScale(TemplatePart):
    min: StrictInt = Field(ge=-100, le=100)
    max: StrictInt = Field(ge=-100, le=100)
    # Keyed by the scale point: {1: "not at all", 5: "fully"}.
    labels: dict[int, Annotated[str, Field(min_length=1, max_length=100)]] = Field(default_factory=dict)


class TemplateQuestion(TemplatePart):
    code: str = Field(default="", max_length=20, pattern=r"^[A-Za-z0-9_.-]*$")
    theme: str = Field(default="", max_length=200)
    text: str = Field(min_length=1, max_length=QUESTION_TEXT_MAX)
    kind: QuestionKind = QuestionKind.OPEN
    options: list[QuestionOption] = Field(default_factory=list, max_length=CHOICE_OPTIONS_MAX)
    scale: TemplateScale | None = None
    # None in the file means the meeting's default; the template resolves it on reading.
    anonymity: Anonymity | None = None
    visibility: Visibility = Visibility.LIVE
    # Room names, or "all". Each room asks its questions in the order they appear in the file.
    rooms: list[Annotated[str, Field(min_length=1, max_length=120)]] | Literal["all"] = Field(
        default_factory=list, max_length=MAX_ROOMS
    )

    @field_validator("rooms", mode="before")
    @classmethod
    def _rooms_list_or_all(cls, value: Any) -> Any:
        # Without this a lone name would be reported twice, once per member of the union.
        if isinstance(value, str) and value != ALL_ROOMS:
            raise PydanticCustomError("rooms", 'give a list of room names, or "all"')
        return value

    def room_names(self) -> list[str]:
        """The rooms that ask this question; once the template is validated, always a list of the
        rooms' own spelling, in room order ("all" is expanded)."""
        return [] if self.rooms == ALL_ROOMS else list(self.rooms)


class MeetingTemplate(TemplatePart):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "format": TEMPLATE_FORMAT,
                    "version": TEMPLATE_VERSION,
                    "meeting": {"title": "Think tank policy session", "languages": ["en", "bn"]},
                    "agenda": [{"title": "Welcome", "kind": "talk", "planned_minutes": 5}],
                    "rooms": [{"name": "Room 1", "theme": "Criminalisation", "capacity": 10}],
                    "questions": [{"code": "S1", "text": "What single recommendation?", "rooms": "all"}],
                }
            ]
        }
    )

    format: Literal["breakouts-meeting-template"]
    version: Literal[1]
    meeting: TemplateMeeting
    agenda: list[TemplateAgendaItem] = Field(default_factory=list, max_length=MAX_AGENDA_ITEMS)
    rooms: list[TemplateRoom] = Field(default_factory=list, max_length=MAX_ROOMS)
    questions: list[TemplateQuestion] = Field(default_factory=list, max_length=MAX_QUESTIONS)

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        problems = template_problems(self)
        if problems:
            # A ValidationError raised here keeps each problem's own path (pydantic prefixes it).
            raise ValidationError.from_exception_data(
                type(self).__name__,
                [
                    InitErrorDetails(type=PydanticCustomError(kind, message), loc=loc, input=value)
                    for loc, kind, message, value in problems
                ],
            )
        # Resolve what the file leaves implicit, so that two files that mean the same compare equal.
        order = {room.name.casefold(): (index, room.name) for index, room in enumerate(self.rooms)}
        for question in self.questions:
            if question.anonymity is None:
                question.anonymity = self.meeting.default_anonymity
            named = (
                order.values() if question.rooms == ALL_ROOMS else [order[name.casefold()] for name in question.rooms]
            )
            question.rooms = [name for _, name in sorted(named)]
        return self


Problem = tuple[Loc, str, str, Any]


def _repeats(values: list[str]) -> list[int]:
    """Indexes of values already seen earlier (case-insensitive: "Room 1" and "room 1" clash)."""
    seen: set[str] = set()
    repeats: list[int] = []
    for index, value in enumerate(values):
        if value and value.casefold() in seen:
            repeats.append(index)
        seen.add(value.casefold())
    return repeats


def _choice_problems(question: TemplateQuestion, at: Loc) -> list[Problem]:
    choice = question.kind in CHOICE_KINDS
    if choice and len(question.options) < CHOICE_OPTIONS_MIN:
        message = f"a choice question needs {CHOICE_OPTIONS_MIN} options or more"
        return [((*at, "options"), "too_few_options", message, [])]
    if not choice and question.options:
        return [
            (
                (*at, "options"),
                "options_not_allowed",
                f"only choice questions take options, not {question.kind} ones",
                [],
            )
        ]
    ids = [option.id for option in question.options]
    return [
        ((*at, "options", i, "id"), "duplicate_option", f"option id {ids[i]!r} appears twice", ids[i])
        for i in _repeats(ids)
    ]


def _scale_problems(question: TemplateQuestion, at: Loc) -> list[Problem]:
    scale = question.scale
    if question.kind is not QuestionKind.SCALE:
        return (
            []
            if scale is None
            else [
                (
                    (*at, "scale"),
                    "scale_not_allowed",
                    f"only scale questions take a scale, not {question.kind} ones",
                    None,
                )
            ]
        )
    if scale is None:
        return [((*at, "scale"), "scale_missing", "a scale question needs scale: {min, max}", None)]
    if scale.min >= scale.max:
        return [((*at, "scale", "max"), "scale_order", "must be greater than min", scale.max)]
    if scale.max - scale.min > SCALE_SPAN_MAX:
        message = f"a scale spans at most {SCALE_SPAN_MAX} steps, this one {scale.max - scale.min}"
        return [((*at, "scale", "max"), "scale_span", message, scale.max)]
    return [
        (
            (*at, "scale", "labels", point),
            "label_outside_scale",
            f"{point} lies outside {scale.min}..{scale.max}",
            point,
        )
        for point in scale.labels
        if not scale.min <= point <= scale.max
    ]


def _room_problems(question: TemplateQuestion, at: Loc, rooms: set[str]) -> list[Problem]:
    if question.rooms == ALL_ROOMS:
        return []
    names = list(question.rooms)
    problems: list[Problem] = [
        ((*at, "rooms", i), "unknown_room", f"no room is named {name!r}", name)
        for i, name in enumerate(names)
        if name.casefold() not in rooms
    ]
    problems += [
        ((*at, "rooms", i), "duplicate_room", f"room {names[i]!r} appears twice", names[i]) for i in _repeats(names)
    ]
    return problems


def template_problems(template: MeetingTemplate) -> list[Problem]:
    """What field types alone cannot catch: duplicates, and references from questions to rooms."""
    languages = template.meeting.languages
    problems: list[Problem] = [
        (("meeting", "languages", i), "duplicate_language", f"{languages[i]!r} appears twice", languages[i])
        for i in _repeats(languages)
    ]
    names = [room.name for room in template.rooms]
    problems += [
        (("rooms", i, "name"), "duplicate_room_name", f"a room is named {names[i]!r} already", names[i])
        for i in _repeats(names)
    ]
    codes = [question.code for question in template.questions]
    problems += [
        (("questions", i, "code"), "duplicate_code", f"code {codes[i]!r} is used already", codes[i])
        for i in _repeats(codes)
    ]
    rooms = {name.casefold() for name in names}
    for index, question in enumerate(template.questions):
        at: Loc = ("questions", index)
        problems += _choice_problems(question, at) + _scale_problems(question, at) + _room_problems(question, at, rooms)
    return problems
