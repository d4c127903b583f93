"""Stream state kept by a client: a snapshot, and every later event applied to it in order.

``StreamState.apply`` is the reference reducer of the protocol: for every event type it changes
the snapshot's state exactly as the server's state changed, so that a stale snapshot plus the
events since equals a fresh snapshot (the tests check this for every event type). The browser's
reducer follows the same rules.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import BaseModel

from app.client.connection import Event
from app.realtime.protocol import (
    EVENT_DATA,
    AllocationsChanged,
    AnswerChanged,
    AnswersMerged,
    AnswerSubmitted,
    BreakoutsClosing,
    BroadcastSent,
    FindingChanged,
    FindingRemoved,
    GroupsChanged,
    HandChanged,
    HelpChanged,
    MeetingChanged,
    MeetingStreamState,
    ParticipantErased,
    ParticipantMatched,
    ParticipantMoved,
    PhaseChanged,
    PlenaryChanged,
    ProgressChanged,
    ProjectorLinkChanged,
    QuestionClosed,
    QuestionPushed,
    ReportLinkChanged,
    RoomChanged,
    RoomRemoved,
    RoomStreamState,
    RosterChanged,
    StaffStreamState,
    StreamSnapshot,
    TallyChanged,
    TimerChanged,
    VotesChanged,
)

Item = TypeVar("Item", bound=BaseModel)
AnyState = MeetingStreamState | RoomStreamState | StaffStreamState


class StreamGap(Exception):
    """An event arrived that does not follow the state's seq: load a fresh snapshot."""


class StreamState:
    def __init__(self, snapshot: StreamSnapshot, *, staff: bool) -> None:
        self.stream = snapshot.stream
        self.seq = snapshot.seq
        self.epoch = snapshot.epoch
        self.state: AnyState = snapshot.state.model_copy(deep=True)
        self.staff = staff

    def apply(self, event: Event) -> bool:
        """Apply one event; False for one the state already reflects (seq at or below its own)."""
        if event.stream != self.stream or event.seq <= self.seq:
            return False
        if event.seq != self.seq + 1:
            raise StreamGap(f"{self.stream}: at {self.seq}, got {event.seq}")
        data = EVENT_DATA[event.type].model_validate(event.data)
        reducer = REDUCERS.get((self.state.kind, event.type))
        if reducer is not None:
            reducer(self.state, data, self.staff)
        self.seq = event.seq
        return True


def _upsert(items: list[Item], item: Item, key: str = "id") -> None:
    for index, existing in enumerate(items):
        if getattr(existing, key) == getattr(item, key):
            items[index] = item
            return
    items.append(item)


def _drop(items: list[Item], value: Any, key: str = "id") -> None:
    items[:] = [item for item in items if getattr(item, key) != value]


# --- the meeting stream -----------------------------------------------------------------------


def _meeting(state: MeetingStreamState, data: MeetingChanged | PhaseChanged, staff: bool) -> None:
    state.meeting = data.meeting


def _phase(state: MeetingStreamState, data: PhaseChanged, staff: bool) -> None:
    state.meeting = data.meeting
    state.broadcasts = []  # a broadcast ends with the phase it was sent in


def _closing(state: MeetingStreamState, data: BreakoutsClosing, staff: bool) -> None:
    state.meeting.breakouts_close_at = data.close_at
    state.meeting.breakouts_end_at = None  # a countdown replaces the planned end


def _room(state: MeetingStreamState, data: RoomChanged, staff: bool) -> None:
    _upsert(state.rooms, data.room)


def _room_removed(state: MeetingStreamState, data: RoomRemoved, staff: bool) -> None:
    _drop(state.rooms, data.room_id)


def _timer(state: MeetingStreamState | RoomStreamState, data: TimerChanged, staff: bool) -> None:
    if data.timer.stopped_at is None:
        _upsert(state.timers, data.timer)
    else:
        _drop(state.timers, data.timer.id)


def _broadcast(state: MeetingStreamState, data: BroadcastSent, staff: bool) -> None:
    _upsert(state.broadcasts, data.broadcast)


def _plenary(state: MeetingStreamState, data: PlenaryChanged, staff: bool) -> None:
    state.plenary = data


