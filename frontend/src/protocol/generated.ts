/* eslint-disable */
/**
 * GENERATED from src/protocol/schema.json by scripts/generate-protocol.mjs: do not edit.
 * The schema is exported from app/realtime/protocol.py by `make schema`; regenerate with `npm run protocol`.
 * `npm run check` fails when this file and src/protocol/schema.json disagree.
 */

export type Anonymity = 'named' | 'anonymous_to_peers' | 'fully_anonymous';
export type Phase = 'draft' | 'lobby' | 'plenary' | 'breakouts' | 'report_back' | 'closed';
export type AssignmentMode = 'manual' | 'balanced' | 'self_select';
export type AgendaKind = 'talk' | 'breakouts' | 'report_back';
export type QuestionState = 'pending' | 'live' | 'closed';
export type QuestionKind = 'open' | 'single_choice' | 'multiple_choice' | 'scale';
export type Visibility = 'live' | 'after_close';
export type ClientFrame =
  | Hello
  | Ping
  | AnswerSubmit
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
  | HandAnswer;
export type FindingStatus = 'draft' | 'proposed' | 'confirmed';
/**
 * A raised hand: up, seen by the room's staff ("being handled"), then down, by its owner
 * (``lowered``, also when they leave the room or the rooms close) or by staff (``answered``).
 */
export type HandStatus = 'raised' | 'acknowledged' | 'lowered' | 'answered';
/**
 * How an entry came onto the roster: put there by the organisers (imported, added, given a
 * personal link), or a walk-in who typed the meeting's code or opened an open invite link.
 */
export type JoinedBy = 'roster' | 'code' | 'open_link';
export type Role = 'organiser' | 'moderator' | 'participant' | 'observer';
/**
 * How an entry came onto the roster: put there by the organisers (imported, added, given a
 * personal link), or a walk-in who typed the meeting's code or opened an open invite link.
 */
export type JoinedBy1 = 'roster' | 'code' | 'open_link';
export type ServerControlFrame = Welcome | Resumed | ResyncRequired | Ack | ErrorFrame | Pong | PresenceChanged;
export type ServerEventFrame =
  | AgendaChangedEvent
  | AgendaCurrentChangedEvent
  | AnswerEditedEvent
  | AnswerMergedEvent
  | AnswerModeratedEvent
  | AnswerSubmittedEvent
  | AnswerVotedEvent
  | BroadcastSentEvent
  | FindingConfirmedEvent
  | FindingDraftedEvent
  | FindingEditedEvent
  | FindingEndorsedEvent
  | FindingProposedEvent
  | FindingRemovedEvent
  | HandAcknowledgedEvent
  | HandAnsweredEvent
  | HandLoweredEvent
  | HandRaisedEvent
  | HelpRequestedEvent
  | HelpResolvedEvent
  | MeetingBreakoutsClosingEvent
  | MeetingBreakoutsTimingChangedEvent
  | MeetingCreatedEvent
  | MeetingPhaseChangedEvent
  | MeetingUpdatedEvent
  | ParticipantErasedEvent
  | ParticipantJoinedEvent
  | ParticipantMatchedEvent
  | ParticipantMovedEvent
  | ParticipantUpdatedEvent
  | PlenaryChangedEvent
  | ProjectorLinkChangedEvent
  | QuestionAllocatedEvent
  | QuestionClosedEvent
  | QuestionGroupsEvent
  | QuestionPushedEvent
  | QuestionTallyEvent
  | ReportLinkChangedEvent
  | RoomCreatedEvent
  | RoomProgressEvent
  | RoomRemovedEvent
  | RoomSeatsEvent
  | RoomUpdatedEvent
  | TimerExtendedEvent
  | TimerStartedEvent
  | TimerStoppedEvent;

