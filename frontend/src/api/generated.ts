/* eslint-disable */
/**
 * GENERATED from src/api/openapi.json by scripts/generate-protocol.mjs: do not edit.
 * The file is the server's OpenAPI schemas, written by `npm run api:export`; regenerate with `npm run protocol`.
 * `npm run check` fails when this file and src/api/openapi.json disagree.
 */

export type AgendaKind = 'talk' | 'breakouts' | 'report_back';
export type AgendaKind1 = 'talk' | 'breakouts' | 'report_back';
export type QuestionState = 'pending' | 'live' | 'closed';
export type Anonymity = 'named' | 'anonymous_to_peers' | 'fully_anonymous';
export type QuestionKind = 'open' | 'single_choice' | 'multiple_choice' | 'scale';
export type Visibility = 'live' | 'after_close';
export type AssignmentMode = 'manual' | 'balanced' | 'self_select';
export type Gender = 'female' | 'male' | 'another' | 'undisclosed';
export type OrganisationType =
  | 'ministry'
  | 'police'
  | 'prosecution'
  | 'judiciary'
  | 'civil_society'
  | 'international_organisation'
  | 'academia'
  | 'private_sector'
  | 'other';
export type FindingStatus = 'draft' | 'proposed' | 'confirmed';
/**
 * A raised hand: up, seen by the room's staff ("being handled"), then down, by its owner
 * (``lowered``, also when they leave the room or the rooms close) or by staff (``answered``).
 */
export type HandStatus = 'raised' | 'acknowledged' | 'lowered' | 'answered';
export type Role = 'organiser' | 'moderator' | 'participant' | 'observer';
/**
 * How an entry came onto the roster: put there by the organisers (imported, added, given a
 * personal link), or a walk-in who typed the meeting's code or opened an open invite link.
 */
export type JoinedBy = 'roster' | 'code' | 'open_link';
export type Anonymity1 = 'named' | 'anonymous_to_peers' | 'fully_anonymous';
export type Phase = 'draft' | 'lobby' | 'plenary' | 'breakouts' | 'report_back' | 'closed';
export type Role1 = 'organiser' | 'moderator' | 'participant' | 'observer';
/**
 * How an entry came onto the roster: put there by the organisers (imported, added, given a
 * personal link), or a walk-in who typed the meeting's code or opened an open invite link.
 */
export type JoinedBy1 = 'roster' | 'code' | 'open_link';
export type QuestionKind1 = 'open' | 'single_choice' | 'multiple_choice' | 'scale';
export type Visibility1 = 'live' | 'after_close';
/**
 * How an entry came onto the roster: put there by the organisers (imported, added, given a
 * personal link), or a walk-in who typed the meeting's code or opened an open invite link.
 */
export type JoinedBy2 = 'roster' | 'code' | 'open_link';
export type TemplateFormat = 'yaml' | 'json';

