"""Hostile values in every field of every JSON body, read from ``/openapi.json``.

Each operation that takes a JSON body is sent its schema's example (its ids replaced by those of
a meeting of the caller's own, so that the request reaches the service), with one field at a
time replaced by a hostile value of its kind:

- text: a lone surrogate (high, low), a right-to-left override, zero-width characters only, a
  byte-order mark, the NUL character, a character outside the BMP, a thousand combining marks;
- whole numbers: negative, a float, a string, 2**63, -2**63, 1e3 (a float of a whole value);
- ids: another meeting's, the nil UUID, one of the wrong shape, a UUID in braces, upper case;
- the body itself: a key given twice (the second of the wrong type), a field nested 100,000 deep.

Expected: a 2xx or a 4xx in the error shape, never a 5xx; afterwards every GET of the meeting
still answers (nothing unreadable was stored).
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from typing import Any

NIL = "00000000-0000-0000-0000-000000000000"
# Run last in a sweep: they move the meeting on or erase the participant the sweep uses.
SWEEP_LAST = ("/erase", "/phase", "/move", "/assignment", "/match")

TEXTS = {
    "lone high surrogate": "a\ud800b",
    "lone low surrogate": "\udfffz",
    "right-to-left override": "abc\u202edef",
    "zero-width only": "\u200b\u200c\u200d",
    "byte-order mark": "\ufeffx",
    "NUL": "a\x00b",
    "outside the BMP": "\U0001f600 \U00010348",
    "combining marks": "e" + "\u0301" * 1000,
}
NUMBERS: dict[str, object] = {
    "negative": -1,
    "a float": 1.5,
    "a string": "1",
    "2**63": 2**63,
    "-2**63": -(2**63),
    "1e3": 1e3,
}


def foreign_ids(other: dict[str, str]) -> dict[str, Any]:
    """Values for an id field: ``other`` holds another meeting's ids by field name."""
    some = next(iter(other.values()))
    return {
        "nil": NIL,
        "wrong shape": "not-a-uuid",
        "in braces": "{" + some + "}",
        "upper case": some.upper(),
        "hex without dashes": uuid.UUID(some).hex,
    }


def _resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    for option in schema.get("anyOf", []):
        if option.get("type") != "null":
            return _resolve(document, option)
    return schema


def body_schema(document: dict[str, Any], operation: dict[str, Any]) -> dict[str, Any] | None:
    content = operation.get("requestBody", {}).get("content", {})
    if "application/json" not in content:
        return None
    return _resolve(document, content["application/json"]["schema"])


def _id_for(name: str, ids: dict[str, str]) -> str | None:
    stem = name.removesuffix("_ids").removesuffix("_id")
    return ids.get(f"{stem}_id")


def base_body(document: dict[str, Any], schema: dict[str, Any], ids: dict[str, str]) -> dict[str, Any]:
    """The schema's example with its ids replaced by ``ids`` (by field name)."""
    body: dict[str, Any] = dict((schema.get("examples") or [{}])[0])
    for name, field in schema.get("properties", {}).items():
        resolved = _resolve(document, field)
        known = _id_for(name, ids)
        if resolved.get("format") == "uuid" and known:
            body[name] = known
        elif resolved.get("type") == "array" and _resolve(document, resolved.get("items", {})).get("format") == "uuid":
            if known:
                body[name] = [known]
        elif name == "keys" and "answer_id" in ids:
            body[name] = [f"answer:{ids['answer_id']}"]
    return body


def field_kinds(document: dict[str, Any], schema: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(field, kind) for each top-level field: ``text``, ``integer``, ``id`` or ``ids``."""
    for name, field in schema.get("properties", {}).items():
        resolved = _resolve(document, field)
        kind = resolved.get("type")
        if kind == "string" and resolved.get("format") == "uuid":
            yield name, "id"
        elif kind == "string" and "enum" not in resolved and "format" not in resolved:
            yield name, "text"
        elif kind == "integer":
            yield name, "integer"
        elif kind == "array" and _resolve(document, resolved.get("items", {})).get("format") == "uuid":
            yield name, "ids"


def hostile_bodies(
    document: dict[str, Any], schema: dict[str, Any], ids: dict[str, str], other: dict[str, str]
) -> Iterator[tuple[str, bytes]]:
    """(label, raw JSON body) for every hostile value of every field of ``schema``."""
    base = base_body(document, schema, ids)
    for name, kind in field_kinds(document, schema):
        if kind == "text":
            values: dict[str, Any] = dict(TEXTS)
        elif kind == "integer":
            values = dict(NUMBERS)
        else:
            values = foreign_ids(other)
            foreign = _id_for(name, other)
            if foreign:
                values["another meeting's"] = foreign
            if kind == "ids":
                values = {label: [value] for label, value in values.items()}
                if base.get(name):
                    values["the same twice"] = [base[name][0], base[name][0]]
        for label, value in values.items():
            # ensure_ascii writes a lone surrogate as its \\u escape, as a hostile client would.
            yield f"{name}: {label}", json.dumps({**base, name: value}).encode()
        duplicate = json.dumps(base)[:-1].rstrip()
        separator = ", " if base else ""
        yield f"{name}: given twice", f'{duplicate}{separator}"{name}": "x", "{name}": {{"a": [1]}}}}'.encode()
        last = json.dumps({key: value for key, value in base.items() if key != name} | {name: 0})
        yield f"{name}: nested 100,000 deep", (last[:-2] + "[" * 100_000 + "]" * 100_000 + "}").encode()


def fill(path: str, values: dict[str, str]) -> str:
    return re.sub(r"{(\w+)}", lambda m: values.get(m.group(1), NIL), path)