export interface BreakoutsProtocol {
  Ack: Ack;
  AgendaChangedEvent: AgendaChangedEvent;
  AgendaCurrentChangedEvent: AgendaCurrentChangedEvent;
  AgendaItemView: AgendaItemView;
  AgendaKind: AgendaKind;
  AgendaSetCurrent: AgendaSetCurrent;
  AllocationView: AllocationView;
  AllocationsChanged: AllocationsChanged;
  Anonymity: Anonymity;
  AnswerChanged: AnswerChanged;
  AnswerEdit: AnswerEdit;
  AnswerEditedEvent: AnswerEditedEvent;
  AnswerGroup: AnswerGroup;
  AnswerMerge: AnswerMerge;
  AnswerMergedEvent: AnswerMergedEvent;
  AnswerModerate: AnswerModerate;
  AnswerModeratedEvent: AnswerModeratedEvent;
  AnswerSubmit: AnswerSubmit;
  AnswerSubmitted: AnswerSubmitted;
  AnswerSubmittedEvent: AnswerSubmittedEvent;
  AnswerView: AnswerView;
  AnswerVote: AnswerVote;
  AnswerVotedEvent: AnswerVotedEvent;
  AnswersMerged: AnswersMerged;
  AssignmentMode: AssignmentMode;
  BreakoutsClosing: BreakoutsClosing;
  BreakoutsCountdownCancel: BreakoutsCountdownCancel;
  BreakoutsCountdownExtend: BreakoutsCountdownExtend;
  BroadcastSend: BroadcastSend;
  BroadcastSent: BroadcastSent;
  BroadcastSentEvent: BroadcastSentEvent;
  BroadcastView: BroadcastView;
  ClientFrame: ClientFrame;
  ErrorFrame: ErrorFrame;
  FindingChanged: FindingChanged;
  FindingConfirm: FindingConfirm;
  FindingConfirmedEvent: FindingConfirmedEvent;
  FindingDraft: FindingDraft;
  FindingDraftedEvent: FindingDraftedEvent;
  FindingEdit: FindingEdit;
  FindingEditedEvent: FindingEditedEvent;
  FindingEndorse: FindingEndorse;
  FindingEndorsedEvent: FindingEndorsedEvent;
  FindingPropose: FindingPropose;
  FindingProposedEvent: FindingProposedEvent;
  FindingRemoved: FindingRemoved;
  FindingRemovedEvent: FindingRemovedEvent;
  FindingStatus: FindingStatus;
  FindingView: FindingView;
  GroupsChanged: GroupsChanged;
  HandAcknowledge: HandAcknowledge;
  HandAcknowledgedEvent: HandAcknowledgedEvent;
  HandAnswer: HandAnswer;
  HandAnsweredEvent: HandAnsweredEvent;
  HandChanged: HandChanged;
  HandLower: HandLower;
  HandLoweredEvent: HandLoweredEvent;
  HandRaise: HandRaise;
  HandRaisedEvent: HandRaisedEvent;
  HandStatus: HandStatus;
  Hello: Hello;
  HelpChanged: HelpChanged;
  HelpRequest: HelpRequest;
  HelpRequestView: HelpRequestView;
  HelpRequestedEvent: HelpRequestedEvent;
  HelpResolve: HelpResolve;
  HelpResolvedEvent: HelpResolvedEvent;
  JoinedBy: JoinedBy;
  MeetingBreakoutsClosingEvent: MeetingBreakoutsClosingEvent;
  MeetingBreakoutsTimingChangedEvent: MeetingBreakoutsTimingChangedEvent;
  MeetingChanged: MeetingChanged;
  MeetingCreatedEvent: MeetingCreatedEvent;
  MeetingPhaseChangedEvent: MeetingPhaseChangedEvent;
  MeetingUpdatedEvent: MeetingUpdatedEvent;
  MeetingView: MeetingView;
  OptionTally: OptionTally;
  ParticipantErased: ParticipantErased;
  ParticipantErasedEvent: ParticipantErasedEvent;
  ParticipantJoinedEvent: ParticipantJoinedEvent;
  ParticipantMatched: ParticipantMatched;
  ParticipantMatchedEvent: ParticipantMatchedEvent;
  ParticipantMove: ParticipantMove;
  ParticipantMoved: ParticipantMoved;
  ParticipantMovedEvent: ParticipantMovedEvent;
  ParticipantUpdatedEvent: ParticipantUpdatedEvent;
  Phase: Phase;
  PhaseChange: PhaseChange;
  PhaseChanged: PhaseChanged;
  Ping: Ping;
  PlenaryChanged: PlenaryChanged;
  PlenaryChangedEvent: PlenaryChangedEvent;
  Pong: Pong;
  PresenceChanged: PresenceChanged;
  PresenceEntry: PresenceEntry;
  ProgressChanged: ProgressChanged;
  ProjectorLinkChanged: ProjectorLinkChanged;
  ProjectorLinkChangedEvent: ProjectorLinkChangedEvent;
  QuestionAllocatedEvent: QuestionAllocatedEvent;
  QuestionClose: QuestionClose;
  QuestionClosed: QuestionClosed;
  QuestionClosedEvent: QuestionClosedEvent;
  QuestionGroup: QuestionGroup;
  QuestionGroups: QuestionGroups;
  QuestionGroupsEvent: QuestionGroupsEvent;
  QuestionKind: QuestionKind;
  QuestionOption: QuestionOption;
  QuestionPush: QuestionPush;
  QuestionPushed: QuestionPushed;
  QuestionPushedEvent: QuestionPushedEvent;
  QuestionState: QuestionState;
  QuestionTally: QuestionTally;
  QuestionTallyEvent: QuestionTallyEvent;
  QuestionView: QuestionView;
  RaisedHandView: RaisedHandView;
  ReportLinkChanged: ReportLinkChanged;
  ReportLinkChangedEvent: ReportLinkChangedEvent;
  Resumed: Resumed;
  ResyncRequired: ResyncRequired;
  Role: Role;
  RoomChanged: RoomChanged;
  RoomCreatedEvent: RoomCreatedEvent;
  RoomFinish: RoomFinish;
  RoomProgress: RoomProgress;
  RoomProgressEvent: RoomProgressEvent;
  RoomRemoved: RoomRemoved;
  RoomRemovedEvent: RoomRemovedEvent;
  RoomSeatLevel: RoomSeatLevel;
  RoomSeatsEvent: RoomSeatsEvent;
  RoomUpdatedEvent: RoomUpdatedEvent;
  RoomView: RoomView;
  RosterChanged: RosterChanged;
  RosterEntry: RosterEntry;
  ScalePoint: ScalePoint;
  SeatsChanged: SeatsChanged;
  ServerControlFrame: ServerControlFrame;
  ServerEventFrame: ServerEventFrame;
  TallyChanged: TallyChanged;
  TimerChanged: TimerChanged;
  TimerExtend: TimerExtend;
  TimerExtendedEvent: TimerExtendedEvent;
  TimerStart: TimerStart;
  TimerStartedEvent: TimerStartedEvent;
  TimerStop: TimerStop;
  TimerStoppedEvent: TimerStoppedEvent;
  TimerView: TimerView;
  Visibility: Visibility;
  VotesChanged: VotesChanged;
  Welcome: Welcome;
}
export interface Ack {
  type: 'ack';
  ref: string;
  result:
    | {
        [k: string]: unknown | undefined;
      }
    | unknown[]
    | null;
}
export interface AgendaChangedEvent {
  type: 'agenda.changed';
  stream: string;
  seq: number;
  at: string;
  data: MeetingChanged;
}
export interface MeetingChanged {
  meeting: MeetingView;
}
export interface MeetingView {
  id: string;
  title: string;
  description: string;
  languages: string[];
  default_anonymity: Anonymity;
  phase: Phase;
  assignment_mode: AssignmentMode;
  join_code: string;
  current_item_id: string | null;
  breakouts_close_at: string | null;
  breakouts_end_at: string | null;
  breakouts_countdown_s: number;
  phase_changed_at: string | null;
  agenda: AgendaItemView[];
  created_at: string;
}
export interface AgendaItemView {
  id: string;
  title: string;
  kind: AgendaKind;
  speaker: string;
  planned_minutes: number;
  position: number;
}
export interface AgendaCurrentChangedEvent {
  type: 'agenda.current_changed';
  stream: string;
  seq: number;
  at: string;
  data: MeetingChanged;
}
export interface AgendaSetCurrent {
  id: string;
  type: 'agenda.set_current';
  meeting_id: string;
  item_id: string | null;
}
export interface AllocationView {
  id: string;
  room_id: string;
  question_id: string;
  position: number;
  state: QuestionState;
  pushed_at: string | null;
  closed_at: string | null;
  grouped: boolean;
}
export interface AllocationsChanged {
  room_id: string;
  allocations: AllocationView[];
  questions: QuestionView[];
}
export interface QuestionView {
  id: string;
  code: string;
  theme: string;
  text: string;
  kind: QuestionKind;
  options: QuestionOption[];
  scale_min: number | null;
  scale_max: number | null;
  scale_labels: {
    [k: string]: string | undefined;
  };
  anonymity: Anonymity;
  visibility: Visibility;
  position: number;
}
export interface QuestionOption {
  id: string;
  label: string;
}
/**
 * ``answer`` is None for readers who may not see it (hidden, merged away, or shown only after
 * close): a client then drops ``answer_id`` from its list.
 */
