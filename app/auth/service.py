"""Sign-in for organisers (accounts) and for everyone else (invite links and the meeting code)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth import repository
from app.auth.access import Actor, meeting_access
from app.auth.join_throttle import JoinAttempt, JoinThrottle
from app.auth.models import Account, AuthSession, Invite, LoginFailure
from app.auth.schemas import (
    CodeJoinRequest,
    InviteCreate,
    InvitePreview,
    InviteRead,
    JoinRequest,
    LoginRequest,
    MeRead,
    SessionRead,
)
from app.auth.secrets import (
    hash_password,
    new_session_token,
    sign_id,
    token_hash,
    verify_password,
    verify_signed_id,
)
from app.auth.session_cache import CachedSession
from app.database import Database, utcnow
from app.errors import Conflict, InvalidInput, NotAuthenticated, NotFound, TooManyRequests
from app.meetings.models import Meeting
from app.participants.models import Participant
from app.participants.service import join_participant
from app.realtime.outbox import UnitOfWork, WritePipeline
from app.rooms.models import Room
from app.settings import Settings
from app.vocabulary import JoinedBy, Phase, Role

INVITE_PURPOSE = "invite"
# Organiser sign-in links are powerful: they open once, and expire within a working day if unused.
ORGANISER_LINK_TTL = timedelta(hours=12)
SIGN_IN_LINK_USED = (
    "this sign-in link was used already: sign in with your email and password "
    "(or run `breakouts demo` again for a new link)"
)


async def create_account(session: AsyncSession, email: str, display_name: str, password: str) -> Account:
    if await repository.account_by_email(session, email) is not None:
        raise Conflict(f"an account for {email} exists already")
    account = Account(email=email.lower(), display_name=display_name, password_hash=hash_password(password))
    session.add(account)
    await session.flush()
    return account


def _open_session(uow: UnitOfWork, settings: Settings, **subject: uuid.UUID) -> str:
    token, hashed = new_session_token()
    uow.session.add(
        AuthSession(token_hash=hashed, expires_at=utcnow() + timedelta(seconds=settings.session_ttl_s), **subject)
    )
    return token


async def login(uow: UnitOfWork, settings: Settings, request: LoginRequest, address: str) -> tuple[SessionRead, str]:
    now = utcnow()
    window_start = now - timedelta(seconds=settings.login_failure_window_s)
    await repository.lock_sign_ins(uow.session, request.email, address)
    by_email, by_address = await repository.recent_failures(uow.session, request.email, address, window_start)
    if max(by_email, by_address) >= settings.login_failures_allowed:
        raise TooManyRequests(
            "too many failed sign-ins; wait a quarter of an hour and try again",
            details={"retry_after_s": settings.login_failure_window_s},
        )
    # The attempt counts as a failure until its password proves right: it is recorded (and the
    # locks released) before the slow password check, so concurrent attempts cannot all pass the
    # count above. It is remembered even though the request is then refused.
    uow.session.add(LoginFailure(email=request.email.lower(), address=address))
    await uow.session.commit()
    account = await repository.account_by_email(uow.session, request.email)
    if account is None or not verify_password(account.password_hash if account else None, request.password):
        raise NotAuthenticated("wrong email or password")
    await repository.clear_failures(uow.session, request.email, window_start)
    token = _open_session(uow, settings, account_id=account.id)
    return SessionRead(kind="account", account_id=account.id, display_name=account.display_name), token


async def logout(uow: UnitOfWork, tokens: list[str]) -> None:
    """Revoke the presented sessions. Once committed, the sockets they opened are closed and their
    unused socket tickets no longer open one (``UnitOfWork.revoke_sessions``)."""
    now = utcnow()
    for token in tokens:
        found = await repository.live_session(uow.session, token_hash(token), now)
        if found is not None:
            found.revoked_at = now
            uow.revoke_sessions([found.id])


def actor_of_sessions(sessions: Sequence[CachedSession]) -> Actor | None:
    """Merge the caller's live sessions (an organiser may also hold a participant session)."""
    account: CachedSession | None = None
    participant: CachedSession | None = None
    for found in sessions:
        if account is None and found.account_id is not None:
            account = found
        if participant is None and found.participant_id is not None:
            participant = found
    if account is None and participant is None:
        return None
    return Actor(
        account_id=account.account_id if account is not None else None,
        participant_id=participant.participant_id if participant is not None else None,
        account_session_id=account.id if account is not None else None,
        participant_session_id=participant.id if participant is not None else None,
    )


def participant_session_read(participant: Participant, token: str | None = None) -> SessionRead:
    return SessionRead(
        kind="participant",
        participant_id=participant.id,
        meeting_id=participant.meeting_id,
        role=Role(participant.role),
        room_id=participant.room_id,
        display_name=participant.display_name,
        token=token,
    )


