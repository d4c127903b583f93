"""The wire protocol: every frame that crosses ``/ws``, and the views that REST returns too.

Vocabulary: client commands are imperative (``answer.submit``) and carry a client-made ``id``;
server events are past tense (``answer.submitted``) and carry ``stream`` and ``seq``; ``ack`` and
``error`` answer commands by ``ref``. Ephemeral frames (presence, pong) carry no seq.

``make schema`` exports this module as JSON Schema; the frontend's types are generated from it.
Bump ``PROTOCOL_VERSION`` on any change a deployed client cannot ignore.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from app.inputs import Input
from app.vocabulary import (
    AgendaKind,
    Anonymity,
    AssignmentMode,
    FindingStatus,
    HandStatus,
    JoinedBy,
    Phase,
    QuestionKind,
    QuestionState,
    Role,
    Visibility,
)

PROTOCOL_VERSION = 1
ANSWER_TEXT_MAX = 2000
CommandId = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$")]


class View(BaseModel):
    model_config = ConfigDict(from_attributes=True)


# --- views: what REST returns and what events carry -------------------------------------------


class AgendaItemView(View):
    id: uuid.UUID
    title: str
    kind: AgendaKind
    speaker: str
    planned_minutes: int
    position: int


class MeetingView(View):
    id: uuid.UUID
    title: str
    description: str
    languages: list[str]
    default_anonymity: Anonymity
    phase: Phase
    assignment_mode: AssignmentMode
    join_code: str
    current_item_id: uuid.UUID | None
    breakouts_close_at: datetime | None
    # The breakouts' planned end, after which the close countdown starts by itself.
    breakouts_end_at: datetime | None = None
    # How long that countdown will run (seconds; 0 closes the rooms at the planned end).
    breakouts_countdown_s: int = 0
    # When the current phase began; broadcasts sent before it have ended with their phase.
    phase_changed_at: datetime | None = None
    agenda: list[AgendaItemView]
    created_at: datetime


class RoomView(View):
    id: uuid.UUID
    name: str
    theme: str
    capacity: int | None
    position: int
    moderator_ids: list[uuid.UUID] = []
    # Finished early by its moderator: its people wait for the plenary; nothing is pushed there.
    finished_at: datetime | None = None


class RosterEntry(View):
    """A participant as staff see them on the wire (never email or gender)."""

    id: uuid.UUID
    display_name: str
    organisation: str
    role: Role
    room_id: uuid.UUID | None
    # A walk-in (``code``, ``open_link``) is not on the organisers' list until matched or imported.
    joined_by: JoinedBy = JoinedBy.ROSTER


class QuestionOption(BaseModel):
    id: str = Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_-]+$")
    label: str = Field(min_length=1, max_length=300)


class QuestionView(View):
    id: uuid.UUID
    code: str
    theme: str
    text: str
    kind: QuestionKind
    options: list[QuestionOption]
    scale_min: int | None
    scale_max: int | None
    scale_labels: dict[str, str]
    anonymity: Anonymity
    visibility: Visibility
    position: int


class AllocationView(View):
    id: uuid.UUID
    room_id: uuid.UUID
    question_id: uuid.UUID
    position: int
    state: QuestionState
    pushed_at: datetime | None
    closed_at: datetime | None
    # The moderator turned on the grouping of similar answers (open questions only).
    grouped: bool = False


class AnswerView(View):
    """An answer as its reader may see it: ``author`` is a name, a pseudonym or None, as the
    question's anonymity and the reader's role allow."""

    id: uuid.UUID
    room_id: uuid.UUID
    question_id: uuid.UUID
    text: str | None
    choice_ids: list[str] | None
    scale_value: int | None
    author: str | None
    author_id: uuid.UUID | None
    hidden: bool
    pinned: bool
    merged_into_id: uuid.UUID | None
    source_ids: list[uuid.UUID] = []
    votes: int = 0
    created_at: datetime
    updated_at: datetime
    # About the reader, so only in their own responses (REST, acks); always False in events.
    mine: bool = False
    voted: bool = False


class FindingView(View):
    id: uuid.UUID
    room_id: uuid.UUID
    question_id: uuid.UUID | None
    text: str
    position: int
    status: FindingStatus
    answer_ids: list[uuid.UUID]
    endorsements: int
    confirmed_at: datetime | None


class TimerView(View):
    id: uuid.UUID
    room_id: uuid.UUID | None
    label: str
    ends_at: datetime
    stopped_at: datetime | None


class HelpRequestView(View):
    id: uuid.UUID
    room_id: uuid.UUID
    message: str
    requested_by: str | None
    created_at: datetime
    resolved_at: datetime | None


class RaisedHandView(View):
    """A raised hand as the room's staff see it: who, since when, and whether it is handled."""

    id: uuid.UUID
    room_id: uuid.UUID
    participant_id: uuid.UUID
    name: str
    status: HandStatus
    created_at: datetime
    acknowledged_at: datetime | None
    lowered_at: datetime | None