def _report_link(state: MeetingStreamState, data: ReportLinkChanged, staff: bool) -> None:
    state.report_url = data.url


def _projector_link(state: MeetingStreamState, data: ProjectorLinkChanged, staff: bool) -> None:
    """Nothing to keep: the link itself is for the organiser's console, which reads it."""


# --- a room's stream --------------------------------------------------------------------------


def _allocated(state: RoomStreamState, data: AllocationsChanged, staff: bool) -> None:
    state.allocations, state.questions = list(data.allocations), list(data.questions)
    allocated = {allocation.question_id for allocation in data.allocations}
    state.tallies = [tally for tally in state.tallies if tally.question_id in allocated]
    state.answer_groups = [groups for groups in state.answer_groups if groups.question_id in allocated]


def _pushed(state: RoomStreamState, data: QuestionPushed, staff: bool) -> None:
    _upsert(state.allocations, data.allocation)
    _upsert(state.questions, data.question)


def _closed(state: RoomStreamState, data: QuestionClosed, staff: bool) -> None:
    _upsert(state.allocations, data.allocation)
    for answer in data.answers:
        _upsert(state.answers, answer)


def _submitted(state: RoomStreamState, data: AnswerSubmitted, staff: bool) -> None:
    if data.answer is not None:
        _upsert(state.answers, data.answer)
    state.answer_counts[str(data.question_id)] = data.count


def _tally(state: RoomStreamState, data: TallyChanged, staff: bool) -> None:
    """A level: the tally replaces the question's, or (None: not to be seen yet) removes it."""
    state.tallies = [tally for tally in state.tallies if tally.question_id != data.question_id]
    if data.tally is not None:
        state.tallies.append(data.tally)


def _groups(state: RoomStreamState, data: GroupsChanged, staff: bool) -> None:
    """A level: the allocation's flag, and the groups replace the question's or (None) are dropped."""
    state.allocations = [
        allocation.model_copy(update={"grouped": data.grouped})
        if allocation.question_id == data.question_id
        else allocation
        for allocation in state.allocations
    ]
    state.answer_groups = [groups for groups in state.answer_groups if groups.question_id != data.question_id]
    if data.groups is not None:
        state.answer_groups.append(data.groups)


def _answer_changed(state: RoomStreamState, data: AnswerChanged, staff: bool) -> None:
    if data.answer is None:
        _drop(state.answers, data.answer_id)
    else:
        _upsert(state.answers, data.answer)


def _merged(state: RoomStreamState, data: AnswersMerged, staff: bool) -> None:
    merged_id = data.merged.id if data.merged is not None else None
    for source_id in data.source_ids:
        source = next((answer for answer in state.answers if answer.id == source_id), None)
        if source is not None and staff and merged_id is not None:
            source.merged_into_id = merged_id
        elif source is not None:
            _drop(state.answers, source_id)
    if data.merged is not None:
        _upsert(state.answers, data.merged)


def _voted(state: RoomStreamState, data: VotesChanged, staff: bool) -> None:
    for answer in state.answers:
        if answer.id == data.answer_id:
            answer.votes = data.votes


def _author_erased(state: RoomStreamState, data: ParticipantErased, staff: bool) -> None:
    for answer in state.answers:
        if answer.author_id == data.participant_id:
            answer.author = data.pseudonym


def _finding(state: RoomStreamState, data: FindingChanged, staff: bool) -> None:
    if data.finding is None:
        _drop(state.findings, data.finding_id)
    else:
        _upsert(state.findings, data.finding)


def _finding_removed(state: RoomStreamState, data: FindingRemoved, staff: bool) -> None:
    _drop(state.findings, data.finding_id)


def _hand(state: RoomStreamState, data: HandChanged, staff: bool) -> None:
    """Staff keep the hands up; peers get no hand (a phone follows its own by ``hand_id``)."""
    if data.hand is None:
        return
    if data.hand.lowered_at is None:
        _upsert(state.hands, data.hand)
    else:
        _drop(state.hands, data.hand_id)


# --- the staff stream -------------------------------------------------------------------------


def _roster(state: StaffStreamState, data: RosterChanged, staff: bool) -> None:
    _upsert(state.roster, data.participant)