export interface AnswerChanged {
  answer_id: string;
  answer: AnswerView | null;
}
/**
 * An answer as its reader may see it: ``author`` is a name, a pseudonym or None, as the
 * question's anonymity and the reader's role allow.
 */
export interface AnswerView {
  id: string;
  room_id: string;
  question_id: string;
  text: string | null;
  choice_ids: string[] | null;
  scale_value: number | null;
  author: string | null;
  author_id: string | null;
  hidden: boolean;
  pinned: boolean;
  merged_into_id: string | null;
  source_ids: string[];
  votes: number;
  created_at: string;
  updated_at: string;
  mine: boolean;
  voted: boolean;
}
export interface AnswerEdit {
  id: string;
  type: 'answer.edit';
  answer_id: string;
  text?: string | null;
  choice_ids?: string[] | null;
  scale_value?: number | null;
}
export interface AnswerEditedEvent {
  type: 'answer.edited';
  stream: string;
  seq: number;
  at: string;
  data: AnswerChanged;
}
/**
 * Answers of one room to one open question that say nearly the same thing, grouped as the
 * plenary groups answers across rooms. ``label`` is the member closest to the group's centre;
 * ``answer_ids`` the members in the order they were given; ``count`` their number.
 */
export interface AnswerGroup {
  label: string;
  count: number;
  answer_ids: string[];
}
export interface AnswerMerge {
  id: string;
  type: 'answer.merge';
  room_id: string;
  /**
   * @minItems 2
   * @maxItems 50
   */
  answer_ids: [string, string, ...string[]];
  text?: string | null;
}
export interface AnswerMergedEvent {
  type: 'answer.merged';
  stream: string;
  seq: number;
  at: string;
  data: AnswersMerged;
}
/**
 * ``merged`` is None for readers who may not see it yet (a question shown only after close).
 */