export interface BreakoutsProtocol {
  AgendaEntry: AgendaEntry;
  AgendaItemCreate: AgendaItemCreate;
  AgendaItemUpdate: AgendaItemUpdate;
  AgendaItemView: AgendaItemView;
  AgendaKind: AgendaKind1;
  AllocationView: AllocationView;
  AllocationsChanged: AllocationsChanged;
  AllocationsUpdate: AllocationsUpdate;
  AnnexQuestion: AnnexQuestion;
  AnnexRoom: AnnexRoom;
  Anonymity: Anonymity;
  AnswerCreate: AnswerCreate;
  AnswerExportRow: AnswerExportRow;
  AnswerGroup: AnswerGroup;
  AnswerMergeRequest: AnswerMergeRequest;
  AnswerModeration: AnswerModeration;
  AnswerUpdate: AnswerUpdate;
  AnswerView: AnswerView;
  AssignmentMode: AssignmentMode;
  AssignmentPreview: AssignmentPreview;
  AssignmentPreviewRequest: AssignmentPreviewRequest;
  AssignmentRead: AssignmentRead;
  AssignmentRequest: AssignmentRequest;
  BroadcastCreate: BroadcastCreate;
  BroadcastView: BroadcastView;
  CodeJoinRequest: CodeJoinRequest;
  CountdownExtension: CountdownExtension;
  CurrentItemChange: CurrentItemChange;
  Distribution: Distribution;
  Divergence: Divergence;
  ErasureRequest: ErasureRequest;
  ErrorBody: ErrorBody;
  FigureRow: FigureRow;
  FindingCreate: FindingCreate;
  FindingDetail: FindingDetail;
  FindingSourceAnswer: FindingSourceAnswer;
  FindingStatus: FindingStatus;
  FindingUpdate: FindingUpdate;
  FindingView: FindingView;
  Gender: Gender;
  GenderCounts: GenderCounts;
  GroupAccept: GroupAccept;
  GroupMember: GroupMember;
  GroupMerge: GroupMerge;
  GroupSplit: GroupSplit;
  GroupUpdate: GroupUpdate;
  GroupingUpdate: GroupingUpdate;
  HandStatus: HandStatus;
  Health: Health;
  HelpCreate: HelpCreate;
  HelpRequestView: HelpRequestView;
  ImportReport: ImportReport;
  ImportRowError: ImportRowError;
  InviteCreate: InviteCreate;
  InvitePreview: InvitePreview;
  InviteRead: InviteRead;
  JoinRequest: JoinRequest;
  JoinedBy: JoinedBy;
  LoginRequest: LoginRequest;
  MeRead: MeRead1;
  MeetingCreate: MeetingCreate;
  MeetingStreamState: MeetingStreamState;
  MeetingUpdate: MeetingUpdate;
  MeetingView: MeetingView;
  OptionCount: OptionCount;
  OptionTally: OptionTally;
  OrganisationType: OrganisationType;
  ParticipantCreate: ParticipantCreate;
  ParticipantMatchRequest: ParticipantMatchRequest;
  ParticipantMoveRequest: ParticipantMoveRequest;
  ParticipantRead: ParticipantRead;
  ParticipantUpdate: ParticipantUpdate;
  ParticipationFigures: ParticipationFigures;
  Phase: Phase;
  PhaseChange: PhaseChange;
  PlenaryAnswer: PlenaryAnswer;
  PlenaryChanged: PlenaryChanged;
  PlenaryFinding: PlenaryFinding;
  PlenaryFocus: PlenaryFocus;
  PlenaryFocusUpdate: PlenaryFocusUpdate;
  PlenaryGroup: PlenaryGroup;
  PlenaryGroupsRead: PlenaryGroupsRead;
  PlenaryQuestion: PlenaryQuestion;
  PlenaryRead: PlenaryRead;
  PlenaryTheme: PlenaryTheme;
  PointTheme: PointTheme;
  ProjectorLinkRead: ProjectorLinkRead;
  ProjectorRead: ProjectorRead;
  ProjectorRoomQuestion: ProjectorRoomQuestion;
  QuestionCreate: QuestionCreate;
  QuestionGroups: QuestionGroups;
  QuestionKind: QuestionKind;
  QuestionOption: QuestionOption;
  QuestionState: QuestionState;
  QuestionTally: QuestionTally;
  QuestionUpdate: QuestionUpdate;
  QuestionView: QuestionView;
  RaisedHandView: RaisedHandView;
  ReportAnswer: ReportAnswer;
  ReportDocument: ReportDocument;
  ReportFinding: ReportFinding;
  ReportGroup: ReportGroup;
  ReportLinkRead: ReportLinkRead;
  ReportMeeting: ReportMeeting;
  ReportNote: ReportNote;
  ReportQuestion: ReportQuestion;
  ReportQuote: ReportQuote;
  ReportSummary: ReportSummary;
  ReportTheme: ReportTheme;
  Role: Role;
  RoomCallRead: RoomCallRead;
  RoomColumn: RoomColumn;
  RoomCreate: RoomCreate;
  RoomDistribution: RoomDistribution;
  RoomFinishing: RoomFinishing;
  RoomModeratorsSet: RoomModeratorsSet;
  RoomProgress: RoomProgress;
  RoomProposal: RoomProposal;
  RoomQuestionOrder: RoomQuestionOrder;
  RoomRef: RoomRef;
  RoomSeats: RoomSeats;
  RoomSideBySide: RoomSideBySide;
  RoomStreamState: RoomStreamState;
  RoomSummary: RoomSummary;
  RoomUpdate: RoomUpdate;
  RoomView: RoomView;
  RosterEntry: RosterEntry;
  RosterLink: RosterLink;
  RosterLinksCreate: RosterLinksCreate;
  RosterLinksRead: RosterLinksRead;
  ScaleCount: ScaleCount;
  ScalePoint: ScalePoint;
  SessionRead: SessionRead;
  StaffStreamState: StaffStreamState;
  StreamSnapshot: StreamSnapshot;
  SummaryPoint: SummaryPoint;
  TemplateFormat: TemplateFormat;
  ThemeRename: ThemeRename;
  TicketCreate: TicketCreate;
  TicketRead: TicketRead;
  TimerCreate: TimerCreate;
  TimerExtension: TimerExtension;
  TimerView: TimerView;
  Visibility: Visibility;
  VoteRequest: VoteRequest;
}
export interface AgendaEntry {
  kind: string;
  planned_minutes: number;
  speaker: string;
  title: string;
}
export interface AgendaItemCreate {
  kind?: AgendaKind;
  planned_minutes?: number;
  position?: number | null;
  speaker?: string;
  title: string;
}
export interface AgendaItemUpdate {
  kind?: AgendaKind1 | null;
  planned_minutes?: number | null;
  position?: number | null;
  speaker?: string | null;
  title?: string | null;
}
export interface AgendaItemView {
  id: string;
  kind: AgendaKind1;
  planned_minutes: number;
  position: number;
  speaker: string;
  title: string;
}
export interface AllocationView {
  closed_at: string | null;
  grouped: boolean;
  id: string;
  position: number;
  pushed_at: string | null;
  question_id: string;
  room_id: string;
  state: QuestionState;
}
export interface AllocationsChanged {
  allocations: AllocationView[];
  questions: QuestionView[];
  room_id: string;
}
export interface QuestionView {
  anonymity: Anonymity;
  code: string;
  id: string;
  kind: QuestionKind;
  options: QuestionOption[];
  position: number;
  scale_labels: {
    [k: string]: string | undefined;
  };
  scale_max: number | null;
  scale_min: number | null;
  text: string;
  theme: string;
  visibility: Visibility;
}
export interface QuestionOption {
  id: string;
  label: string;
}
/**
 * The complete set of rooms the question is allocated to.
 */
