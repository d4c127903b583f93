/** Views and events as the server sends them, for tests. Imported by tests only. */
import type {
  AllocationView,
  AnswerView,
  EventOf,
  EventType,
  FindingView,
  HelpRequestView,
  MeetingStreamState,
  MeetingView,
  QuestionView,
  RoomStreamState,
  RoomView,
  RosterEntry,
  StaffStreamState,
  TimerView,
} from '../protocol/index.ts';

export const MEETING_ID = '00000000-0000-4000-8000-000000000001';
export const ROOM_A = '00000000-0000-4000-8000-0000000000a1';
export const ROOM_B = '00000000-0000-4000-8000-0000000000b1';
const AT = '2025-05-01T10:00:00Z';

export function meetingView(overrides: Partial<MeetingView> = {}): MeetingView {
  return {
    id: MEETING_ID,
    title: 'Think tank',
    description: '',
    languages: ['en', 'bn'],
    default_anonymity: 'anonymous_to_peers',
    phase: 'plenary',
    assignment_mode: 'manual',
    join_code: 'K7Q2MX',
    current_item_id: null,
    breakouts_close_at: null,
    breakouts_end_at: null,
    breakouts_countdown_s: 0,
    phase_changed_at: null,
    agenda: [],
    created_at: AT,
    ...overrides,
  };
}

export function roomView(overrides: Partial<RoomView> = {}): RoomView {
  return { id: ROOM_A, name: 'Room 1', theme: 'Criminalisation', capacity: 10, position: 0, moderator_ids: [], finished_at: null, ...overrides };
}

export function questionView(overrides: Partial<QuestionView> = {}): QuestionView {
  return {
    id: 'q1',
    code: 'R1.1',
    theme: 'Criminalisation',
    text: 'Which gaps?',
    kind: 'open',
    options: [],
    scale_min: null,
    scale_max: null,
    scale_labels: {},
    anonymity: 'anonymous_to_peers',
    visibility: 'live',
    position: 0,
    ...overrides,
  };
}

export function allocationView(overrides: Partial<AllocationView> = {}): AllocationView {
  return {
    id: 'al1',
    room_id: ROOM_A,
    question_id: 'q1',
    position: 0,
    state: 'pending',
    pushed_at: null,
    closed_at: null,
    grouped: false,
    ...overrides,
  };
}

export function answerView(overrides: Partial<AnswerView> = {}): AnswerView {
  return {
    id: 'a1',
    room_id: ROOM_A,
    question_id: 'q1',
    text: 'A gap',
    choice_ids: null,
    scale_value: null,
    author: null,
    author_id: null,
    hidden: false,
    pinned: false,
    merged_into_id: null,
    source_ids: [],
    votes: 0,
    created_at: AT,
    updated_at: AT,
    mine: false,
    voted: false,
    ...overrides,
  };
}

export function findingView(overrides: Partial<FindingView> = {}): FindingView {
  return {
    id: 'f1',
    room_id: ROOM_A,
    question_id: 'q1',
    text: 'A finding',
    position: 0,
    status: 'draft',
    answer_ids: [],
    endorsements: 0,
    confirmed_at: null,
    ...overrides,
  };
}

export function timerView(overrides: Partial<TimerView> = {}): TimerView {
  return { id: 't1', room_id: null, label: '', ends_at: '2025-05-01T10:05:00Z', stopped_at: null, ...overrides };
}

export function rosterEntry(overrides: Partial<RosterEntry> = {}): RosterEntry {
  return {
    id: 'p1',
    display_name: 'Amina',
    organisation: 'Ministry',
    role: 'participant',
    room_id: null,
    joined_by: 'roster',
    ...overrides,
  };
}

export function helpView(overrides: Partial<HelpRequestView> = {}): HelpRequestView {
  return { id: 'h1', room_id: ROOM_A, message: '', requested_by: 'Moderator', created_at: AT, resolved_at: null, ...overrides };
}

export function meetingState(overrides: Partial<MeetingStreamState> = {}): MeetingStreamState {
  return { kind: 'meeting', meeting: meetingView(), rooms: [], timers: [], broadcasts: [], plenary: null, report_url: null, ...overrides };
}

export function roomState(overrides: Partial<RoomStreamState> = {}): RoomStreamState {
  return {
    kind: 'room',
    room_id: ROOM_A,
    allocations: [],
    questions: [],
    answers: [],
    answer_counts: {},
    tallies: [],
    answer_groups: [],
    findings: [],
    timers: [],
    ...overrides,
  };
}

export function staffState(overrides: Partial<StaffStreamState> = {}): StaffStreamState {
  return { kind: 'staff', roster: [], help_requests: [], progress: [], ...overrides };
}

let seq = 0;

/** An event of `type` with `data`, numbered on `stream`. */
export function event<T extends EventType>(type: T, data: EventOf<T>['data'], stream = `room:${ROOM_A}`): EventOf<T> {
  seq += 1;
  return { type, stream, seq, at: AT, data } as EventOf<T>;
}