class BroadcastView(View):
    id: uuid.UUID
    message: str
    created_at: datetime


class RoomProgress(BaseModel):
    """ "14/20 answered": answers to the live question against the people assigned to the room."""

    room_id: uuid.UUID
    question_id: uuid.UUID | None
    answered: int
    assigned: int


# --- event data: the ``data`` of each durable event -----------------------------------------


class MeetingChanged(BaseModel):
    meeting: MeetingView


class PhaseChanged(BaseModel):
    phase: Phase
    previous: Phase
    meeting: MeetingView


class BreakoutsClosing(BaseModel):
    close_at: datetime
    next_phase: Phase


class RoomChanged(BaseModel):
    room: RoomView


class RoomRemoved(BaseModel):
    room_id: uuid.UUID


class RosterChanged(BaseModel):
    participant: RosterEntry


class ParticipantMoved(BaseModel):
    """Sent on the room the participant leaves (so their screens follow) and to staff."""

    participant_id: uuid.UUID
    from_room_id: uuid.UUID | None
    to_room_id: uuid.UUID | None


class ParticipantErased(BaseModel):
    participant_id: uuid.UUID
    pseudonym: str


class ParticipantMatched(BaseModel):
    """A walk-in (``participant_id``, now gone from the roster) was matched to a roster entry:
    the two are one person, ``participant``, with the walk-in's answers, votes and sessions."""

    participant_id: uuid.UUID
    participant: RosterEntry


class AllocationsChanged(BaseModel):
    room_id: uuid.UUID
    allocations: list[AllocationView]
    questions: list[QuestionView]


class QuestionPushed(BaseModel):
    allocation: AllocationView
    question: QuestionView


class QuestionClosed(BaseModel):
    allocation: AllocationView
    # Revealed now when the question showed answers only after close.
    answers: list[AnswerView] = []


class AnswerSubmitted(BaseModel):
    """``answer`` is None for readers who may not see answers before the question closes."""

    room_id: uuid.UUID
    question_id: uuid.UUID
    answer_id: uuid.UUID
    answer: AnswerView | None
    count: int


class OptionTally(BaseModel):
    option_id: str
    count: int


class ScalePoint(BaseModel):
    value: int
    count: int


class QuestionTally(BaseModel):
    """A choice or scale question's results in a room, counting people (one answer each; hidden
    answers not counted). ``options`` per option in the question's order (choice questions; the
    counts of a multiple-choice question add up to more than ``respondents``); ``scale`` per point
    from the lowest to the highest, with the mean and the median of the values (scale questions)."""

    question_id: uuid.UUID
    respondents: int
    options: list[OptionTally] = []
    scale: list[ScalePoint] = []
    mean: float | None = None
    median: float | None = None


class TallyChanged(BaseModel):
    """A level: the question's whole tally in the room. ``tally`` is None for readers who may not
    see the results yet (shown only after close): a client then drops the question's tally.
    Answers committed together are told once per room and question, with the tally after them."""

    room_id: uuid.UUID
    question_id: uuid.UUID
    tally: QuestionTally | None