export interface AllocationsUpdate {
  /**
   * @maxItems 200
   */
  room_ids: string[];
}
export interface AnnexQuestion {
  answers: ReportAnswer[];
  code: string;
  text: string;
}
export interface ReportAnswer {
  author: string | null;
  id: string;
  question_code: string;
  ref: string;
  room_name: string;
  text: string;
  votes: number;
}
export interface AnnexRoom {
  findings: ReportFinding[];
  questions: AnnexQuestion[];
  room_name: string;
  theme: string;
}
export interface ReportFinding {
  answer_refs: string[];
  id: string;
  note: number | null;
  question_code: string | null;
  room_name: string;
  status: string;
  text: string;
}
/**
 * ``client_id`` is made by the client once per answer and sent again on every retry: a retry
 * returns the original answer (200) even if its content differs, and creates nothing.
 */
export interface AnswerCreate {
  choice_ids?: string[] | null;
  client_id: string;
  scale_value?: number | null;
  text?: string | null;
}
export interface AnswerExportRow {
  answer_id: string;
  author: string | null;
  choice_ids: string[] | null;
  choices: string[] | null;
  created_at: string;
  hidden: boolean;
  kind: QuestionKind;
  merged_from: string[];
  merged_into: string | null;
  pinned: boolean;
  question_code: string;
  question_text: string;
  room: string;
  scale_value: number | null;
  text: string | null;
  votes: number;
}
/**
 * Answers of one room to one open question that say nearly the same thing, grouped as the
 * plenary groups answers across rooms. ``label`` is the member closest to the group's centre;
 * ``answer_ids`` the members in the order they were given; ``count`` their number.
 */
export interface AnswerGroup {
  answer_ids: string[];
  count: number;
  label: string;
}
/**
 * Merge duplicates into one answer; ``text`` defaults to the first source's text.
 */
export interface AnswerMergeRequest {
  /**
   * @minItems 2
   * @maxItems 50
   */
  answer_ids: [string, string, ...string[]];
  text?: string | null;
}
export interface AnswerModeration {
  hidden?: boolean | null;
  pinned?: boolean | null;
}
/**
 * The new value, replacing the old one whole.
 */
export interface AnswerUpdate {
  choice_ids?: string[] | null;
  scale_value?: number | null;
  text?: string | null;
}
/**
 * An answer as its reader may see it: ``author`` is a name, a pseudonym or None, as the
 * question's anonymity and the reader's role allow.
 */
export interface AnswerView {
  author: string | null;
  author_id: string | null;
  choice_ids: string[] | null;
  created_at: string;
  hidden: boolean;
  id: string;
  merged_into_id: string | null;
  mine: boolean;
  pinned: boolean;
  question_id: string;
  room_id: string;
  scale_value: number | null;
  source_ids: string[];
  text: string | null;
  updated_at: string;
  voted: boolean;
  votes: number;
}
/**
 * A balanced assignment computed without writing anything: apply it with its seed and proposal.
 */
export interface AssignmentPreview {
  /**
   * People whose room would change
   */
  moves: number;
  /**
   * Identifies the people, rooms and seed the preview was made from
   */
  proposal: string;
  rooms: RoomProposal[];
  seed: number;
}
/**
 * What one room would hold: how many, and their spread of gender and organisation type.
 */
export interface RoomProposal {
  capacity: number | null;
  count: number;
  /**
   * People per gender ('' for not given)
   */
  genders: {
    [k: string]: number | undefined;
  };
  name: string;
  /**
   * People per organisation type ('' for not given)
   */
  organisation_types: {
    [k: string]: number | undefined;
  };
  room_id: string;
}
export interface AssignmentPreviewRequest {
  /**
   * None: a seed is drawn
   */
  seed?: number | null;
}
export interface AssignmentRead {
  mode: AssignmentMode;
  /**
   * People whose room changed
   */
  moved: number;
  rooms: RoomSeats[];
  seed: number | null;
}
export interface RoomSeats {
  capacity: number | null;
  room_id: string;
  seats_taken: number;
}
export interface AssignmentRequest {
  mode: AssignmentMode;
  /**
   * Balanced mode: the `proposal` of a preview with this seed. Applies exactly that proposal, or refuses with 409 `assignment_changed` when people or rooms changed since.
   */
  proposal?: string | null;
  /**
   * Balanced mode: the same seed gives the same rooms
   */
  seed?: number | null;
}
export interface BroadcastCreate {
  message: string;
}
export interface BroadcastView {
  created_at: string;
  id: string;
  message: string;
}
export interface CodeJoinRequest {
  code: string;
  /**
   * Required by an open link and the code; a personal link keeps the roster's name when absent.
   */
  display_name?: string | null;
  email?: string | null;
  gender?: Gender | null;
  organisation?: string;
  organisation_type?: OrganisationType | null;
  session_delivery?: 'cookie' | 'token';
}
export interface CountdownExtension {
  /**
   * Added to the running countdown, or else to the planned end.
   */
  seconds: number;
}
export interface CurrentItemChange {
  item_id: string | null;
}
export interface Distribution {
  mean: number | null;
  options: OptionCount[];
  respondents: number;
  scale: ScaleCount[];
}
export interface OptionCount {
  count: number;
  label: string;
  option_id: string;
  share: number;
}
export interface ScaleCount {
  count: number;
  label: string;
  value: number;
}
/**
 * How far apart the rooms are on a choice or scale question.
 *
 * ``mean_range``: the largest difference between two rooms' means, as a share of the scale's
 * span (``spread`` gives it in scale points). ``total_variation``: the largest total variation
 * distance between two rooms' choice distributions (the share of choices that would have to
 * change for the two rooms to answer alike).
 */
