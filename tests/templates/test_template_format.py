"""The template format on its own: what it accepts, and the path it names for what it refuses."""

from __future__ import annotations

import json
from typing import Any

import pytest

from app.errors import InvalidInput
from app.templates.document import (
    TEMPLATE_MAX_BYTES,
    TemplateFormat,
    TemplateTooLarge,
    parse_template,
    render_template,
    template_filename,
)
from app.vocabulary import Anonymity, QuestionKind
from tests.templates.documents import REFERENCE_YAML, as_yaml, small_template


def refused(document: dict[str, Any] | str) -> InvalidInput:
    text = document if isinstance(document, str) else as_yaml(document)
    with pytest.raises(InvalidInput) as caught:
        parse_template(text.encode(), TemplateFormat.YAML)
    return caught.value


def test_the_reference_meeting_keeps_the_scenario() -> None:
    template = parse_template(REFERENCE_YAML.encode(), TemplateFormat.YAML)

    assert template.meeting.title == "Think tank policy session on migrant smuggling"
    assert template.meeting.languages == ["en", "bn"]
    assert template.meeting.default_anonymity is Anonymity.ANONYMOUS_TO_PEERS
    assert [(item.kind.value, item.planned_minutes) for item in template.agenda] == [
        ("talk", 5), ("talk", 10), ("talk", 15), ("talk", 15), ("breakouts", 45), ("report_back", 30), ("talk", 5)
    ]  # fmt: skip
    assert [room.theme for room in template.rooms] == [
        "Criminalisation under the protocol",
        "Strengthening criminal-justice measures",
        "The demand side of migrant smuggling",
        "International cooperation",
        "Protecting smuggled migrants",
        "Smuggling during and after the pandemic",
    ]
    per_room = {
        room.name: [q.code for q in template.questions if room.name in q.room_names()] for room in template.rooms
    }
    assert per_room == {
        "Room 1": ["R1.1", "R1.2", "R1.3", "S1"],
        "Room 2": ["R2.1", "R2.2", "S1"],
        "Room 3": ["R3.1", "R3.2", "S1"],
        "Room 4": ["R4.1", "R4.2", "S1"],
        "Room 5": ["R5.1", "R5.2", "S1"],
        "Room 6": ["R6.1", "R6.2", "S1"],
    }
    by_code = {question.code: question for question in template.questions}
    assert by_code["S1"].text == "What single recommendation should the position paper make?"
    assert by_code["R2.1"].kind is QuestionKind.MULTIPLE_CHOICE and len(by_code["R2.1"].options) == 5
    assert by_code["R4.1"].kind is QuestionKind.SINGLE_CHOICE and len(by_code["R4.1"].options) == 5
    for code in ("R1.2", "R5.2"):
        scale = by_code[code].scale
        assert by_code[code].kind is QuestionKind.SCALE and scale is not None and (scale.min, scale.max) == (1, 5)
    assert {q.anonymity for q in template.questions} == {Anonymity.ANONYMOUS_TO_PEERS}


@pytest.mark.parametrize("target", list(TemplateFormat))
def test_a_written_template_reads_back_the_same(target: TemplateFormat) -> None:
    for source in (REFERENCE_YAML, as_yaml(small_template())):
        template = parse_template(source.encode(), TemplateFormat.YAML)
        assert parse_template(render_template(template, target).encode(), target) == template


def test_json_is_read_as_json_and_as_yaml() -> None:
    text = json.dumps(small_template())
    assert parse_template(text.encode(), TemplateFormat.JSON) == parse_template(text.encode(), TemplateFormat.YAML)


def test_implicit_values_are_resolved() -> None:
    template = parse_template(as_yaml(small_template()).encode(), TemplateFormat.YAML)
    q1, q2, q3 = template.questions
    assert q1.rooms == ["North", "South"]  # the rooms' own spelling, in room order
    assert q1.anonymity is Anonymity.NAMED  # the meeting's default
    assert q2.anonymity is Anonymity.FULLY_ANONYMOUS
    assert q3.rooms == []