export interface AnswersMerged {
  merged: AnswerView | null;
  source_ids: string[];
}
export interface AnswerModerate {
  id: string;
  type: 'answer.moderate';
  answer_id: string;
  hidden?: boolean | null;
  pinned?: boolean | null;
}
export interface AnswerModeratedEvent {
  type: 'answer.moderated';
  stream: string;
  seq: number;
  at: string;
  data: AnswerChanged;
}
export interface AnswerSubmit {
  id: string;
  type: 'answer.submit';
  room_id: string;
  question_id: string;
  text?: string | null;
  choice_ids?: string[] | null;
  scale_value?: number | null;
}
/**
 * ``answer`` is None for readers who may not see answers before the question closes.
 */
export interface AnswerSubmitted {
  room_id: string;
  question_id: string;
  answer_id: string;
  answer: AnswerView | null;
  count: number;
}
export interface AnswerSubmittedEvent {
  type: 'answer.submitted';
  stream: string;
  seq: number;
  at: string;
  data: AnswerSubmitted;
}
export interface AnswerVote {
  id: string;
  type: 'answer.vote';
  answer_id: string;
  upvote?: boolean;
}
export interface AnswerVotedEvent {
  type: 'answer.voted';
  stream: string;
  seq: number;
  at: string;
  data: VotesChanged;
}
export interface VotesChanged {
  answer_id: string;
  votes: number;
}
export interface BreakoutsClosing {
  close_at: string;
  next_phase: Phase;
}
export interface BreakoutsCountdownCancel {
  id: string;
  type: 'meeting.cancel_countdown';
  meeting_id: string;
}
export interface BreakoutsCountdownExtend {
  id: string;
  type: 'meeting.extend_countdown';
  meeting_id: string;
  seconds: number;
}
export interface BroadcastSend {
  id: string;
  type: 'broadcast.send';
  meeting_id: string;
  message: string;
}
export interface BroadcastSent {
  broadcast: BroadcastView;
}
export interface BroadcastView {
  id: string;
  message: string;
  created_at: string;
}
export interface BroadcastSentEvent {
  type: 'broadcast.sent';
  stream: string;
  seq: number;
  at: string;
  data: BroadcastSent;
}
/**
 * The client's first frame: where it is in each stream (absent streams start from now).
 */