export interface Divergence {
  furthest_apart: string[];
  measure: 'mean_range' | 'total_variation';
  rooms_compared: number;
  spread: number | null;
  threshold: number;
  value: number;
  verdict: 'rooms agree' | 'rooms diverge';
}
export interface ErasureRequest {
  reason?: string;
}
export interface ErrorBody {
  code: string;
  details: unknown;
  message: string;
}
export interface FigureRow {
  counts: GenderCounts;
  label: string;
  sentence: string;
}
export interface GenderCounts {
  another: number;
  female: number;
  male: number;
  total: number;
  undisclosed: number;
}
export interface FindingCreate {
  /**
   * @maxItems 100
   */
  answer_ids?: string[];
  question_id?: string | null;
  text: string;
}
/**
 * A finding with its provenance. ``sources`` is None for readers who are not the room's
 * staff: an answer may be hidden, or not yet visible to peers, and the view must not leak it.
 */
export interface FindingDetail {
  answer_ids: string[];
  confirmed_at: string | null;
  endorsements: number;
  id: string;
  position: number;
  question_id: string | null;
  room_id: string;
  sources: FindingSourceAnswer[] | null;
  status: FindingStatus;
  text: string;
}
/**
 * A source answer as the room's staff see it (they moderate it, so hidden ones show too).
 */
export interface FindingSourceAnswer {
  choice_ids: string[] | null;
  hidden: boolean;
  id: string;
  question_id: string;
  scale_value: number | null;
  text: string | null;
}
export interface FindingUpdate {
  answer_ids?: string[] | null;
  position?: number | null;
  text?: string | null;
}
export interface FindingView {
  answer_ids: string[];
  confirmed_at: string | null;
  endorsements: number;
  id: string;
  position: number;
  question_id: string | null;
  room_id: string;
  status: FindingStatus;
  text: string;
}
export interface GroupAccept {
  /**
   * @minItems 1
   * @maxItems 5000
   */
  keys: [string, ...string[]];
  label?: string | null;
  pinned?: boolean;
  question_id: string;
  theme_label?: string | null;
}
export interface GroupMember {
  answer_ids: string[];
  author: string | null;
  id: string;
  key: string;
  kind: 'answer' | 'finding';
  room_id: string;
  room_name: string;
  text: string;
  votes: number;
}
export interface GroupMerge {
  group_id: string;
}
export interface GroupSplit {
  /**
   * @minItems 1
   * @maxItems 5000
   */
  keys: [string, ...string[]];
  label?: string | null;
}
/**
 * ``label`` null goes back to the computed headline; an absent field is left as it is.
 */
export interface GroupUpdate {
  label?: string | null;
  pinned?: boolean | null;
  theme_label?: string | null;
}
export interface GroupingUpdate {
  grouped: boolean;
}
export interface Health {
  database: string | null;
  expected_revision: string | null;
  redis: string | null;
  revision: string | null;
  status: string;
}
export interface HelpCreate {
  message?: string;
}
export interface HelpRequestView {
  created_at: string;
  id: string;
  message: string;
  requested_by: string | null;
  resolved_at: string | null;
  room_id: string;
}
export interface ImportReport {
  errors: ImportRowError[];
  /**
   * New roster entries
   */
  imported: number;
  /**
   * Rows not imported; each is explained in errors
   */
  rejected: number;
  unchanged: number;
  /**
   * Entries matched by email (or name and organisation) and changed
   */
  updated: number;
}
export interface ImportRowError {
  column: string | null;
  /**
   * 1-based line in the file; the header is line 1
   */
  line: number;
  reason: string;
}
export interface InviteCreate {
  expires_at?: string | null;
  label?: string;
  /**
   * Makes a personal link that signs this roster entry in.
   */
  participant_id?: string | null;
  role: 'moderator' | 'participant' | 'observer';
  room_id?: string | null;
}
/**
 * What an invite link is for, read before it is opened: only what opening it would grant.
 */
export interface InvitePreview {
  /**
   * The meeting is closed: the link no longer admits anyone new.
   */
  closed: boolean;
  /**
   * The person a personal link signs in.
   */
  invitee_name: string | null;
  meeting_id: string;
  meeting_title: string;
  /**
   * Opening the link asks for the name others will see.
   */
  name_required: boolean;
  /**
   * The roster entry a personal link signs in.
   */
  participant_id: string | null;
  /**
   * The link signs in one person (a roster entry or an organiser).
   */
  personal: boolean;
  role: Role;
  /**
   * The room the link seats its holder in, if any.
   */
  room_name: string | null;
  signed_in_as: MeRead;
}
/**
 * The caller's own sessions on this device (empty without one), so that the page can ask before the link changes who the device is.
 */