class AnswerGroup(BaseModel):
    """Answers of one room to one open question that say nearly the same thing, grouped as the
    plenary groups answers across rooms. ``label`` is the member closest to the group's centre;
    ``answer_ids`` the members in the order they were given; ``count`` their number."""

    label: str
    count: int
    answer_ids: list[uuid.UUID]


class QuestionGroups(BaseModel):
    """The groups of a question's answers in a room, largest first; every answer a participant may
    see (not hidden, not merged away) is in exactly one group, singletons included."""

    question_id: uuid.UUID
    groups: list[AnswerGroup]


class GroupsChanged(BaseModel):
    """A level: whether grouping is on for the question in the room, and its whole grouping.
    ``groups`` is None when grouping is off, or for readers who may not see the answers yet
    (shown only after close): a client then drops the question's groups. Answers committed
    together are grouped once per room and question, after them."""

    room_id: uuid.UUID
    question_id: uuid.UUID
    grouped: bool
    groups: QuestionGroups | None


class AnswerChanged(BaseModel):
    """``answer`` is None for readers who may not see it (hidden, merged away, or shown only after
    close): a client then drops ``answer_id`` from its list."""

    answer_id: uuid.UUID
    answer: AnswerView | None


class AnswersMerged(BaseModel):
    """``merged`` is None for readers who may not see it yet (a question shown only after close)."""

    merged: AnswerView | None
    source_ids: list[uuid.UUID]


class VotesChanged(BaseModel):
    answer_id: uuid.UUID
    votes: int


class FindingChanged(BaseModel):
    """``finding`` is None for readers who may not see it: a draft belongs to the room's staff until
    it is proposed, so the room's participants learn only that some finding changed."""

    finding_id: uuid.UUID
    room_id: uuid.UUID
    finding: FindingView | None


class FindingRemoved(BaseModel):
    finding_id: uuid.UUID


class TimerChanged(BaseModel):
    timer: TimerView


class BroadcastSent(BaseModel):
    broadcast: BroadcastView


class HelpChanged(BaseModel):
    help: HelpRequestView


class HandChanged(BaseModel):
    """On the room's stream. ``hand`` (who, since when) is for the room's staff only; the room's
    participants get None and learn only that the hand ``hand_id`` is now ``status``, so a phone
    follows its own hand and nobody learns whose hand another is."""

    hand_id: uuid.UUID
    room_id: uuid.UUID
    status: HandStatus
    hand: RaisedHandView | None


class RoomSeatLevel(BaseModel):
    room_id: uuid.UUID
    seats_taken: int


class SeatsChanged(BaseModel):
    """While people choose their own room: the seats now taken in the rooms that changed (a level,
    to show places left). A hint, kept in no stream state: read every room's with
    ``GET /api/meetings/{meeting_id}/seats``; a choice of a full room is refused all the same."""

    seats: list[RoomSeatLevel]


class ProgressChanged(BaseModel):
    progress: RoomProgress


class PlenaryChanged(BaseModel):
    """The plenary view moved on (the organiser's navigation) or its content changed."""

    room_id: uuid.UUID | None = None
    question_id: uuid.UUID | None = None
    version: int = 0
    # The page of the focused room or question the presenter shows (phones follow it).
    page: int = 0


class ReportLinkChanged(BaseModel):
    """The organiser shared the read-only report link (``url``) or revoked it (None): everyone
    in the meeting may open it, so their closing screens show it."""

    url: str | None


class ProjectorLinkChanged(BaseModel):
    """The organiser made the projector link or revoked it; the token itself never travels here.
    Revoking closes the sockets opened with the old link."""

    shared: bool


