from __future__ import annotations

import uuid

from fastapi import APIRouter, Request, Response, status

from app.auth import roster_links, service
from app.auth.dependencies import (
    ACCOUNT_COOKIE,
    PARTICIPANT_COOKIE,
    ActorDep,
    deliver_session,
    request_tokens,
)
from app.auth.schemas import (
    CodeJoinRequest,
    InviteCreate,
    InvitePreview,
    InviteRead,
    JoinRequest,
    LoginRequest,
    MeRead,
    RosterLinksCreate,
    RosterLinksRead,
    SessionRead,
)
from app.dependencies import ReadSessionDep, SettingsDep, StateDep, UowDep
from app.errors import ERROR_RESPONSES, ErrorBody

TOO_MANY_JOINS = {"model": ErrorBody, "description": "Too many attempts to join; `Retry-After` says when to retry"}

router = APIRouter(prefix="/api", tags=["auth"], responses=ERROR_RESPONSES)


def _address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@router.post(
    "/auth/login",
    summary="Sign in an organiser",
    description="Throttled: five failures per account and per address in a quarter of an hour, then 429 with "
    "`Retry-After` (see docs/security.md).",
    responses={429: {"model": ErrorBody, "description": "Too many failed sign-ins; `Retry-After` says when to retry"}},
)
async def login(
    body: LoginRequest, request: Request, response: Response, uow: UowDep, settings: SettingsDep
) -> SessionRead:
    read, token = await service.login(uow, settings, body, _address(request))
    return deliver_session(response, settings, read, token, body.session_delivery)


@router.post("/auth/logout", status_code=status.HTTP_204_NO_CONTENT, summary="Sign out (revokes the session)")
async def logout(request: Request, response: Response, uow: UowDep) -> None:
    await service.logout(uow, request_tokens(request))
    response.delete_cookie(ACCOUNT_COOKIE, path="/")
    response.delete_cookie(PARTICIPANT_COOKIE, path="/")


@router.get("/auth/me", summary="Who the caller is signed in as")
async def me(actor: ActorDep, session: ReadSessionDep) -> MeRead:
    account, participant = await service.describe_actor(session, actor)
    return MeRead(account=account, participant=participant)


@router.get("/invites/{token}", summary="What an invite link is for (role, room, meeting), without opening it")
async def preview_invite(token: str, session: ReadSessionDep, settings: SettingsDep, actor: ActorDep) -> InvitePreview:
    return await service.preview_invite(session, settings, token, actor)


@router.post(
    "/invites/{token}/open",
    summary="Open an invite link (starts a session without an account)",
    description="An open link (one that names nobody) adds a roster entry, and is throttled as `/api/join` is.",
    responses={429: TOO_MANY_JOINS},
)
async def open_invite(
    token: str, body: JoinRequest, request: Request, response: Response, uow: UowDep, state: StateDep
) -> SessionRead:
    settings = state.settings
    read, session_token = await service.open_invite(uow, settings, token, body, state.joins, _address(request))
    return deliver_session(response, settings, read, session_token, body.session_delivery)


@router.post(
    "/join",
    summary="Join a meeting with its short code and a name",
    description="Throttled: per address, attempts and wrong codes; per meeting, new roster entries, each within "
    "a sliding window (`BREAKOUTS_JOIN_*` settings, see docs/security.md). Over a limit: 429 with `Retry-After`.",
    responses={429: TOO_MANY_JOINS},
)
async def join_by_code(body: CodeJoinRequest, request: Request, response: Response, state: StateDep) -> SessionRead:
    settings = state.settings
    attempt = await state.joins.attempt(_address(request))
    read, session_token = await service.join_by_code(state.database, state.live.commands, settings, body, attempt)
    return deliver_session(response, settings, read, session_token, body.session_delivery)


@router.post(
    "/meetings/{meeting_id}/invites",
    status_code=status.HTTP_201_CREATED,
    summary="Create an invite link (personal or open)",
)
async def create_invite(
    meeting_id: uuid.UUID, body: InviteCreate, uow: UowDep, settings: SettingsDep, actor: ActorDep
) -> InviteRead:
    return await service.create_invite(uow, settings, actor, meeting_id, body)


@router.post(
    "/meetings/{meeting_id}/invites/roster",
    summary="Make a personal invitation link for everyone on the roster (organisers)",
    description="One link per roster entry of the given roles that has no active personal link; an entry "
    "with one keeps it, so calling again creates nothing. Erased entries get none. Answers every active "
    "personal link, by name.",
)
async def create_roster_links(
    meeting_id: uuid.UUID, body: RosterLinksCreate, uow: UowDep, settings: SettingsDep, actor: ActorDep
) -> RosterLinksRead:
    return await roster_links.create_roster_links(uow, settings, actor, meeting_id, body)


@router.get("/meetings/{meeting_id}/invites/roster", summary="Everyone's active personal link (organisers)")
async def list_roster_links(
    meeting_id: uuid.UUID, session: ReadSessionDep, settings: SettingsDep, actor: ActorDep
) -> RosterLinksRead:
    return await roster_links.roster_links(session, settings, actor, meeting_id)


@router.get(
    "/meetings/{meeting_id}/invites/roster.csv",
    summary="Everyone's active personal link as CSV: name, email, room, link (organisers)",
    description="Cells that a spreadsheet would read as a formula are written as text.",
    response_class=Response,
    responses={200: {"content": {"text/csv": {"schema": {"type": "string"}}}}},
)
async def roster_links_csv(
    meeting_id: uuid.UUID, session: ReadSessionDep, settings: SettingsDep, actor: ActorDep
) -> Response:
    read = await roster_links.roster_links(session, settings, actor, meeting_id)
    return Response(
        content=roster_links.roster_links_csv(read).encode("utf-8-sig"),
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": 'attachment; filename="personal-links.csv"', "cache-control": "no-store"},
    )


@router.get("/meetings/{meeting_id}/invites", summary="List the meeting's invite links")
async def list_invites(
    meeting_id: uuid.UUID, session: ReadSessionDep, settings: SettingsDep, actor: ActorDep
) -> list[InviteRead]:
    return await service.list_invites(session, settings, actor, meeting_id)


@router.post("/meetings/{meeting_id}/invites/{invite_id}/revoke", summary="Revoke an invite link")
async def revoke_invite(
    meeting_id: uuid.UUID, invite_id: uuid.UUID, uow: UowDep, settings: SettingsDep, actor: ActorDep
) -> InviteRead:
    return await service.revoke_invite(uow, settings, actor, meeting_id, invite_id)