export interface MeRead {
  account: SessionRead | null;
  participant: SessionRead | null;
}
/**
 * The caller after sign-in. ``token`` is only returned when asked for (API clients).
 */
export interface SessionRead {
  account_id: string | null;
  display_name: string;
  kind: 'account' | 'participant';
  meeting_id: string | null;
  participant_id: string | null;
  role: Role | null;
  room_id: string | null;
  token: string | null;
}
export interface InviteRead {
  expires_at: string | null;
  id: string;
  label: string;
  meeting_id: string;
  participant_id: string | null;
  revoked_at: string | null;
  role: Role;
  room_id: string | null;
  url: string;
}
/**
 * What a person gives when they open an open join link or type the meeting code.
 */
export interface JoinRequest {
  /**
   * Required by an open link and the code; a personal link keeps the roster's name when absent.
   */
  display_name?: string | null;
  email?: string | null;
  gender?: Gender | null;
  organisation?: string;
  organisation_type?: OrganisationType | null;
  session_delivery?: 'cookie' | 'token';
}
export interface LoginRequest {
  email: string;
  password: string;
  session_delivery?: 'cookie' | 'token';
}
export interface MeRead1 {
  account: SessionRead | null;
  participant: SessionRead | null;
}
export interface MeetingCreate {
  default_anonymity?: Anonymity1;
  description?: string;
  /**
   * @minItems 1
   * @maxItems 10
   */
  languages?:
    | [string]
    | [string, string]
    | [string, string, string]
    | [string, string, string, string]
    | [string, string, string, string, string]
    | [string, string, string, string, string, string]
    | [string, string, string, string, string, string, string]
    | [string, string, string, string, string, string, string, string]
    | [string, string, string, string, string, string, string, string, string]
    | [string, string, string, string, string, string, string, string, string, string];
  title: string;
}
/**
 * What the meeting stream's events change: the meeting, its rooms, the meeting-wide timers
 * that were not stopped, the broadcasts, the plenary's focus and the shared report link.
 */
export interface MeetingStreamState {
  broadcasts: BroadcastView[];
  kind: 'meeting';
  meeting: MeetingView;
  plenary: PlenaryChanged | null;
  report_url: string | null;
  rooms: RoomView[];
  timers: TimerView[];
}
export interface MeetingView {
  agenda: AgendaItemView[];
  assignment_mode: AssignmentMode;
  breakouts_close_at: string | null;
  breakouts_countdown_s: number;
  breakouts_end_at: string | null;
  created_at: string;
  current_item_id: string | null;
  default_anonymity: Anonymity;
  description: string;
  id: string;
  join_code: string;
  languages: string[];
  phase: Phase;
  phase_changed_at: string | null;
  title: string;
}
/**
 * The plenary view moved on (the organiser's navigation) or its content changed.
 */
export interface PlenaryChanged {
  page: number;
  question_id: string | null;
  room_id: string | null;
  version: number;
}
export interface RoomView {
  capacity: number | null;
  finished_at: string | null;
  id: string;
  moderator_ids: string[];
  name: string;
  position: number;
  theme: string;
}
export interface TimerView {
  ends_at: string;
  id: string;
  label: string;
  room_id: string | null;
  stopped_at: string | null;
}
export interface MeetingUpdate {
  assignment_mode?: AssignmentMode | null;
  default_anonymity?: Anonymity | null;
  description?: string | null;
  languages?:
    | [string]
    | [string, string]
    | [string, string, string]
    | [string, string, string, string]
    | [string, string, string, string, string]
    | [string, string, string, string, string, string]
    | [string, string, string, string, string, string, string]
    | [string, string, string, string, string, string, string, string]
    | [string, string, string, string, string, string, string, string, string]
    | [string, string, string, string, string, string, string, string, string, string]
    | null;
  title?: string | null;
}
export interface OptionTally {
  count: number;
  option_id: string;
}
export interface ParticipantCreate {
  display_name: string;
  email?: string | null;
  /**
   * Self-declared; None when not given
   */
  gender?: Gender | null;
  organisation?: string;
  organisation_type?: OrganisationType | null;
  role?: Role1;
  room_id?: string | null;
}
/**
 * The roster entry a walk-in (someone who joined with the code or an open link) is.
 */
export interface ParticipantMatchRequest {
  roster_entry_id: string;
}
export interface ParticipantMoveRequest {
  /**
   * Move even when the room is at capacity
   */
  force?: boolean;
  /**
   * None: back to no room
   */
  room_id: string | null;
}
/**
 * A roster entry with the personal data only organisers (and the person) may see.
 */
export interface ParticipantRead {
  created_at: string;
  display_name: string;
  email: string | null;
  erased_at: string | null;
  gender: Gender | null;
  id: string;
  joined_by: JoinedBy1;
  organisation: string;
  organisation_type: OrganisationType | null;
  pseudonym: string;
  role: Role;
  room_id: string | null;
}
/**
 * Only the fields sent change; ``email``, ``gender``, ``organisation_type`` and ``room_id`` may
 * be cleared with null. A new ``room_id`` moves the person (as ``/move`` does, without force).
 */