export interface Hello {
  type: 'hello';
  protocol?: number;
  cursors?: {
    [k: string]: number | undefined;
  };
  epochs?: {
    [k: string]: number | undefined;
  };
}
export interface Ping {
  type: 'ping';
}
export interface QuestionPush {
  id: string;
  type: 'question.push';
  room_id: string;
  question_id: string;
}
export interface QuestionClose {
  id: string;
  type: 'question.close';
  room_id: string;
  question_id: string;
}
/**
 * Turn the grouping of similar answers on or off for an open question in the room.
 */
export interface QuestionGroup {
  id: string;
  type: 'question.group';
  room_id: string;
  question_id: string;
  grouped: boolean;
}
/**
 * A room's moderator finishes the room early (its live question closes) or opens it again.
 */
export interface RoomFinish {
  id: string;
  type: 'room.finish';
  room_id: string;
  finished: boolean;
}
export interface FindingDraft {
  id: string;
  type: 'finding.draft';
  room_id: string;
  question_id?: string | null;
  text: string;
  /**
   * @maxItems 100
   */
  answer_ids?: string[];
}
export interface FindingEdit {
  id: string;
  type: 'finding.edit';
  finding_id: string;
  text?: string | null;
  answer_ids?: string[] | null;
}
export interface FindingPropose {
  id: string;
  type: 'finding.propose';
  finding_id: string;
}
export interface FindingEndorse {
  id: string;
  type: 'finding.endorse';
  finding_id: string;
}
export interface FindingConfirm {
  id: string;
  type: 'finding.confirm';
  finding_id: string;
}
export interface PhaseChange {
  id: string;
  type: 'meeting.change_phase';
  meeting_id: string;
  phase: Phase;
  countdown_s?: number;
  duration_s?: number | null;
  item_id?: string | null;
}
export interface ParticipantMove {
  id: string;
  type: 'participant.move';
  participant_id: string;
  room_id: string | null;
  force?: boolean;
}
export interface TimerStart {
  id: string;
  type: 'timer.start';
  meeting_id: string;
  room_id?: string | null;
  seconds: number;
  label?: string;
}
export interface TimerExtend {
  id: string;
  type: 'timer.extend';
  timer_id: string;
  seconds: number;
}
export interface TimerStop {
  id: string;
  type: 'timer.stop';
  timer_id: string;
}
export interface HelpRequest {
  id: string;
  type: 'help.request';
  room_id: string;
  message?: string;
}
export interface HelpResolve {
  id: string;
  type: 'help.resolve';
  help_id: string;
}
export interface HandRaise {
  id: string;
  type: 'hand.raise';
  room_id: string;
}
export interface HandLower {
  id: string;
  type: 'hand.lower';
  hand_id: string;
}
export interface HandAcknowledge {
  id: string;
  type: 'hand.acknowledge';
  hand_id: string;
}
export interface HandAnswer {
  id: string;
  type: 'hand.answer';
  hand_id: string;
}
export interface ErrorFrame {
  type: 'error';
  code: string;
  message: string;
  ref: string | null;
}
/**
 * ``finding`` is None for readers who may not see it: a draft belongs to the room's staff until
 * it is proposed, so the room's participants learn only that some finding changed.
 */
