"""Snapshots of streams: a stream's state as its subscriber's audience sees it, and the seq it
reflects, read in one transaction (REPEATABLE READ on PostgreSQL; one read transaction of the
WAL snapshot on SQLite), so that applying the events above that seq brings it up to date.

The state is what the stream's events carry: the peers' view for participants and observers,
the staff view for organisers and moderators (the same rules the features apply when they emit).
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.answers import repository as answers_repository
from app.answers.groups import room_groups
from app.answers.tally import room_tallies
from app.answers.views import PEERS, STAFF, answer_views, room_contexts
from app.auth.access import Actor, MeetingAccess, meeting_access
from app.database import utcnow
from app.errors import Forbidden, NotFound
from app.facilitation import repository as facilitation_repository
from app.facilitation.service import list_help
from app.findings.service import list_findings
from app.hands.service import room_hands
from app.live.service import stream_grants
from app.meetings import repository as meetings_repository
from app.meetings.models import Meeting
from app.meetings.service import meeting_read
from app.participants.models import Participant
from app.participants.roster import roster_entry
from app.plenary import repository as plenary_repository
from app.questions import repository as questions_repository
from app.questions.service import room_questions_read
from app.realtime.eventlog import StreamKind, stream_positions
from app.realtime.protocol import (
    BroadcastView,
    MeetingStreamState,
    PlenaryChanged,
    RoomProgress,
    RoomStreamState,
    StaffStreamState,
    StreamSnapshot,
    TimerView,
)
from app.reports.service import shared_report_url
from app.rooms import repository as rooms_repository
from app.rooms.models import Room
from app.rooms.service import room_reads
from app.settings import Settings
from app.vocabulary import QuestionState


async def consistent_reads(session: AsyncSession) -> None:
    """Make every later read of ``session`` see one snapshot of the database (call first)."""
    if session.bind is not None and session.bind.dialect.name == "postgresql":
        await session.connection(execution_options={"isolation_level": "REPEATABLE READ"})


async def stream_snapshot(
    session: AsyncSession, settings: Settings, actor: Actor | None, meeting_id: uuid.UUID, stream: str
) -> StreamSnapshot:
    access = await meeting_access(session, actor, meeting_id)
    grant = next((grant for grant in await stream_grants(session, access) if grant.stream == stream), None)
    if grant is None:
        await _refuse(session, access, stream)
    assert grant is not None
    position = (await stream_positions(session, [stream]))[stream]
    kind, _, identifier = stream.partition(":")
    state: MeetingStreamState | RoomStreamState | StaffStreamState
    if kind == StreamKind.MEETING:
        state = await meeting_state(session, settings, access.meeting)
    elif kind == StreamKind.ROOM:
        state = await room_state(session, actor, uuid.UUID(identifier), staff=grant.staff)
    else:
        state = await staff_state(session, actor, meeting_id)
    return StreamSnapshot(stream=stream, seq=position.head, epoch=position.epoch, state=state)


async def _refuse(session: AsyncSession, access: MeetingAccess, stream: str) -> None:
    """403 for a stream of this meeting the caller may not follow, 404 for anything else."""
    kind, _, identifier = stream.partition(":")
    ours = False
    if kind in (StreamKind.MEETING, StreamKind.STAFF):
        ours = identifier == str(access.meeting_id)
    elif kind == StreamKind.ROOM:
        try:
            room = await session.get(Room, uuid.UUID(identifier))
        except ValueError:
            room = None
        ours = room is not None and room.meeting_id == access.meeting_id
    if ours:
        raise Forbidden("this stream is not yours to follow")
    raise NotFound("no such stream in this meeting")


async def meeting_state(session: AsyncSession, settings: Settings, record: Meeting) -> MeetingStreamState:
    """The meeting stream's state; the same for every audience (nothing on it is personal)."""
    meeting_id = record.id
    timers = await facilitation_repository.running_timers(session, meeting_id, utcnow())
    plenary = await plenary_repository.plenary_state(session, meeting_id)
    meeting = meeting_read(record, await meetings_repository.agenda_of(session, meeting_id))
    # A broadcast ends with the phase it was sent in: the next phase starts without banners.
    since = meeting.phase_changed_at
    broadcasts = [
        BroadcastView.model_validate(broadcast)
        for broadcast in await facilitation_repository.broadcasts_of(session, meeting_id)
        if since is None or broadcast.created_at >= since
    ]
    return MeetingStreamState(
        meeting=meeting,
        rooms=await room_reads(session, await rooms_repository.rooms_of(session, meeting_id)),
        timers=[TimerView.model_validate(timer) for timer in timers if timer.room_id is None],
        broadcasts=broadcasts,
        plenary=None
        if plenary is None
        else PlenaryChanged(
            room_id=plenary.focus_room_id,
            question_id=plenary.focus_question_id,
            version=plenary.version,
            page=plenary.focus_page,
        ),
        report_url=shared_report_url(settings, record),
    )


async def room_state(session: AsyncSession, actor: Actor | None, room_id: uuid.UUID, *, staff: bool) -> RoomStreamState:
    room = await session.get(Room, room_id)
    assert room is not None
    questions = await room_questions_read(session, room_id)
    contexts = await room_contexts(session, room_id)
    answers = [a for a in await answers_repository.answers_of_room(session, room_id, None) if a.question_id in contexts]
    counts = {}
    for question_id in contexts:
        count = await answers_repository.submitted_count(session, room_id, question_id)
        if count:
            counts[str(question_id)] = count
    timers = await facilitation_repository.running_timers(session, room.meeting_id, utcnow())
    return RoomStreamState(
        room_id=room_id,
        allocations=questions.allocations,
        questions=questions.questions,
        answers=await answer_views(session, answers, contexts, STAFF if staff else PEERS),
        answer_counts=counts,
        tallies=await room_tallies(
            session,
            room_id,
            contexts,
            {
                allocation.question_id
                for allocation in questions.allocations
                if allocation.state != QuestionState.PENDING
            },
            staff=staff,
        ),
        answer_groups=await room_groups(session, room_id, contexts, staff=staff),
        findings=await list_findings(session, actor, room_id),
        timers=[TimerView.model_validate(timer) for timer in timers if timer.room_id == room_id],
        hands=await room_hands(session, room_id) if staff else [],
    )


async def staff_state(session: AsyncSession, actor: Actor | None, meeting_id: uuid.UUID) -> StaffStreamState:
    people = list(await session.scalars(select(Participant).where(Participant.meeting_id == meeting_id)))
    rooms = list(await session.scalars(select(Room.id).where(Room.meeting_id == meeting_id)))
    return StaffStreamState(
        roster=[roster_entry(person) for person in people],
        help_requests=await list_help(session, actor, meeting_id, open=None),
        progress=[progress for room_id in rooms if (progress := await room_progress(session, room_id)).question_id],
    )


async def room_progress(session: AsyncSession, room_id: uuid.UUID) -> RoomProgress:
    """As ``app.answers.progress.emit_progress`` computes it for ``room.progress``."""
    live = await questions_repository.live_allocation(session, room_id)
    answered = 0 if live is None else await answers_repository.answered_count(session, room_id, live.question_id)
    return RoomProgress(
        room_id=room_id,
        question_id=live.question_id if live is not None else None,
        answered=answered,
        assigned=await answers_repository.assigned_count(session, room_id),
    )