EVENT_DATA: dict[str, type[BaseModel]] = {
    "meeting.created": MeetingChanged,
    "meeting.updated": MeetingChanged,
    "meeting.phase_changed": PhaseChanged,
    "meeting.breakouts_closing": BreakoutsClosing,
    "meeting.breakouts_timing_changed": MeetingChanged,
    "agenda.changed": MeetingChanged,
    "agenda.current_changed": MeetingChanged,
    "room.created": RoomChanged,
    "room.updated": RoomChanged,
    "room.removed": RoomRemoved,
    "participant.joined": RosterChanged,
    "participant.updated": RosterChanged,
    "participant.moved": ParticipantMoved,
    "participant.erased": ParticipantErased,
    "participant.matched": ParticipantMatched,
    "question.allocated": AllocationsChanged,
    "question.pushed": QuestionPushed,
    "question.closed": QuestionClosed,
    "answer.submitted": AnswerSubmitted,
    "question.tally": TallyChanged,
    "question.groups": GroupsChanged,
    "answer.edited": AnswerChanged,
    "answer.moderated": AnswerChanged,
    "answer.merged": AnswersMerged,
    "answer.voted": VotesChanged,
    "finding.drafted": FindingChanged,
    "finding.edited": FindingChanged,
    "finding.proposed": FindingChanged,
    "finding.endorsed": FindingChanged,
    "finding.confirmed": FindingChanged,
    "finding.removed": FindingRemoved,
    "timer.started": TimerChanged,
    "timer.extended": TimerChanged,
    "timer.stopped": TimerChanged,
    "broadcast.sent": BroadcastSent,
    "help.requested": HelpChanged,
    "help.resolved": HelpChanged,
    "hand.raised": HandChanged,
    "hand.acknowledged": HandChanged,
    "hand.lowered": HandChanged,
    "hand.answered": HandChanged,
    "room.progress": ProgressChanged,
    "room.seats": SeatsChanged,
    "plenary.changed": PlenaryChanged,
    "report.link_changed": ReportLinkChanged,
    "projector.link_changed": ProjectorLinkChanged,
}
EventType = str


class EventFrame(BaseModel):
    """A durable event as sent: ``data`` is the model ``EVENT_DATA[type]`` describes."""

    type: str
    stream: str
    seq: int
    at: datetime
    data: dict[str, Any]


# --- control frames ---------------------------------------------------------------------------


class Hello(Input):
    """The client's first frame: where it is in each stream (absent streams start from now)."""

    type: Literal["hello"]
    protocol: int = PROTOCOL_VERSION
    cursors: dict[str, Annotated[int, Field(ge=0)]] = Field(default_factory=dict, max_length=32)
    # The epoch each cursor belongs to (from ``resumed``, ``resync_required`` or a snapshot);
    # a missing one means 1. A stream reset since then answers ``resync_required`` ``reset``.
    epochs: dict[str, Annotated[int, Field(ge=1)]] = Field(default_factory=dict, max_length=32)


class Ping(Input):
    type: Literal["ping"]


class Welcome(BaseModel):
    type: Literal["welcome"] = "welcome"
    protocol: int = PROTOCOL_VERSION
    server_time: datetime
    streams: list[str]
    heartbeat_s: int
    participant_id: uuid.UUID | None
    role: Role


class Resumed(BaseModel):
    """Replay is over (or, for a stream without a cursor, subscribed from now): ``head`` is the
    seq the client is at; every later event of the stream follows live."""

    type: Literal["resumed"] = "resumed"
    stream: str
    head: int
    epoch: int = 1


class ResyncRequired(BaseModel):
    """The cursor cannot be served: load the stream's snapshot. The socket is subscribed from
    ``head`` on; apply the live events whose seq is above the snapshot's."""

    type: Literal["resync_required"] = "resync_required"
    stream: str
    reason: Literal["too_old", "ahead", "reset", "gap"]
    head: int
    epoch: int = 1


class Ack(BaseModel):
    type: Literal["ack"] = "ack"
    ref: str
    result: dict[str, Any] | list[Any] | None


class ErrorFrame(BaseModel):
    type: Literal["error"] = "error"
    code: str
    message: str
    ref: str | None = None


class Pong(BaseModel):
    type: Literal["pong"] = "pong"


class PresenceEntry(BaseModel):
    participant_id: uuid.UUID
    room_id: uuid.UUID | None
    connected: bool
    last_seen: datetime


class PresenceChanged(BaseModel):
    """Ephemeral, for staff: who is connected where (converges after a node dies)."""

    type: Literal["presence.changed"] = "presence.changed"
    entries: list[PresenceEntry]


# --- commands ---------------------------------------------------------------------------------


class Command(Input):
    model_config = ConfigDict(extra="forbid")

    id: CommandId