export interface FindingChanged {
  finding_id: string;
  room_id: string;
  finding: FindingView | null;
}
export interface FindingView {
  id: string;
  room_id: string;
  question_id: string | null;
  text: string;
  position: number;
  status: FindingStatus;
  answer_ids: string[];
  endorsements: number;
  confirmed_at: string | null;
}
export interface FindingConfirmedEvent {
  type: 'finding.confirmed';
  stream: string;
  seq: number;
  at: string;
  data: FindingChanged;
}
export interface FindingDraftedEvent {
  type: 'finding.drafted';
  stream: string;
  seq: number;
  at: string;
  data: FindingChanged;
}
export interface FindingEditedEvent {
  type: 'finding.edited';
  stream: string;
  seq: number;
  at: string;
  data: FindingChanged;
}
export interface FindingEndorsedEvent {
  type: 'finding.endorsed';
  stream: string;
  seq: number;
  at: string;
  data: FindingChanged;
}
export interface FindingProposedEvent {
  type: 'finding.proposed';
  stream: string;
  seq: number;
  at: string;
  data: FindingChanged;
}
export interface FindingRemoved {
  finding_id: string;
}
export interface FindingRemovedEvent {
  type: 'finding.removed';
  stream: string;
  seq: number;
  at: string;
  data: FindingRemoved;
}
/**
 * A level: whether grouping is on for the question in the room, and its whole grouping.
 * ``groups`` is None when grouping is off, or for readers who may not see the answers yet
 * (shown only after close): a client then drops the question's groups. Answers committed
 * together are grouped once per room and question, after them.
 */
export interface GroupsChanged {
  room_id: string;
  question_id: string;
  grouped: boolean;
  groups: QuestionGroups | null;
}
/**
 * The groups of a question's answers in a room, largest first; every answer a participant may
 * see (not hidden, not merged away) is in exactly one group, singletons included.
 */
export interface QuestionGroups {
  question_id: string;
  groups: AnswerGroup[];
}
export interface HandAcknowledgedEvent {
  type: 'hand.acknowledged';
  stream: string;
  seq: number;
  at: string;
  data: HandChanged;
}
/**
 * On the room's stream. ``hand`` (who, since when) is for the room's staff only; the room's
 * participants get None and learn only that the hand ``hand_id`` is now ``status``, so a phone
 * follows its own hand and nobody learns whose hand another is.
 */
export interface HandChanged {
  hand_id: string;
  room_id: string;
  status: HandStatus;
  hand: RaisedHandView | null;
}
/**
 * A raised hand as the room's staff see it: who, since when, and whether it is handled.
 */
export interface RaisedHandView {
  id: string;
  room_id: string;
  participant_id: string;
  name: string;
  status: HandStatus;
  created_at: string;
  acknowledged_at: string | null;
  lowered_at: string | null;
}
export interface HandAnsweredEvent {
  type: 'hand.answered';
  stream: string;
  seq: number;
  at: string;
  data: HandChanged;
}
export interface HandLoweredEvent {
  type: 'hand.lowered';
  stream: string;
  seq: number;
  at: string;
  data: HandChanged;
}
export interface HandRaisedEvent {
  type: 'hand.raised';
  stream: string;
  seq: number;
  at: string;
  data: HandChanged;
}
export interface HelpChanged {
  help: HelpRequestView;
}
export interface HelpRequestView {
  id: string;
  room_id: string;
  message: string;
  requested_by: string | null;
  created_at: string;
  resolved_at: string | null;
}
export interface HelpRequestedEvent {
  type: 'help.requested';
  stream: string;
  seq: number;
  at: string;
  data: HelpChanged;
}
export interface HelpResolvedEvent {
  type: 'help.resolved';
  stream: string;
  seq: number;
  at: string;
  data: HelpChanged;
}
export interface MeetingBreakoutsClosingEvent {
  type: 'meeting.breakouts_closing';
  stream: string;
  seq: number;
  at: string;
  data: BreakoutsClosing;
}
export interface MeetingBreakoutsTimingChangedEvent {
  type: 'meeting.breakouts_timing_changed';
  stream: string;
  seq: number;
  at: string;
  data: MeetingChanged;
}
export interface MeetingCreatedEvent {
  type: 'meeting.created';
  stream: string;
  seq: number;
  at: string;
  data: MeetingChanged;
}
export interface MeetingPhaseChangedEvent {
  type: 'meeting.phase_changed';
  stream: string;
  seq: number;
  at: string;
  data: PhaseChanged;
}
export interface PhaseChanged {
  phase: Phase;
  previous: Phase;
  meeting: MeetingView;
}
export interface MeetingUpdatedEvent {
  type: 'meeting.updated';
  stream: string;
  seq: number;
  at: string;
  data: MeetingChanged;
}
export interface OptionTally {
  option_id: string;
  count: number;
}
export interface ParticipantErased {
  participant_id: string;
  pseudonym: string;
}
export interface ParticipantErasedEvent {
  type: 'participant.erased';
  stream: string;
  seq: number;
  at: string;
  data: ParticipantErased;
}
export interface ParticipantJoinedEvent {
  type: 'participant.joined';
  stream: string;
  seq: number;
  at: string;
  data: RosterChanged;
}
export interface RosterChanged {
  participant: RosterEntry;
}
/**
 * A participant as staff see them on the wire (never email or gender).
 */
