"""The base of every schema that reads outside input: REST bodies, socket frames, imported files.

Text that reaches the database must be storable on both databases. PostgreSQL cannot store the NUL
character (U+0000) in text at all, and no person types one: a NUL anywhere in a request (a value,
a key, at any depth) is refused at validation, with the same 422 / error frame on SQLite and
PostgreSQL, instead of being silently stripped (which would store something the sender did not send).

Whole numbers are whole numbers: JSON ``true`` / ``false`` given for an integer field is refused
(pydantic's lax mode would read them as 1 and 0).
"""

from __future__ import annotations

import types
import unicodedata
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, model_validator
from pydantic_core import PydanticCustomError

NUL = "\x00"


def nul_location(data: Any) -> str | None:
    """Where the first NUL character sits in parsed input (``""`` at the top), or ``None``.

    Walks without recursion, so input of any depth cannot exhaust the stack."""
    pending: list[tuple[str, Any]] = [("", data)]
    while pending:
        where, value = pending.pop()
        if isinstance(value, str):
            if NUL in value:
                return where
        elif isinstance(value, dict):
            for key, item in value.items():
                path = f"{where}.{key}" if where else str(key)
                if isinstance(key, str) and NUL in key:
                    return where
                pending.append((path, item))
        elif isinstance(value, list | tuple):
            pending.extend((f"{where}.{index}" if where else str(index), item) for index, item in enumerate(value))
    return None


def is_blank(text: str) -> bool:
    """Nothing a reader could see: only whitespace, zero-width and other format or control characters."""
    return all(character.isspace() or unicodedata.category(character) in ("Cc", "Cf") for character in text)


def _takes_int_not_bool(annotation: Any) -> bool:
    if annotation is int:
        return True
    if get_origin(annotation) is Annotated:
        return _takes_int_not_bool(get_args(annotation)[0])
    if get_origin(annotation) in (Union, types.UnionType):
        arguments = get_args(annotation)
        return bool not in arguments and any(_takes_int_not_bool(argument) for argument in arguments)
    return False


class Input(BaseModel):
    """A schema of outside input. Refuses the NUL character in any of its text, at any depth, and a
    boolean where a whole number is expected."""

    @model_validator(mode="before")
    @classmethod
    def _refuse_booleans_as_numbers(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for name, field in cls.model_fields.items():
                value = data.get(field.alias or name)
                if isinstance(value, bool) and _takes_int_not_bool(field.annotation):
                    raise PydanticCustomError(
                        "int_type", "{name} must be a whole number, not true or false", {"name": field.alias or name}
                    )
        return data

    @model_validator(mode="before")
    @classmethod
    def _refuse_nul(cls, data: Any) -> Any:
        where = nul_location(data)
        if where is not None:
            raise PydanticCustomError(
                "nul_character",
                "{where} must not contain the NUL character (U+0000)",
                {"where": where.replace(NUL, "\\0") or "the input"},
            )
        return data
