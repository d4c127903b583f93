/**
 * The wire vocabulary the features use: the generated types, plus the few shapes derived from
 * them. Nothing here is hand-written wire format except the stream snapshots (see below).
 */
import type {
  AllocationView,
  AnswerView,
  BroadcastView,
  ClientFrame,
  FindingView,
  HelpRequestView,
  MeetingView,
  RaisedHandView,
  PlenaryChanged,
  QuestionGroups,
  QuestionTally,
  QuestionView,
  RoomProgress,
  RoomView,
  RosterEntry,
  ServerEventFrame,
  TimerView,
} from './generated.ts';

export type * from './generated.ts';

/** Every durable event, discriminated on `type`. */
export type ServerEvent = ServerEventFrame;
export type EventType = ServerEvent['type'];
export type EventOf<T extends EventType> = Extract<ServerEvent, { type: T }>;

/** Every command a client sends (the control frames `hello` and `ping` are the transport's). */
export type ClientCommand = Exclude<ClientFrame, { type: 'hello' } | { type: 'ping' }>;
export type CommandType = ClientCommand['type'];
/** A command as a feature writes it: the transport layer adds the client-made `id`. */
export type CommandBody = ClientCommand extends infer C ? (C extends ClientCommand ? Omit<C, 'id'> : never) : never;

/*
 * Stream snapshots (`GET /api/live/snapshot`). `app/realtime/protocol.py` defines them
 * (`StreamSnapshot`, `MeetingStreamState`, `RoomStreamState`, `StaffStreamState`) but the schema
 * export does not include them yet; they are compositions of generated views, written here with
 * exactly the server's field names. Move them to the generated file once exported.
 */
export interface MeetingStreamState {
  kind: 'meeting';
  meeting: MeetingView;
  rooms: RoomView[];
  timers: TimerView[];
  broadcasts: BroadcastView[];
  plenary: PlenaryChanged | null;
  /** The shared report's page; null while the organiser has not shared it (or revoked it). */
  report_url: string | null;
}

export interface RoomStreamState {
  kind: 'room';
  room_id: string;
  allocations: AllocationView[];
  questions: QuestionView[];
  answers: AnswerView[];
  /** Answers per question id, also where the answers themselves are not visible. */
  answer_counts: Record<string, number>;
  /** The results of each choice or scale question pushed in the room, where the reader may see them. */
  tallies: QuestionTally[];
  /** The groups of each open question whose grouping is on, where the reader may see the answers. */
  answer_groups: QuestionGroups[];
  findings: FindingView[];
  timers: TimerView[];
  /** The hands up in the room, oldest first: for the room's staff (empty for peers). */
  hands?: RaisedHandView[];
}

export interface StaffStreamState {
  kind: 'staff';
  roster: RosterEntry[];
  help_requests: HelpRequestView[];
  progress: RoomProgress[];
}

export type StreamState = MeetingStreamState | RoomStreamState | StaffStreamState;

export interface StreamSnapshot {
  stream: string;
  seq: number;
  epoch: number;
  state: StreamState;
}