async def _live_invite(session: AsyncSession, settings: Settings, token: str) -> Invite:
    invite_id = verify_signed_id(settings.secret_key.get_secret_value(), INVITE_PURPOSE, token)
    invite = await session.get(Invite, invite_id) if invite_id is not None else None
    if invite is not None and invite.account_id is not None and invite.revoked_at is not None:
        raise NotFound(SIGN_IN_LINK_USED, code="sign_in_link_used")
    if invite is None or invite.revoked_at is not None:
        raise NotFound("this link is not valid; ask the organiser for a new one")
    if invite.expires_at is not None and invite.expires_at <= utcnow():
        raise NotFound("this link has expired; ask the organiser for a new one")
    return invite


async def preview_invite(session: AsyncSession, settings: Settings, token: str, actor: Actor | None) -> InvitePreview:
    """What the link grants, without opening it: a bad, revoked or expired link reads as missing.
    Beside it, who the caller already is on this device (their own sessions, nothing else)."""
    invite = await _live_invite(session, settings, token)
    meeting = await session.get(Meeting, invite.meeting_id)
    if meeting is None:
        raise NotFound("this link is not valid; ask the organiser for a new one")
    invitee_name: str | None = None
    room_id = invite.room_id
    if invite.account_id is not None:
        account = await session.get(Account, invite.account_id)
        if account is None:
            raise NotFound("this link is not valid; ask the organiser for a new one")
        invitee_name = account.display_name
    elif invite.participant_id is not None:
        participant = await session.get(Participant, invite.participant_id)
        if participant is None or participant.erased_at is not None:
            raise NotFound("this link is not valid; ask the organiser for a new one")
        invitee_name = participant.display_name
        room_id = participant.room_id or room_id
    room = await session.get(Room, room_id) if room_id is not None else None
    personal = invite.account_id is not None or invite.participant_id is not None
    signed_in_as = MeRead()
    if actor is not None:
        account_read, participant_read = await describe_actor(session, actor)
        signed_in_as = MeRead(account=account_read, participant=participant_read)
    return InvitePreview(
        meeting_id=meeting.id,
        meeting_title=meeting.title,
        role=Role(invite.role),
        room_name=room.name if room is not None and room.meeting_id == meeting.id else None,
        personal=personal,
        invitee_name=invitee_name,
        participant_id=invite.participant_id,
        name_required=not personal,
        closed=meeting.phase == Phase.CLOSED and not personal,
        signed_in_as=signed_in_as,
    )


async def open_invite(
    uow: UnitOfWork, settings: Settings, token: str, request: JoinRequest, joins: JoinThrottle, address: str
) -> tuple[SessionRead, str]:
    invite = await _live_invite(uow.session, settings, token)
    if invite.account_id is not None:
        account = await uow.session.get(Account, invite.account_id)
        if account is None:
            raise NotFound("this link is not valid; ask the organiser for a new one")
        # Single use: of two requests opening it at once, one spends it and the other is refused.
        if not await repository.spend_sign_in_link(uow.session, invite.id, utcnow()):
            raise NotFound(SIGN_IN_LINK_USED, code="sign_in_link_used")
        session_token = _open_session(uow, settings, account_id=account.id)
        return SessionRead(kind="account", account_id=account.id, display_name=account.display_name), session_token
    meeting = await uow.session.get(Meeting, invite.meeting_id)
    if meeting is None or (meeting.phase == Phase.CLOSED and invite.participant_id is None):
        raise Conflict("this meeting is closed to new participants")
    if invite.participant_id is not None:
        participant = await uow.session.get(Participant, invite.participant_id)
        if participant is None or participant.erased_at is not None:
            raise NotFound("this link is not valid; ask the organiser for a new one")
        if request.display_name:
            participant.display_name = request.display_name
    else:
        if not request.display_name:
            raise InvalidInput("display_name: give the name others will see")
        # An open link adds a roster entry for whoever holds it: throttled as the code is.
        attempt = await joins.attempt(address)
        await attempt.code_was_right()
        await attempt.new_entry(meeting.id)
        participant = await join_participant(
            uow, meeting, request, role=Role(invite.role), room_id=invite.room_id, joined_by=JoinedBy.OPEN_LINK
        )
    session_token = _open_session(uow, settings, participant_id=participant.id)
    return participant_session_read(participant), session_token


async def join_by_code(
    database: Database, writes: WritePipeline, settings: Settings, request: CodeJoinRequest, attempt: JoinAttempt
) -> tuple[SessionRead, str]:
    """Join a meeting with its code: the code is looked up in a read and the throttle settled, then
    the join is written in the process's write pipeline with the joins that arrive meanwhile
    (``join_meeting``, which checks the meeting again in the write)."""
    code = request.code.strip().upper()
    async with database.reading() as session:
        found = (await session.execute(select(Meeting.id, Meeting.phase).where(Meeting.join_code == code))).first()
    if found is None:
        await attempt.code_was_wrong()
        raise NotFound("no meeting has this code")
    await attempt.code_was_right()
    meeting_id, phase = found
    _require_open(Phase(phase))
    if not request.display_name:
        raise InvalidInput("display_name: give the name others will see")
    await attempt.new_entry(meeting_id)
    return await writes.write(lambda uow: join_meeting(uow, settings, meeting_id, request))


