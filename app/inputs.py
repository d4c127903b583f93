"""The base of every schema that reads outside input: REST bodies, socket frames, imported files.

Text that reaches the database must be storable on both databases. PostgreSQL cannot store the NUL
character (U+0000) in text at all, and no person types one: a NUL anywhere in a request (a value,
a key, at any depth) is refused at validation, with the same 422 / error frame on SQLite and
PostgreSQL, instead of being silently stripped (which would store something the sender did not send).
"""

from __future__ import annotations

from typing import Any

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


class Input(BaseModel):
    """A schema of outside input. Refuses the NUL character in any of its text, at any depth."""

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
