from __future__ import annotations

import uuid
from collections.abc import Collection
from datetime import datetime

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.models import Account, AuthSession, Invite, LoginFailure
from app.meetings.models import Meeting


async def account_by_email(session: AsyncSession, email: str) -> Account | None:
    return await session.scalar(select(Account).where(func.lower(Account.email) == email.lower()))


async def live_session(session: AsyncSession, token_hash: str, now: datetime) -> AuthSession | None:
    return await session.scalar(
        select(AuthSession).where(
            AuthSession.token_hash == token_hash,
            AuthSession.revoked_at.is_(None),
            AuthSession.expires_at > now,
        )
    )


async def lock_sign_ins(session: AsyncSession, email: str, address: str) -> None:
    """Hold the account's and the address's sign-in locks until commit, so that concurrent attempts
    are counted and recorded one after another. PostgreSQL: transaction-scoped advisory locks, taken
    in one order so that two attempts never wait for each other; SQLite's single writer already
    serialises them."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for key in sorted((f"sign-in:account:{email.lower()}", f"sign-in:address:{address}")):
        await session.execute(select(func.pg_advisory_xact_lock(func.hashtext(key))))


async def recent_failures(session: AsyncSession, email: str, address: str, since: datetime) -> tuple[int, int]:
    by_email = await session.scalar(
        select(func.count()).where(LoginFailure.email == email.lower(), LoginFailure.created_at > since)
    )
    by_address = await session.scalar(
        select(func.count()).where(LoginFailure.address == address, LoginFailure.created_at > since)
    )
    return int(by_email or 0), int(by_address or 0)


async def clear_failures(session: AsyncSession, email: str, older_than: datetime) -> None:
    await session.execute(
        delete(LoginFailure).where(or_(LoginFailure.email == email.lower(), LoginFailure.created_at < older_than))
    )


async def invites_of(session: AsyncSession, meeting_id: uuid.UUID) -> list[Invite]:
    rows = await session.scalars(
        select(Invite).where(Invite.meeting_id == meeting_id, Invite.account_id.is_(None)).order_by(Invite.created_at)
    )
    return list(rows)


async def revoke_sessions_of_participant(
    session: AsyncSession, participant_id: uuid.UUID, now: datetime
) -> list[uuid.UUID]:
    """Revoke the person's live sessions; the ids of those revoked."""
    revoked = []
    for auth_session in await session.scalars(
        select(AuthSession).where(AuthSession.participant_id == participant_id, AuthSession.revoked_at.is_(None))
    ):
        auth_session.revoked_at = now
        revoked.append(auth_session.id)
    return revoked


async def live_session_count(session: AsyncSession, session_ids: Collection[uuid.UUID], now: datetime) -> int:
    """How many of these sessions are neither revoked nor expired."""
    if not session_ids:
        return 0
    found = await session.scalar(
        select(func.count()).where(
            AuthSession.id.in_(session_ids), AuthSession.revoked_at.is_(None), AuthSession.expires_at > now
        )
    )
    return int(found or 0)


async def ever_signed_in(session: AsyncSession, participant_id: uuid.UUID) -> bool:
    """Whether any session, live, expired or revoked, was ever opened for this roster entry."""
    found = await session.scalar(select(AuthSession.id).where(AuthSession.participant_id == participant_id).limit(1))
    return found is not None


async def lock_meeting_invites(session: AsyncSession, meeting_id: uuid.UUID) -> None:
    """Hold the meeting's row until commit, so two requests for the roster's links create one each.

    PostgreSQL takes a row lock; SQLite ignores FOR UPDATE because the write transaction already
    holds the database lock.
    """
    await session.execute(select(Meeting.id).where(Meeting.id == meeting_id).with_for_update())


async def active_personal_invites(session: AsyncSession, meeting_id: uuid.UUID, now: datetime) -> list[Invite]:
    """Personal links that still open: not revoked, not expired, oldest first."""
    rows = await session.scalars(
        select(Invite)
        .where(
            Invite.meeting_id == meeting_id,
            Invite.participant_id.is_not(None),
            Invite.revoked_at.is_(None),
            or_(Invite.expires_at.is_(None), Invite.expires_at > now),
        )
        .order_by(Invite.created_at, Invite.id)
    )
    return list(rows)


async def spend_sign_in_link(session: AsyncSession, invite_id: uuid.UUID, now: datetime) -> bool:
    """Mark an organiser's sign-in link used (its ``revoked_at``) unless it was already: whether
    this call spent it. Decided by the row itself: PostgreSQL re-checks the condition after the
    row lock a concurrent update holds; SQLite has one writer at a time."""
    result = await session.execute(
        update(Invite)
        .where(Invite.id == invite_id, Invite.revoked_at.is_(None))
        .values(revoked_at=now)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0) == 1)
