"""Template files as text: reading YAML or JSON into a ``MeetingTemplate`` and writing one back.

Every problem in a file becomes one ``InvalidInput`` whose message starts with the path of the
bad field (``questions.3.rooms.1: no room is named 'Room 9'``) and whose details list them all.
"""

from __future__ import annotations

import json
import re
import unicodedata
from enum import StrEnum
from typing import Any

import yaml
from pydantic import ValidationError

from app.errors import DomainError, InvalidInput
from app.templates.schemas import ALL_ROOMS, TEMPLATE_FORMAT, TEMPLATE_VERSION, MeetingTemplate

# A prepared meeting of 100 rooms and 500 questions is well under this.
TEMPLATE_MAX_BYTES = 1_000_000
YAML_MEDIA_TYPE = "application/yaml"
JSON_MEDIA_TYPE = "application/json"
_SLUG_MAX = 80


class TemplateTooLarge(DomainError):
    status_code = 413
    code = "too_large"


class TemplateFormat(StrEnum):
    YAML = "yaml"
    JSON = "json"


def _where(loc: tuple[Any, ...] | list[Any]) -> str:
    return ".".join(str(part) for part in loc) or "template"


def _invalid(errors: list[dict[str, Any]]) -> InvalidInput:
    first = errors[0]
    return InvalidInput(f"{_where(first['loc'])}: {first['msg']}", code="invalid_template", details=errors)


def _refuse_aliases(text: str) -> None:
    """YAML aliases let a small file expand into an enormous one: templates never need them."""
    try:
        for event in yaml.parse(text, Loader=yaml.CSafeLoader):
            if isinstance(event, yaml.AliasEvent):
                mark = event.start_mark
                where = f"line {mark.line + 1}" if mark is not None else "the file"
                raise _invalid([{"loc": [], "msg": f"YAML aliases (*name) are not allowed ({where})", "type": "alias"}])
    except yaml.YAMLError as error:
        raise _invalid([{"loc": [], "msg": f"not valid YAML: {error}", "type": "syntax"}]) from None


class _TemplateLoader(yaml.CSafeLoader):
    """The safe loader (no Python objects), refusing a key given twice instead of keeping the last."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[str] = set()
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                if key_node.value in seen:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"the key {key_node.value!r} appears twice", key_node.start_mark
                    )
                seen.add(key_node.value)
        return super().construct_mapping(node, deep)


TOO_MANY_DIGITS = "a number has more digits than any template needs"


def _json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: set[str] = set()
    for key, _ in pairs:
        if key in seen:
            raise _invalid([{"loc": [], "msg": f"not valid JSON: the key {key!r} appears twice", "type": "syntax"}])
        seen.add(key)
    return dict(pairs)


def _load(text: str, source: TemplateFormat) -> Any:
    if source is TemplateFormat.JSON:
        try:
            return json.loads(text, object_pairs_hook=_json_object)
        except json.JSONDecodeError as error:
            raise _invalid([{"loc": [], "msg": f"not valid JSON: {error}", "type": "syntax"}]) from None
        except RecursionError:
            raise _invalid([{"loc": [], "msg": "the JSON is nested too deeply", "type": "syntax"}]) from None
        except ValueError:  # an integer beyond what Python converts (4,300 digits): no template has one
            raise _invalid([{"loc": [], "msg": TOO_MANY_DIGITS, "type": "syntax"}]) from None
    _refuse_aliases(text)
    try:
        # YAML is a superset of JSON, so a JSON file sent as YAML reads too.
        return yaml.load(text, Loader=_TemplateLoader)  # noqa: S506 - a subclass of the safe loader
    except yaml.YAMLError as error:
        raise _invalid([{"loc": [], "msg": f"not valid YAML: {error}", "type": "syntax"}]) from None
    except ValueError:  # the YAML integer constructor meets the same limit
        raise _invalid([{"loc": [], "msg": TOO_MANY_DIGITS, "type": "syntax"}]) from None


def _check_header(document: Any) -> None:
    """Say plainly when a file is not a template, or is from a newer server, before the details."""
    if not isinstance(document, dict):
        raise _invalid([{"loc": [], "msg": "a template is a mapping with format, version, meeting …", "type": "type"}])
    if document.get("format") != TEMPLATE_FORMAT:
        message = f"this is not a Breakouts meeting template (expected format: {TEMPLATE_FORMAT})"
        raise _invalid([{"loc": ["format"], "msg": message, "type": "format"}])
    for key in ("participants", "answers", "findings"):
        if key in document:
            message = f"a template holds the preparation only, never {key} (they belong to one meeting)"
            raise _invalid([{"loc": [key], "msg": message, "type": "extra_forbidden"}])
    version = document.get("version")
    if version != TEMPLATE_VERSION:
        message = f"this server reads template version {TEMPLATE_VERSION}, the file says {version!r}"
        raise _invalid([{"loc": ["version"], "msg": message, "type": "version"}])


def parse_template(data: bytes, source: TemplateFormat) -> MeetingTemplate:
    if len(data) > TEMPLATE_MAX_BYTES:
        raise TemplateTooLarge(f"a template may hold at most {TEMPLATE_MAX_BYTES} bytes")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _invalid([{"loc": [], "msg": "the file is not UTF-8 text", "type": "encoding"}]) from None
    document = _load(text, source)
    _check_header(document)
    try:
        return MeetingTemplate.model_validate(document)
    except ValidationError as error:
        raise _invalid(
            [{"loc": list(e["loc"]), "msg": e["msg"], "type": e["type"]} for e in error.errors(include_url=False)]
        ) from None


def _pruned(part: dict[str, Any]) -> dict[str, Any]:
    """Leave out empty values (no speaker, no options …) so that the file stays short to read."""
    return {key: value for key, value in part.items() if value not in ("", [], {}, None)}


def template_document(template: MeetingTemplate) -> dict[str, Any]:
    """The template as plain data: kinds and settings stay explicit, empty fields are left out, and
    a question's anonymity only appears where it differs from the meeting's default."""
    document = template.model_dump(mode="json")
    default = template.meeting.default_anonymity.value
    every_room = [room.name for room in template.rooms]
    questions = []
    for question in document["questions"]:
        if question["anonymity"] == default:
            del question["anonymity"]
        if len(every_room) > 1 and question["rooms"] == every_room:
            question["rooms"] = ALL_ROOMS
        if question["scale"] is not None:
            # Scale points read best as numbers (1: not at all); JSON turns them into strings.
            question["scale"]["labels"] = {int(point): label for point, label in question["scale"]["labels"].items()}
            question["scale"] = _pruned(question["scale"])
        questions.append(_pruned(question))
    return {
        "format": TEMPLATE_FORMAT,
        "version": TEMPLATE_VERSION,
        "meeting": _pruned(document["meeting"]),
        "agenda": [_pruned(item) for item in document["agenda"]],
        "rooms": [_pruned(room) for room in document["rooms"]],
        "questions": questions,
    }


def render_template(template: MeetingTemplate, target: TemplateFormat) -> str:
    document = template_document(template)
    if target is TemplateFormat.JSON:
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    return yaml.dump(document, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False, width=100)


def template_filename(title: str, target: TemplateFormat) -> str:
    """An ASCII file name from the title ("Think tank: 2024" → think-tank-2024.yaml)."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")[:_SLUG_MAX].rstrip("-")
    return f"{slug or 'meeting'}.{target.value}"