@pytest.mark.parametrize(
    ("change", "path", "words"),
    [
        (
            {"questions": [{"text": "x", "rooms": ["Room 9"]}]},
            ["questions", 0, "rooms", 0],
            "no room is named 'Room 9'",
        ),
        ({"rooms": [{"name": "A"}, {"name": "a"}]}, ["rooms", 1, "name"], "named 'a' already"),
        (
            {"questions": [{"code": "S1", "text": "x"}, {"code": "S1", "text": "y"}]},
            ["questions", 1, "code"],
            "used already",
        ),
        ({"questions": [{"text": "x", "kind": "essay"}]}, ["questions", 0, "kind"], "open"),
        ({"agenda": [{"title": "x", "kind": "lunch"}]}, ["agenda", 0, "kind"], "talk"),
        ({"agenda": [{"title": "x", "planned_minutes": "5"}]}, ["agenda", 0, "planned_minutes"], "integer"),
        ({"rooms": [{"name": "A", "capacity": 0}]}, ["rooms", 0, "capacity"], "greater than or equal to 1"),
        (
            {"questions": [{"text": "x", "kind": "single_choice", "options": [{"id": "a", "label": "A"}]}]},
            ["questions", 0, "options"],
            "2 options or more",
        ),
        (
            {
                "questions": [
                    {
                        "text": "x",
                        "kind": "multiple_choice",
                        "options": [{"id": "a", "label": "A"}, {"id": "a", "label": "B"}],
                    }
                ]
            },
            ["questions", 0, "options", 1, "id"],
            "appears twice",
        ),
        (
            {"questions": [{"text": "x", "options": [{"id": "a", "label": "A"}, {"id": "b", "label": "B"}]}]},
            ["questions", 0, "options"],
            "only choice questions",
        ),
        ({"questions": [{"text": "x", "kind": "scale"}]}, ["questions", 0, "scale"], "needs scale"),
        (
            {"questions": [{"text": "x", "scale": {"min": 1, "max": 5}}]},
            ["questions", 0, "scale"],
            "only scale questions",
        ),
        (
            {"questions": [{"text": "x", "kind": "scale", "scale": {"min": 0, "max": 100}}]},
            ["questions", 0, "scale", "max"],
            "at most 10 steps",
        ),
        ({"questions": [{"text": "   "}]}, ["questions", 0, "text"], "at least 1 character"),
        (
            {"questions": [{"text": "x", "kind": "scale", "scale": {"min": 5, "max": 1}}]},
            ["questions", 0, "scale", "max"],
            "greater than min",
        ),
        (
            {"questions": [{"text": "x", "kind": "scale", "scale": {"min": 1, "max": 5, "labels": {7: "?"}}}]},
            ["questions", 0, "scale", "labels", 7],
            "outside",
        ),
        ({"questions": [{"text": "x", "rooms": "North"}]}, ["questions", 0, "rooms"], '"all"'),
        ({"questions": [{"text": "x", "rooms": ["North", "NORTH"]}]}, ["questions", 0, "rooms", 1], "appears twice"),
        ({"meeting": {"title": "x", "languages": ["en", "en"]}}, ["meeting", "languages", 1], "appears twice"),
        ({"meeting": {"titel": "x"}}, ["meeting", "title"], "required"),
        ({"participants": [{"name": "Amina"}]}, ["participants"], "preparation only"),
        ({"format": "something-else"}, ["format"], "not a Breakouts meeting template"),
        ({"version": 2}, ["version"], "version 1"),
    ],
)
def test_a_bad_field_is_refused_with_its_path(change: dict[str, Any], path: list[Any], words: str) -> None:
    error = refused(small_template(**change))

    paths = [detail["loc"] for detail in error.details]
    assert path in paths, error.details
    assert words in " ".join(detail["msg"] for detail in error.details)
    assert error.message.startswith(".".join(map(str, error.details[0]["loc"])) + ": ")


def test_every_problem_is_listed() -> None:
    error = refused(small_template(rooms=[{"name": "A"}, {"name": "A"}], questions=[{"text": "x", "rooms": ["B"]}]))
    assert [detail["loc"] for detail in error.details] == [["rooms", 1, "name"], ["questions", 0, "rooms", 0]]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("format: [unclosed", "not valid YAML"),
        ("- just\n- a list\n", "a template is a mapping"),
        ("a: &x [1]\nb: *x\n", "aliases"),
        ("format: breakouts-meeting-template\nformat: again\n", "appears twice"),
        ("!!python/object:os.system {}\n", "not valid YAML"),
    ],
)
def test_text_that_is_no_template_is_refused(text: str, words: str) -> None:
    assert words in refused(text).message


def test_json_is_strict_about_its_own_syntax() -> None:
    with pytest.raises(InvalidInput, match="appears twice"):
        parse_template(b'{"format": "a", "format": "b"}', TemplateFormat.JSON)
    with pytest.raises(InvalidInput, match="nested too deeply"):
        parse_template(b"[" * 100_000 + b"]" * 100_000, TemplateFormat.JSON)
    with pytest.raises(InvalidInput, match="not UTF-8"):
        parse_template(b"\xff\xfe\x00", TemplateFormat.JSON)


def test_a_file_over_the_cap_is_refused() -> None:
    with pytest.raises(TemplateTooLarge):
        parse_template(b"#" * (TEMPLATE_MAX_BYTES + 1), TemplateFormat.YAML)


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("Think tank policy session on migrant smuggling", "think-tank-policy-session-on-migrant-smuggling.yaml"),
        ("Réunion: « politique » 2024!", "reunion-politique-2024.yaml"),
        ("অভিবাসন সভা", "meeting.yaml"),
        ("x" * 300, "x" * 80 + ".yaml"),
    ],
)
def test_file_names_are_ascii_slugs(title: str, name: str) -> None:
    assert template_filename(title, TemplateFormat.YAML) == name