export interface ParticipantUpdate {
  display_name?: string | null;
  email?: string | null;
  gender?: Gender | null;
  organisation?: string | null;
  organisation_type?: OrganisationType | null;
  role?: Role | null;
  room_id?: string | null;
}
export interface ParticipationFigures {
  answers: GenderCounts;
  answers_by_organisation_type: FigureRow[];
  answers_sentence: string;
  by_organisation_type: FigureRow[];
  by_role: FigureRow[];
  counting_rule: string;
  participants: GenderCounts;
  participants_sentence: string;
}
export interface PhaseChange {
  /**
   * When leaving breakouts: close the rooms after this many seconds, counted down on every screen; 0 closes them at once. When opening them with a `duration_s`: the length of the countdown that starts by itself at the planned end (0 closes them at the planned end).
   */
  countdown_s?: number;
  /**
   * Only when opening breakouts: the planned duration in seconds; at its end the close countdown starts by itself and the rooms then return to report-back.
   */
  duration_s?: number | null;
  /**
   * The agenda item to make current; without it the current item follows the phase (the next item of the phase's kind).
   */
  item_id?: string | null;
  phase: Phase;
}
export interface PlenaryAnswer {
  author: string | null;
  choice_ids: string[] | null;
  created_at: string;
  id: string;
  pinned: boolean;
  question_code: string;
  question_id: string;
  room_id: string;
  room_name: string;
  scale_value: number | null;
  source_ids: string[];
  text: string | null;
  votes: number;
}
export interface PlenaryFinding {
  confirmed_at: string | null;
  endorsements: number;
  id: string;
  question_code: string | null;
  question_id: string | null;
  room_id: string;
  room_name: string;
  sources: PlenaryAnswer[];
  status: 'proposed' | 'confirmed';
  text: string;
}
export interface PlenaryFocus {
  page: number;
  question_id: string | null;
  room_id: string | null;
  version: number;
}
export interface PlenaryFocusUpdate {
  page?: number;
  question_id?: string | null;
  room_id?: string | null;
}
export interface PlenaryGroup {
  curated: boolean;
  id: string;
  label: string;
  members: GroupMember[];
  pinned: boolean;
  question_id: string;
  raised_in: string;
  renamed: boolean;
  room_count: number;
  rooms: RoomRef[];
  rooms_answered: number;
  theme_curated: boolean;
  theme_id: string | null;
  theme_label: string | null;
}
export interface RoomRef {
  id: string;
  name: string;
  theme: string;
}
/**
 * A question's groups after a curation step (the client replaces its list with these).
 */
export interface PlenaryGroupsRead {
  groups: PlenaryGroup[];
  point_themes: PointTheme[];
  question_id: string;
  version: number;
}
/**
 * A theme of one question: the groups (points) on one subject, and the rooms that raised it.
 */
export interface PointTheme {
  curated: boolean;
  group_ids: string[];
  id: string;
  label: string;
  raised_in: string;
  room_count: number;
  rooms: RoomRef[];
  rooms_answered: number;
}
export interface PlenaryQuestion {
  divergence: Divergence | null;
  groups: PlenaryGroup[];
  overall: Distribution | null;
  point_themes: PointTheme[];
  question: QuestionView;
  rooms: RoomColumn[];
  rooms_answered: number;
  shared: boolean;
  ungrouped: GroupMember[];
}
export interface RoomColumn {
  answers: number;
  distribution: Distribution | null;
  findings: PlenaryFinding[];
  participants: number;
  respondents: number;
  room: RoomRef;
  top_answers: PlenaryAnswer[];
}
export interface PlenaryRead {
  focus: PlenaryFocus;
  meeting_id: string;
  phase: Phase;
  rooms: RoomSummary[];
  themes: PlenaryTheme[];
}
export interface RoomSummary {
  answers: number;
  confirmed_findings: number;
  participants: number;
  room: RoomRef;
}
export interface PlenaryTheme {
  findings: PlenaryFinding[];
  questions: PlenaryQuestion[];
  theme: string;
}
/**
 * The projector's page: open it on the projector's computer, no sign-in needed (null while
 * the meeting has no projector link).
 */
export interface ProjectorLinkRead {
  url: string | null;
}
/**
 * What a projector needs to start: the meeting, its stream, and how people join it.
 */
export interface ProjectorRead {
  join_address: string;
  join_code: string;
  join_url: string;
  meeting_id: string;
  stream: string;
  title: string;
}
/**
 * A room's current question (the live one, else the one that closed last) and its results
 * where the room itself may see them (``tally`` null otherwise, and for open questions).
 */
export interface ProjectorRoomQuestion {
  question: QuestionView;
  respondents: number;
  room_id: string;
  room_name: string;
  state: QuestionState;
  tally: QuestionTally | null;
}
/**
 * A choice or scale question's results in a room, counting people (one answer each; hidden
 * answers not counted). ``options`` per option in the question's order (choice questions; the
 * counts of a multiple-choice question add up to more than ``respondents``); ``scale`` per point
 * from the lowest to the highest, with the mean and the median of the values (scale questions).
 */