class AnswerSubmit(Command):
    type: Literal["answer.submit"]
    room_id: uuid.UUID
    question_id: uuid.UUID
    text: str | None = Field(default=None, max_length=ANSWER_TEXT_MAX)
    choice_ids: list[str] | None = Field(default=None, max_length=50)
    scale_value: int | None = None


class AnswerEdit(Command):
    type: Literal["answer.edit"]
    answer_id: uuid.UUID
    text: str | None = Field(default=None, max_length=ANSWER_TEXT_MAX)
    choice_ids: list[str] | None = Field(default=None, max_length=50)
    scale_value: int | None = None


class AnswerVote(Command):
    type: Literal["answer.vote"]
    answer_id: uuid.UUID
    upvote: bool = True


class AnswerModerate(Command):
    type: Literal["answer.moderate"]
    answer_id: uuid.UUID
    hidden: bool | None = None
    pinned: bool | None = None


class AnswerMerge(Command):
    type: Literal["answer.merge"]
    room_id: uuid.UUID
    answer_ids: list[uuid.UUID] = Field(min_length=2, max_length=50)
    text: str | None = Field(default=None, max_length=ANSWER_TEXT_MAX)


class QuestionPush(Command):
    type: Literal["question.push"]
    room_id: uuid.UUID
    question_id: uuid.UUID


class QuestionClose(Command):
    type: Literal["question.close"]
    room_id: uuid.UUID
    question_id: uuid.UUID


class QuestionGroup(Command):
    """Turn the grouping of similar answers on or off for an open question in the room."""

    type: Literal["question.group"]
    room_id: uuid.UUID
    question_id: uuid.UUID
    grouped: bool


class RoomFinish(Command):
    """A room's moderator finishes the room early (its live question closes) or opens it again."""

    type: Literal["room.finish"]
    room_id: uuid.UUID
    finished: bool


class FindingDraft(Command):
    type: Literal["finding.draft"]
    room_id: uuid.UUID
    question_id: uuid.UUID | None = None
    text: str = Field(min_length=1, max_length=ANSWER_TEXT_MAX)
    answer_ids: list[uuid.UUID] = Field(default_factory=list, max_length=100)


class FindingEdit(Command):
    type: Literal["finding.edit"]
    finding_id: uuid.UUID
    text: str | None = Field(default=None, min_length=1, max_length=ANSWER_TEXT_MAX)
    answer_ids: list[uuid.UUID] | None = Field(default=None, max_length=100)


class FindingPropose(Command):
    type: Literal["finding.propose"]
    finding_id: uuid.UUID


class FindingEndorse(Command):
    type: Literal["finding.endorse"]
    finding_id: uuid.UUID


class FindingConfirm(Command):
    type: Literal["finding.confirm"]
    finding_id: uuid.UUID


class PhaseChange(Command):
    type: Literal["meeting.change_phase"]
    meeting_id: uuid.UUID
    phase: Phase
    countdown_s: int = Field(default=0, ge=0, le=600)
    duration_s: int | None = Field(default=None, ge=1, le=12 * 3600)
    item_id: uuid.UUID | None = None


class BreakoutsCountdownCancel(Command):
    type: Literal["meeting.cancel_countdown"]
    meeting_id: uuid.UUID


class BreakoutsCountdownExtend(Command):
    type: Literal["meeting.extend_countdown"]
    meeting_id: uuid.UUID
    seconds: int = Field(ge=1, le=3600)


class AgendaSetCurrent(Command):
    type: Literal["agenda.set_current"]
    meeting_id: uuid.UUID
    item_id: uuid.UUID | None


class ParticipantMove(Command):
    type: Literal["participant.move"]
    participant_id: uuid.UUID
    room_id: uuid.UUID | None
    force: bool = False  # move even into a full room


class TimerStart(Command):
    type: Literal["timer.start"]
    meeting_id: uuid.UUID
    room_id: uuid.UUID | None = None
    seconds: int = Field(ge=1, le=24 * 3600)
    label: str = Field(default="", max_length=120)


