"""The projector link: a read-only, revocable link that opens the projector's present mode on a
computer with no organiser session.

The link names a token id kept on the meeting; revoking clears it, so every copy of the link then
404s and the sockets it opened are closed (``projector.link_changed`` on the meeting stream tells
every process). What the link reads is what the room may see, without anybody's name: the
meeting stream (the meeting, its rooms, timers, broadcasts, the plenary focus), each room's
current question with its results where peers may see them, and the plenary with no authors. It
writes nothing: its socket's commands are refused like a stranger's.
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from app.answers import repository as answers_repository
from app.answers.tally import counted_values, is_tallied, tally_of
from app.auth.access import Actor, meeting_access
from app.auth.secrets import sign_id, verify_signed_id
from app.errors import NotFound
from app.live.schemas import TicketRead
from app.live.service import issue_projector_ticket
from app.live.snapshot import consistent_reads, meeting_state
from app.meetings.models import Meeting
from app.plenary.disclosure import SCREEN, Disclosure
from app.plenary.reader_checks import Admit
from app.projector import repository
from app.projector.schemas import ProjectorLinkRead, ProjectorRead, ProjectorRoomQuestion
from app.realtime.eventlog import meeting_stream, stream_positions
from app.realtime.outbox import UnitOfWork
from app.realtime.protocol import ProjectorLinkChanged, QuestionView, StreamSnapshot
from app.settings import Settings
from app.vocabulary import QuestionState, Visibility

PROJECTOR_LINK_PURPOSE = "projector"


def _link(settings: Settings, token_id: uuid.UUID) -> ProjectorLinkRead:
    token = sign_id(settings.secret_key.get_secret_value(), PROJECTOR_LINK_PURPOSE, token_id)
    return ProjectorLinkRead(url=f"{settings.public_base_url}/present/{token}")


async def _organiser_meeting(session: AsyncSession, actor: Actor | None, meeting_id: uuid.UUID) -> Meeting:
    access = await meeting_access(session, actor, meeting_id)
    access.require_organiser()
    return access.meeting


async def create_link(
    uow: UnitOfWork, settings: Settings, actor: Actor | None, meeting_id: uuid.UUID
) -> ProjectorLinkRead:
    """The meeting's projector link, made now if there is none (asking again returns it)."""
    meeting = await _organiser_meeting(uow.session, actor, meeting_id)
    if meeting.projector_token_id is None:
        meeting.projector_token_id = uuid.uuid4()
        changed = ProjectorLinkChanged(shared=True)
        await uow.emit(meeting_stream(meeting.id), meeting.id, "projector.link_changed", changed)
    return _link(settings, meeting.projector_token_id)


async def get_link(
    session: AsyncSession, settings: Settings, actor: Actor | None, meeting_id: uuid.UUID
) -> ProjectorLinkRead:
    """The link, or a null url while there is none (the console asks whenever it opens)."""
    meeting = await _organiser_meeting(session, actor, meeting_id)
    if meeting.projector_token_id is None:
        return ProjectorLinkRead(url=None)
    return _link(settings, meeting.projector_token_id)


async def revoke_link(uow: UnitOfWork, actor: Actor | None, meeting_id: uuid.UUID) -> None:
    meeting = await _organiser_meeting(uow.session, actor, meeting_id)
    if meeting.projector_token_id is None:
        return
    meeting.projector_token_id = None
    await uow.emit(meeting_stream(meeting.id), meeting.id, "projector.link_changed", ProjectorLinkChanged(shared=False))


async def presented_meeting(session: AsyncSession, settings: Settings, token: str) -> Meeting:
    """The meeting a projector link opens; 404 for a revoked, unknown or forged link."""
    token_id = verify_signed_id(settings.secret_key.get_secret_value(), PROJECTOR_LINK_PURPOSE, token)
    meeting = await repository.meeting_by_projector_token(session, token_id) if token_id is not None else None
    if meeting is None:
        raise NotFound("this projector link is not valid: it was revoked, or never made", code="projector_link_invalid")
    return meeting


async def projector_read(session: AsyncSession, settings: Settings, token: str) -> ProjectorRead:
    meeting = await presented_meeting(session, settings, token)
    base = settings.public_base_url
    return ProjectorRead(
        meeting_id=meeting.id,
        title=meeting.title,
        stream=meeting_stream(meeting.id),
        join_code=meeting.join_code,
        join_address=f"{base.split('://', 1)[-1]}/join",
        join_url=f"{base}/join?code={meeting.join_code}",
    )


async def projector_snapshot(session: AsyncSession, settings: Settings, token: str) -> StreamSnapshot:
    """The meeting stream's snapshot (the only stream a projector follows)."""
    await consistent_reads(session)
    meeting = await presented_meeting(session, settings, token)
    stream = meeting_stream(meeting.id)
    position = (await stream_positions(session, [stream]))[stream]
    state = await meeting_state(session, settings, meeting)
    return StreamSnapshot(stream=stream, seq=position.head, epoch=position.epoch, state=state)


async def projector_ticket(session: AsyncSession, settings: Settings, token: str) -> TicketRead:
    meeting = await presented_meeting(session, settings, token)
    assert meeting.projector_token_id is not None  # found by it
    return issue_projector_ticket(settings.secret_key.get_secret_value(), meeting.id, meeting.projector_token_id)


async def room_questions(session: AsyncSession, settings: Settings, token: str) -> list[ProjectorRoomQuestion]:
    """Each room's current question and its results, as the room itself may see them."""
    meeting = await presented_meeting(session, settings, token)
    current = await repository.current_questions(session, meeting.id)
    shown = {
        (room.id, question.id)
        for room, allocation, question in current
        if is_tallied(question) and (question.visibility == Visibility.LIVE or allocation.state == QuestionState.CLOSED)
    }
    values = await counted_values(session, shown)
    answered = await answers_repository.answered_counts(
        session, [(room.id, question.id) for room, _, question in current]
    )
    read: list[ProjectorRoomQuestion] = []
    for room, allocation, question in current:
        key = (room.id, question.id)
        read.append(
            ProjectorRoomQuestion(
                room_id=room.id,
                room_name=room.name,
                state=QuestionState(allocation.state),
                question=QuestionView.model_validate(question),
                respondents=answered.get(key, 0),
                tally=tally_of(question, values[key]) if key in shown else None,
            )
        )
    return read


def screen_admission(settings: Settings, token: str) -> Admit:
    """The projector link's right to the plenary: the room's view, without authors (see
    ``app.plenary.disclosure``), from the view every reader shares."""

    async def admit(session: AsyncSession) -> tuple[uuid.UUID, Disclosure]:
        return (await presented_meeting(session, settings, token)).id, SCREEN

    return admit