export interface QuestionTally {
  mean: number | null;
  median: number | null;
  options: OptionTally[];
  question_id: string;
  respondents: number;
  scale: ScalePoint[];
}
export interface ScalePoint {
  count: number;
  value: number;
}
export interface QuestionCreate {
  /**
   * Defaults to the meeting's default anonymity.
   */
  anonymity?: Anonymity | null;
  code?: string;
  kind?: QuestionKind1;
  /**
   * @maxItems 100
   */
  options?: QuestionOption[];
  /**
   * Order within the theme; defaults to last.
   */
  position?: number | null;
  scale_labels?: {
    [k: string]: string | undefined;
  };
  scale_max?: number | null;
  scale_min?: number | null;
  text: string;
  theme?: string;
  visibility?: Visibility1;
}
/**
 * The groups of a question's answers in a room, largest first; every answer a participant may
 * see (not hidden, not merged away) is in exactly one group, singletons included.
 */
export interface QuestionGroups {
  groups: AnswerGroup[];
  question_id: string;
}
/**
 * Only the fields given change. Changing ``kind``, ``options`` or the scale of a question that
 * has answers is refused (409), and so is weakening its anonymity.
 */
export interface QuestionUpdate {
  anonymity?: Anonymity | null;
  code?: string | null;
  kind?: QuestionKind | null;
  options?: QuestionOption[] | null;
  position?: number | null;
  scale_labels?: {
    [k: string]: string | undefined;
  } | null;
  scale_max?: number | null;
  scale_min?: number | null;
  text?: string | null;
  theme?: string | null;
  visibility?: Visibility | null;
}
/**
 * A raised hand as the room's staff see it: who, since when, and whether it is handled.
 */
export interface RaisedHandView {
  acknowledged_at: string | null;
  created_at: string;
  id: string;
  lowered_at: string | null;
  name: string;
  participant_id: string;
  room_id: string;
  status: HandStatus;
}
export interface ReportDocument {
  annex: AnnexRoom[];
  generated_at: string;
  language: string;
  meeting: ReportMeeting;
  notes: ReportNote[];
  participation: ParticipationFigures;
  summary: ReportSummary;
  themes: ReportTheme[];
}
export interface ReportMeeting {
  agenda: AgendaEntry[];
  description: string;
  held_on: string | null;
  id: string;
  languages: string[];
  organisation: string;
  phase: Phase;
  prepared_on: string;
  title: string;
}
/**
 * A footnote: where a finding or group comes from, down to the quoted answers.
 */
export interface ReportNote {
  answer_ids: string[];
  number: number;
  question_code: string | null;
  quotes: ReportQuote[];
  rooms: string[];
  text: string;
}
/**
 * An answer as a note quotes it: checked against the stored answer when the report is built.
 */
export interface ReportQuote {
  answer_id: string;
  room_name: string;
  text: string;
}
export interface ReportSummary {
  findings_sentence: string;
  points: SummaryPoint[];
  recommendations: SummaryPoint[];
}
/**
 * One sentence of the executive summary or the key recommendations, taken, never written:
 * the organiser's label for a group (``label``), or a room's confirmed finding or an answer
 * quoted verbatim (``finding``, ``answer``), with the note that traces it.
 */
export interface SummaryPoint {
  kind: 'label' | 'finding' | 'answer';
  note: number | null;
  raised_in: string | null;
  room_count: number | null;
  room_name: string | null;
  rooms_answered: number | null;
  source_id: string;
  text: string;
  theme: string;
}
export interface ReportTheme {
  findings: ReportFinding[];
  questions: ReportQuestion[];
  theme: string;
}
export interface ReportQuestion {
  code: string;
  distributions: RoomDistribution[];
  divergence: Divergence | null;
  divergence_sentence: string | null;
  findings: ReportFinding[];
  groups: ReportGroup[];
  kind: QuestionKind;
  overall: Distribution | null;
  rooms: RoomSideBySide[];
  rooms_answered: number;
  shared: boolean;
  text: string;
  ungrouped_answers: number;
}
export interface RoomDistribution {
  distribution: Distribution;
  room_name: string;
}
export interface ReportGroup {
  curated: boolean;
  label: string;
  member_answer_ids: string[];
  member_finding_ids: string[];
  note: number;
  pinned: boolean;
  raised_in: string;
  renamed: boolean;
  room_count: number;
  rooms: string[];
  rooms_answered: number;
  theme_label: string | null;
}
export interface RoomSideBySide {
  answers: number;
  findings: ReportFinding[];
  participants: number;
  room_name: string;
  top_answers: ReportAnswer[];
}
/**
 * The read-only report link; revoking it makes every copy of it answer 404.
 */
export interface ReportLinkRead {
  csv_url: string;
  docx_url: string;
  json_url: string;
  markdown_url: string;
  pdf_url: string;
  url: string;
}
/**
 * The room's video call link, for the room's own people (null: none set).
 */
export interface RoomCallRead {
  call_url: string | null;
  room_id: string;
}
export interface RoomCreate {
  /**
   * The room's video call (http or https); only the room's people see it
   */
  call_url?: string | null;
  /**
   * None: unlimited
   */
  capacity?: number | null;
  name: string;
  /**
   * None: after the last room
   */
  position?: number | null;
  theme?: string;
}
/**
 * ``finished: true`` finishes the room early; ``false`` opens it again (while the rooms are open).
 */