def _moved(state: StaffStreamState, data: ParticipantMoved, staff: bool) -> None:
    for entry in state.roster:
        if entry.id == data.participant_id:
            entry.room_id = data.to_room_id


def _erased(state: StaffStreamState, data: ParticipantErased, staff: bool) -> None:
    for entry in state.roster:
        if entry.id == data.participant_id:
            entry.display_name, entry.organisation = data.pseudonym, ""


def _matched(state: StaffStreamState, data: ParticipantMatched, staff: bool) -> None:
    _drop(state.roster, data.participant_id)
    _upsert(state.roster, data.participant)


def _help(state: StaffStreamState, data: HelpChanged, staff: bool) -> None:
    _upsert(state.help_requests, data.help)


def _progress(state: StaffStreamState, data: ProgressChanged, staff: bool) -> None:
    if data.progress.question_id is None:  # no live question: nothing to make progress on
        _drop(state.progress, data.progress.room_id, key="room_id")
    else:
        _upsert(state.progress, data.progress, key="room_id")


Reducer = Callable[[Any, Any, bool], None]
_MEETING: dict[str, Reducer] = {
    "meeting.created": _meeting,
    "meeting.updated": _meeting,
    "meeting.phase_changed": _phase,
    "meeting.breakouts_timing_changed": _meeting,
    "agenda.changed": _meeting,
    "agenda.current_changed": _meeting,
    "meeting.breakouts_closing": _closing,
    "room.created": _room,
    "room.updated": _room,
    "room.removed": _room_removed,
    "timer.started": _timer,
    "timer.extended": _timer,
    "timer.stopped": _timer,
    "broadcast.sent": _broadcast,
    "plenary.changed": _plenary,
    "report.link_changed": _report_link,
    "projector.link_changed": _projector_link,
    # A hint for room pickers, kept in no stream state (the seats are read with their own request).
    "room.seats": lambda state, data, staff: None,
}
_ROOM: dict[str, Reducer] = {
    "question.allocated": _allocated,
    "question.pushed": _pushed,
    "question.closed": _closed,
    "answer.submitted": _submitted,
    "question.tally": _tally,
    "question.groups": _groups,
    "answer.edited": _answer_changed,
    "answer.moderated": _answer_changed,
    "answer.merged": _merged,
    "answer.voted": _voted,
    "finding.drafted": _finding,
    "finding.edited": _finding,
    "finding.proposed": _finding,
    "finding.endorsed": _finding,
    "finding.confirmed": _finding,
    "finding.removed": _finding_removed,
    "timer.started": _timer,
    "timer.extended": _timer,
    "timer.stopped": _timer,
    # The room's state holds no members: a move changes the staff roster and the subscriptions.
    "participant.moved": lambda state, data, staff: None,
    "participant.erased": _author_erased,
    "hand.raised": _hand,
    "hand.acknowledged": _hand,
    "hand.lowered": _hand,
    "hand.answered": _hand,
}
_STAFF: dict[str, Reducer] = {
    "participant.joined": _roster,
    "participant.updated": _roster,
    "participant.moved": _moved,
    "participant.erased": _erased,
    "participant.matched": _matched,
    "help.requested": _help,
    "help.resolved": _help,
    "room.progress": _progress,
}
REDUCERS: dict[tuple[str, str], Reducer] = {
    **{("meeting", event_type): reducer for event_type, reducer in _MEETING.items()},
    **{("room", event_type): reducer for event_type, reducer in _ROOM.items()},
    **{("staff", event_type): reducer for event_type, reducer in _STAFF.items()},
}


def comparable(state: AnyState) -> dict[str, Any]:
    """The state as plain data with every list in id order (order is presentation's business)."""
    plain = state.model_dump(mode="json")

    def key(item: Any) -> str:
        if not isinstance(item, dict):
            return str(item)
        return str(item.get("id") or item.get("room_id") or item.get("question_id") or item)

    for name, value in plain.items():
        if isinstance(value, list):
            plain[name] = sorted(value, key=key)
    return plain


def room_of(stream: str) -> uuid.UUID | None:
    kind, _, identifier = stream.partition(":")
    return uuid.UUID(identifier) if kind == "room" else None
