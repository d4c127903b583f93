from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Response
from starlette.requests import HTTPConnection

from app.auth.access import Actor
from app.auth.schemas import SessionRead
from app.auth.secrets import token_hash
from app.auth.service import actor_of_sessions
from app.settings import Settings
from app.state import app_state

ACCOUNT_COOKIE = "breakouts_session"
PARTICIPANT_COOKIE = "breakouts_participant"


def request_tokens(connection: HTTPConnection) -> list[str]:
    """Session tokens the caller presents: a bearer header (API clients) and the two cookies."""
    tokens: list[str] = []
    scheme, _, credentials = connection.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and credentials:
        tokens.append(credentials.strip())
    tokens.extend(value for name in (ACCOUNT_COOKIE, PARTICIPANT_COOKIE) if (value := connection.cookies.get(name)))
    return tokens[:3]


async def current_actor(connection: HTTPConnection) -> Actor | None:
    tokens = request_tokens(connection)
    if not tokens:
        return None
    sessions = await app_state(connection).live.sessions.sessions_for([token_hash(token) for token in tokens])
    return actor_of_sessions(sessions)


ActorDep = Annotated[Actor | None, Depends(current_actor)]


def deliver_session(
    response: Response, settings: Settings, read: SessionRead, token: str, delivery: str
) -> SessionRead:
    """Set the httpOnly cookie, or hand the token to an API client that asked for it."""
    if delivery == "token":
        return read.model_copy(update={"token": token})
    response.set_cookie(
        ACCOUNT_COOKIE if read.kind == "account" else PARTICIPANT_COOKIE,
        token,
        max_age=settings.session_ttl_s,
        httponly=True,
        samesite="lax",
        secure=settings.public_base_url.startswith("https://"),
        path="/",
    )
    return read
