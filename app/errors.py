"""Domain errors raised by services, and the one JSON error shape ``{code, message, details}``."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException

# What an overloaded server asks a client to wait before retrying: a report-back burst or a pool
# queue clears within seconds.
OVERLOAD_RETRY_AFTER_S = 2


class ErrorBody(BaseModel):
    code: str
    message: str
    details: Any = None


class DomainError(Exception):
    """A refused command. Services raise these; the HTTP and socket doors translate them."""

    status_code = 400
    code = "invalid"

    def __init__(self, message: str, *, code: str | None = None, details: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details
        if code is not None:
            self.code = code

    def body(self) -> ErrorBody:
        return ErrorBody(code=self.code, message=self.message, details=self.details)


class InvalidInput(DomainError):
    status_code = 422
    code = "invalid"


class NotAuthenticated(DomainError):
    status_code = 401
    code = "not_authenticated"


class Forbidden(DomainError):
    status_code = 403
    code = "forbidden"


class NotFound(DomainError):
    status_code = 404
    code = "not_found"


class Conflict(DomainError):
    status_code = 409
    code = "conflict"


class UnsupportedMediaType(DomainError):
    status_code = 415
    code = "unsupported_media_type"


class TooManyRequests(DomainError):
    status_code = 429
    code = "rate_limited"


class Overloaded(DomainError):
    """The server is too busy for this request now; nothing was changed: retry after
    ``details.retry_after_s`` seconds (also the ``Retry-After`` header)."""

    status_code = 503
    code = "overloaded"

    def __init__(self, message: str, *, retry_after_s: int = OVERLOAD_RETRY_AFTER_S) -> None:
        super().__init__(message, details={"retry_after_s": retry_after_s})


def install_error_handlers(app: FastAPI) -> None:
    async def domain_error(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, DomainError)
        headers = None
        details = exc.details
        if isinstance(exc, TooManyRequests | Overloaded) and isinstance(details, dict) and "retry_after_s" in details:
            headers = {"retry-after": str(int(details["retry_after_s"]))}
        return JSONResponse(exc.body().model_dump(), status_code=exc.status_code, headers=headers)

    async def pool_timeout(request: Request, exc: Exception) -> JSONResponse:
        # Every database connection stayed busy for the pool's whole timeout: the server is
        # overloaded, which the client can wait out (a 500 would say the request was wrong).
        return await domain_error(request, Overloaded("the server is busy; retry shortly"))

    async def validation_error(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        errors = [
            {"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")} for e in exc.errors()
        ]
        first = errors[0] if errors else {"loc": [], "msg": "invalid request"}
        where = ".".join(str(part) for part in first["loc"] if part != "body") or "request"
        body = ErrorBody(code="invalid", message=f"{where}: {first['msg']}", details=errors)
        return JSONResponse(jsonable_encoder(body), status_code=422)

    async def http_error(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        code = {404: "not_found", 405: "method_not_allowed", 401: "not_authenticated"}.get(
            exc.status_code, "http_error"
        )
        body = ErrorBody(code=code, message=str(exc.detail))
        return JSONResponse(body.model_dump(), status_code=exc.status_code, headers=exc.headers)

    app.add_exception_handler(DomainError, domain_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(PoolTimeout, pool_timeout)


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": description}
    for status, description in (
        (401, "Not signed in"),
        (403, "Signed in, but the role or room does not allow it"),
        (404, "Unknown id, or not visible to the caller"),
        (409, "Refused in the current state"),
        (422, "Invalid input"),
        (503, "Overloaded: nothing was done; retry after the `Retry-After` seconds (code `overloaded`)"),
    )
}