export interface RosterEntry {
  id: string;
  display_name: string;
  organisation: string;
  role: Role;
  room_id: string | null;
  joined_by: JoinedBy1;
}
/**
 * A walk-in (``participant_id``, now gone from the roster) was matched to a roster entry:
 * the two are one person, ``participant``, with the walk-in's answers, votes and sessions.
 */
export interface ParticipantMatched {
  participant_id: string;
  participant: RosterEntry;
}
export interface ParticipantMatchedEvent {
  type: 'participant.matched';
  stream: string;
  seq: number;
  at: string;
  data: ParticipantMatched;
}
/**
 * Sent on the room the participant leaves (so their screens follow) and to staff.
 */
export interface ParticipantMoved {
  participant_id: string;
  from_room_id: string | null;
  to_room_id: string | null;
}
export interface ParticipantMovedEvent {
  type: 'participant.moved';
  stream: string;
  seq: number;
  at: string;
  data: ParticipantMoved;
}
export interface ParticipantUpdatedEvent {
  type: 'participant.updated';
  stream: string;
  seq: number;
  at: string;
  data: RosterChanged;
}
/**
 * The plenary view moved on (the organiser's navigation) or its content changed.
 */
export interface PlenaryChanged {
  room_id: string | null;
  question_id: string | null;
  version: number;
  page: number;
}
export interface PlenaryChangedEvent {
  type: 'plenary.changed';
  stream: string;
  seq: number;
  at: string;
  data: PlenaryChanged;
}
export interface Pong {
  type: 'pong';
}
/**
 * Ephemeral, for staff: who is connected where (converges after a node dies).
 */
export interface PresenceChanged {
  type: 'presence.changed';
  entries: PresenceEntry[];
}
export interface PresenceEntry {
  participant_id: string;
  room_id: string | null;
  connected: boolean;
  last_seen: string;
}
export interface ProgressChanged {
  progress: RoomProgress;
}
/**
 * "14/20 answered": answers to the live question against the people assigned to the room.
 */
export interface RoomProgress {
  room_id: string;
  question_id: string | null;
  answered: number;
  assigned: number;
}
/**
 * The organiser made the projector link or revoked it; the token itself never travels here.
 * Revoking closes the sockets opened with the old link.
 */
export interface ProjectorLinkChanged {
  shared: boolean;
}
export interface ProjectorLinkChangedEvent {
  type: 'projector.link_changed';
  stream: string;
  seq: number;
  at: string;
  data: ProjectorLinkChanged;
}
export interface QuestionAllocatedEvent {
  type: 'question.allocated';
  stream: string;
  seq: number;
  at: string;
  data: AllocationsChanged;
}
export interface QuestionClosed {
  allocation: AllocationView;
  answers: AnswerView[];
}
export interface QuestionClosedEvent {
  type: 'question.closed';
  stream: string;
  seq: number;
  at: string;
  data: QuestionClosed;
}
export interface QuestionGroupsEvent {
  type: 'question.groups';
  stream: string;
  seq: number;
  at: string;
  data: GroupsChanged;
}
export interface QuestionPushed {
  allocation: AllocationView;
  question: QuestionView;
}
export interface QuestionPushedEvent {
  type: 'question.pushed';
  stream: string;
  seq: number;
  at: string;
  data: QuestionPushed;
}
/**
 * A choice or scale question's results in a room, counting people (one answer each; hidden
 * answers not counted). ``options`` per option in the question's order (choice questions; the
 * counts of a multiple-choice question add up to more than ``respondents``); ``scale`` per point
 * from the lowest to the highest, with the mean and the median of the values (scale questions).
 */