export interface RoomFinishing {
  finished: boolean;
}
/**
 * The room's moderators after the call (replaces the previous set).
 */
export interface RoomModeratorsSet {
  /**
   * @maxItems 20
   */
  participant_ids:
    | []
    | [string]
    | [string, string]
    | [string, string, string]
    | [string, string, string, string]
    | [string, string, string, string, string]
    | [string, string, string, string, string, string]
    | [string, string, string, string, string, string, string]
    | [string, string, string, string, string, string, string, string]
    | [string, string, string, string, string, string, string, string, string]
    | [string, string, string, string, string, string, string, string, string, string]
    | [string, string, string, string, string, string, string, string, string, string, string]
    | [string, string, string, string, string, string, string, string, string, string, string, string]
    | [string, string, string, string, string, string, string, string, string, string, string, string, string]
    | [string, string, string, string, string, string, string, string, string, string, string, string, string, string]
    | [
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string
      ]
    | [
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string
      ]
    | [
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string
      ]
    | [
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string
      ]
    | [
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string
      ]
    | [
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string
      ];
}
/**
 * "14/20 answered": answers to the live question against the people assigned to the room.
 */
export interface RoomProgress {
  answered: number;
  assigned: number;
  question_id: string | null;
  room_id: string;
}
/**
 * Every question allocated to the room, in the order the moderator will take them.
 */
export interface RoomQuestionOrder {
  /**
   * @maxItems 500
   */
  question_ids: string[];
}
/**
 * What a room stream's events change, as the subscriber's audience sees it (staff or peers).
 * ``answer_counts`` is the number of answers per question, also where the answers are hidden;
 * ``tallies`` the results of each choice or scale question pushed in the room, where the audience
 * may see them.
 */
export interface RoomStreamState {
  allocations: AllocationView[];
  answer_counts: {
    [k: string]: number | undefined;
  };
  answer_groups: QuestionGroups[];
  answers: AnswerView[];
  findings: FindingView[];
  hands: RaisedHandView[];
  kind: 'room';
  questions: QuestionView[];
  room_id: string;
  tallies: QuestionTally[];
  timers: TimerView[];
}
/**
 * Only the fields sent change; ``capacity: null`` makes the room unlimited.
 */
export interface RoomUpdate {
  /**
   * null or blank: the room has no call link
   */
  call_url?: string | null;
  capacity?: number | null;
  name?: string | null;
  position?: number | null;
  theme?: string | null;
}
/**
 * A participant as staff see them on the wire (never email or gender).
 */
export interface RosterEntry {
  display_name: string;
  id: string;
  joined_by: JoinedBy2;
  organisation: string;
  role: Role;
  room_id: string | null;
}
/**
 * One person's personal invitation link, with what the organiser needs to send it.
 */
export interface RosterLink {
  display_name: string;
  email: string | null;
  participant_id: string;
  role: Role;
  room_name: string | null;
  url: string;
}
/**
 * Which roster entries get a personal link; each keeps the active one it has.
 */
export interface RosterLinksCreate {
  /**
   * @minItems 1
   * @maxItems 3
   */
  roles?:
    | ['moderator' | 'participant' | 'observer']
    | ['moderator' | 'participant' | 'observer', 'moderator' | 'participant' | 'observer']
    | [
        'moderator' | 'participant' | 'observer',
        'moderator' | 'participant' | 'observer',
        'moderator' | 'participant' | 'observer'
      ];
}
export interface RosterLinksRead {
  /**
   * Links made by this call (0 when everyone had one already).
   */
  created: number;
  /**
   * Every roster entry with an active personal link, by name.
   */
  links: RosterLink[];
}
/**
 * What the staff stream's events change: the roster, the help requests, and the progress of
 * every room that has a live question.
 */
export interface StaffStreamState {
  help_requests: HelpRequestView[];
  kind: 'staff';
  progress: RoomProgress[];
  roster: RosterEntry[];
}
/**
 * A stream's state and the ``seq`` (in ``epoch``) it reflects, read in one transaction:
 * apply the stream's events with a higher seq, in order, to stay current.
 */
export interface StreamSnapshot {
  epoch: number;
  seq: number;
  state: MeetingStreamState | RoomStreamState | StaffStreamState;
  stream: string;
}
/**
 * Name a theme of a question: every group in it keeps that name as its theme (computed ones
 * are accepted as curated groups to do so).
 */
export interface ThemeRename {
  label: string;
  question_id: string;
  theme_id: string;
}
export interface TicketCreate {
  meeting_id: string;
}
/**
 * Open ``/ws`` offering both ``subprotocols`` (``new WebSocket(url, subprotocols)``).
 */
export interface TicketRead {
  expires_in_s: number;
  /**
   * Offer these in Sec-WebSocket-Protocol; the ticket rides there.
   */
  subprotocols: string[];
  ticket: string;
}
export interface TimerCreate {
  label?: string;
  /**
   * The room's timer; none for the meeting-wide one.
   */
  room_id?: string | null;
  seconds: number;
}
export interface TimerExtension {
  seconds: number;
}
export interface VoteRequest {
  upvote?: boolean;
}