async def join_meeting(
    uow: UnitOfWork, settings: Settings, meeting_id: uuid.UUID, request: JoinRequest
) -> tuple[SessionRead, str]:
    """The write of a join by code: the person's roster entry (``join_participant``) and session."""
    meeting = await uow.session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound("no meeting has this code")
    _require_open(Phase(meeting.phase))
    participant = await join_participant(
        uow, meeting, request, role=Role.PARTICIPANT, room_id=None, joined_by=JoinedBy.CODE
    )
    session_token = _open_session(uow, settings, participant_id=participant.id)
    return participant_session_read(participant), session_token


def _require_open(phase: Phase) -> None:
    if phase == Phase.CLOSED:
        raise Conflict("this meeting is closed to new participants")


def invite_url(settings: Settings, invite: Invite) -> str:
    return (
        f"{settings.public_base_url}/join/{sign_id(settings.secret_key.get_secret_value(), INVITE_PURPOSE, invite.id)}"
    )


def _invite_read(settings: Settings, invite: Invite) -> InviteRead:
    return InviteRead(
        id=invite.id,
        meeting_id=invite.meeting_id,
        role=Role(invite.role),
        room_id=invite.room_id,
        participant_id=invite.participant_id,
        label=invite.label,
        expires_at=invite.expires_at,
        revoked_at=invite.revoked_at,
        url=invite_url(settings, invite),
    )


async def create_invite(
    uow: UnitOfWork, settings: Settings, actor: Actor | None, meeting_id: uuid.UUID, request: InviteCreate
) -> InviteRead:
    access = await meeting_access(uow.session, actor, meeting_id)
    access.require_organiser()
    if request.room_id is not None:
        room = await uow.session.get(Room, request.room_id)
        if room is None or room.meeting_id != meeting_id:
            raise InvalidInput("room_id: no such room in this meeting")
    if request.participant_id is not None:
        participant = await uow.session.get(Participant, request.participant_id)
        if participant is None or participant.meeting_id != meeting_id:
            raise InvalidInput("participant_id: no such participant in this meeting")
        if participant.role != request.role:
            raise InvalidInput(f"participant_id: this person is listed as {participant.role}, not {request.role}")
    if request.expires_at is not None and request.expires_at <= utcnow():
        raise InvalidInput("expires_at: must lie in the future")
    invite = Invite(
        meeting_id=meeting_id,
        role=request.role,
        room_id=request.room_id,
        participant_id=request.participant_id,
        label=request.label,
        expires_at=request.expires_at,
    )
    uow.session.add(invite)
    await uow.session.flush()
    return _invite_read(settings, invite)


async def organiser_link(uow: UnitOfWork, settings: Settings, account: Account, meeting: Meeting) -> str:
    """A sign-in link for the organiser's own account (command line only). It opens once: a second
    use is refused with ``sign_in_link_used``, which tells them to sign in with their password."""
    invite = Invite(
        meeting_id=meeting.id,
        role=Role.ORGANISER,
        account_id=account.id,
        label="organiser sign-in",
        expires_at=utcnow() + ORGANISER_LINK_TTL,
    )
    uow.session.add(invite)
    await uow.session.flush()
    return invite_url(settings, invite)


async def list_invites(
    session: AsyncSession, settings: Settings, actor: Actor | None, meeting_id: uuid.UUID
) -> list[InviteRead]:
    access = await meeting_access(session, actor, meeting_id)
    access.require_organiser()
    return [_invite_read(settings, invite) for invite in await repository.invites_of(session, meeting_id)]


async def revoke_invite(
    uow: UnitOfWork, settings: Settings, actor: Actor | None, meeting_id: uuid.UUID, invite_id: uuid.UUID
) -> InviteRead:
    access = await meeting_access(uow.session, actor, meeting_id)
    access.require_organiser()
    invite = await uow.session.get(Invite, invite_id)
    if invite is None or invite.meeting_id != meeting_id or invite.account_id is not None:
        raise NotFound("invite not found")
    if invite.revoked_at is None:
        invite.revoked_at = utcnow()
    return _invite_read(settings, invite)


async def describe_actor(session: AsyncSession, actor: Actor | None) -> tuple[SessionRead | None, SessionRead | None]:
    if actor is None:
        raise NotAuthenticated("not signed in")
    account_read = participant_read = None
    if actor.account_id is not None:
        account = await session.get(Account, actor.account_id)
        if account is not None:
            account_read = SessionRead(kind="account", account_id=account.id, display_name=account.display_name)
    if actor.participant_id is not None:
        participant = await session.get(Participant, actor.participant_id)
        if participant is not None:
            participant_read = participant_session_read(participant)
    return account_read, participant_read
