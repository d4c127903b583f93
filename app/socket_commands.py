"""What every feature's socket door shares: the handler signature, and validating a command's
fields with the REST body schema so that both doors refuse the same input with the same words."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from app.auth.access import Actor
from app.errors import InvalidInput
from app.realtime.outbox import UnitOfWork

SocketHandler = Callable[[UnitOfWork, Actor, Any], Awaitable[BaseModel | list[BaseModel] | None]]
Body = TypeVar("Body", bound=BaseModel)


def command_body(schema: type[Body], values: dict[str, Any]) -> Body:
    """Validate the command's fields exactly as REST validates its body, as a domain error."""
    try:
        return schema.model_validate(values)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "command"
        raise InvalidInput(f"{where}: {first['msg']}") from None


def command_fields(command: BaseModel, *names: str) -> dict[str, Any]:
    """The named fields the client actually sent (unset ones keep the REST schema's defaults)."""
    return command.model_dump(include=set(names), exclude_unset=True)