class TimerExtend(Command):
    type: Literal["timer.extend"]
    timer_id: uuid.UUID
    seconds: int = Field(ge=1, le=24 * 3600)


class TimerStop(Command):
    type: Literal["timer.stop"]
    timer_id: uuid.UUID


class BroadcastSend(Command):
    type: Literal["broadcast.send"]
    meeting_id: uuid.UUID
    message: str = Field(min_length=1, max_length=500)


class HelpRequest(Command):
    type: Literal["help.request"]
    room_id: uuid.UUID
    message: str = Field(default="", max_length=500)


class HelpResolve(Command):
    type: Literal["help.resolve"]
    help_id: uuid.UUID


class HandRaise(Command):
    type: Literal["hand.raise"]
    room_id: uuid.UUID


class HandLower(Command):
    type: Literal["hand.lower"]
    hand_id: uuid.UUID


class HandAcknowledge(Command):
    type: Literal["hand.acknowledge"]
    hand_id: uuid.UUID


class HandAnswer(Command):
    type: Literal["hand.answer"]
    hand_id: uuid.UUID


ClientCommand = Annotated[
    AnswerSubmit
    | AnswerEdit
    | AnswerVote
    | AnswerModerate
    | AnswerMerge
    | QuestionPush
    | QuestionClose
    | QuestionGroup
    | RoomFinish
    | FindingDraft
    | FindingEdit
    | FindingPropose
    | FindingEndorse
    | FindingConfirm
    | PhaseChange
    | BreakoutsCountdownCancel
    | BreakoutsCountdownExtend
    | AgendaSetCurrent
    | ParticipantMove
    | TimerStart
    | TimerExtend
    | TimerStop
    | BroadcastSend
    | HelpRequest
    | HelpResolve
    | HandRaise
    | HandLower
    | HandAcknowledge
    | HandAnswer,
    Field(discriminator="type"),
]
ClientFrame = Annotated[Hello | Ping | ClientCommand, Field(discriminator="type")]
ServerControlFrame = Annotated[
    Welcome | Resumed | ResyncRequired | Ack | ErrorFrame | Pong | PresenceChanged, Field(discriminator="type")
]


# --- stream snapshots: the state a stream's events apply to (GET /api/live/snapshot) ---------


class MeetingStreamState(BaseModel):
    """What the meeting stream's events change: the meeting, its rooms, the meeting-wide timers
    that were not stopped, the broadcasts, the plenary's focus and the shared report link."""

    kind: Literal["meeting"] = "meeting"
    meeting: MeetingView
    rooms: list[RoomView]
    timers: list[TimerView]
    broadcasts: list[BroadcastView]
    plenary: PlenaryChanged | None = None
    report_url: str | None = None


class RoomStreamState(BaseModel):
    """What a room stream's events change, as the subscriber's audience sees it (staff or peers).
    ``answer_counts`` is the number of answers per question, also where the answers are hidden;
    ``tallies`` the results of each choice or scale question pushed in the room, where the audience
    may see them."""

    kind: Literal["room"] = "room"
    room_id: uuid.UUID
    allocations: list[AllocationView]
    questions: list[QuestionView]
    answers: list[AnswerView]
    answer_counts: dict[str, int]
    tallies: list[QuestionTally] = []
    answer_groups: list[QuestionGroups] = []
    findings: list[FindingView]
    timers: list[TimerView]
    # The hands up in the room, oldest first: for the room's staff only (empty for peers).
    hands: list[RaisedHandView] = []


class StaffStreamState(BaseModel):
    """What the staff stream's events change: the roster, the help requests, and the progress of
    every room that has a live question."""

    kind: Literal["staff"] = "staff"
    roster: list[RosterEntry]
    help_requests: list[HelpRequestView]
    progress: list[RoomProgress]


class StreamSnapshot(BaseModel):
    """A stream's state and the ``seq`` (in ``epoch``) it reflects, read in one transaction:
    apply the stream's events with a higher seq, in order, to stay current."""

    stream: str
    seq: int
    epoch: int
    state: Annotated[MeetingStreamState | RoomStreamState | StaffStreamState, Field(discriminator="kind")]