export interface QuestionTally {
  question_id: string;
  respondents: number;
  options: OptionTally[];
  scale: ScalePoint[];
  mean: number | null;
  median: number | null;
}
export interface ScalePoint {
  value: number;
  count: number;
}
export interface QuestionTallyEvent {
  type: 'question.tally';
  stream: string;
  seq: number;
  at: string;
  data: TallyChanged;
}
/**
 * A level: the question's whole tally in the room. ``tally`` is None for readers who may not
 * see the results yet (shown only after close): a client then drops the question's tally.
 * Answers committed together are told once per room and question, with the tally after them.
 */
export interface TallyChanged {
  room_id: string;
  question_id: string;
  tally: QuestionTally | null;
}
/**
 * The organiser shared the read-only report link (``url``) or revoked it (None): everyone
 * in the meeting may open it, so their closing screens show it.
 */
export interface ReportLinkChanged {
  url: string | null;
}
export interface ReportLinkChangedEvent {
  type: 'report.link_changed';
  stream: string;
  seq: number;
  at: string;
  data: ReportLinkChanged;
}
/**
 * Replay is over (or, for a stream without a cursor, subscribed from now): ``head`` is the
 * seq the client is at; every later event of the stream follows live.
 */
export interface Resumed {
  type: 'resumed';
  stream: string;
  head: number;
  epoch: number;
}
/**
 * The cursor cannot be served: load the stream's snapshot. The socket is subscribed from
 * ``head`` on; apply the live events whose seq is above the snapshot's.
 */
export interface ResyncRequired {
  type: 'resync_required';
  stream: string;
  reason: 'too_old' | 'ahead' | 'reset' | 'gap';
  head: number;
  epoch: number;
}
export interface RoomChanged {
  room: RoomView;
}
export interface RoomView {
  id: string;
  name: string;
  theme: string;
  capacity: number | null;
  position: number;
  moderator_ids: string[];
  finished_at: string | null;
}
export interface RoomCreatedEvent {
  type: 'room.created';
  stream: string;
  seq: number;
  at: string;
  data: RoomChanged;
}
export interface RoomProgressEvent {
  type: 'room.progress';
  stream: string;
  seq: number;
  at: string;
  data: ProgressChanged;
}
export interface RoomRemoved {
  room_id: string;
}
export interface RoomRemovedEvent {
  type: 'room.removed';
  stream: string;
  seq: number;
  at: string;
  data: RoomRemoved;
}
export interface RoomSeatLevel {
  room_id: string;
  seats_taken: number;
}
export interface RoomSeatsEvent {
  type: 'room.seats';
  stream: string;
  seq: number;
  at: string;
  data: SeatsChanged;
}
/**
 * While people choose their own room: the seats now taken in the rooms that changed (a level,
 * to show places left). A hint, kept in no stream state: read every room's with
 * ``GET /api/meetings/{meeting_id}/seats``; a choice of a full room is refused all the same.
 */
export interface SeatsChanged {
  seats: RoomSeatLevel[];
}
export interface RoomUpdatedEvent {
  type: 'room.updated';
  stream: string;
  seq: number;
  at: string;
  data: RoomChanged;
}
export interface Welcome {
  type: 'welcome';
  protocol: number;
  server_time: string;
  streams: string[];
  heartbeat_s: number;
  participant_id: string | null;
  role: Role;
}
export interface TimerExtendedEvent {
  type: 'timer.extended';
  stream: string;
  seq: number;
  at: string;
  data: TimerChanged;
}
export interface TimerChanged {
  timer: TimerView;
}
export interface TimerView {
  id: string;
  room_id: string | null;
  label: string;
  ends_at: string;
  stopped_at: string | null;
}
export interface TimerStartedEvent {
  type: 'timer.started';
  stream: string;
  seq: number;
  at: string;
  data: TimerChanged;
}
export interface TimerStoppedEvent {
  type: 'timer.stopped';
  stream: string;
  seq: number;
  at: string;
  data: TimerChanged;
}

export const PROTOCOL_VERSION_OF_SCHEMA = 1;
