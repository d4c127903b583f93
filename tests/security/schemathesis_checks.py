"""A check the schemathesis run adds to its own (loaded through ``SCHEMATHESIS_HOOKS``): every
error answer is JSON in the ``{code, message, details}`` shape."""

from __future__ import annotations

from typing import Any

import schemathesis


@schemathesis.check
def error_in_the_error_shape(ctx: Any, response: Any, case: Any) -> None:
    if response.status_code < 400:
        return
    try:
        body = response.json()
    except ValueError as error:
        raise AssertionError(f"{response.status_code} answered with a body that is not JSON") from error
    if not (
        isinstance(body, dict)
        and set(body) == {"code", "message", "details"}
        and isinstance(body["code"], str)
        and isinstance(body["message"], str)
    ):
        raise AssertionError(f"{response.status_code} answered outside the {{code, message, details}} shape")
