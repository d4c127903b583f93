/**
 * The transport's share of the wire protocol: the frames every stream and feature have in common.
 *
 * Feature frames (`answer.submitted`, `presence.changed`, `answer.submit` …) are NOT described
 * here: their TypeScript types are generated from the server's JSON Schema
 * (`app/realtime/protocol.py`) and passed to `Transport` as type parameters. This module only
 * knows the envelope: durable events carry `stream` and `seq`, commands carry a client-made `id`.
 */

/** The protocol version this client speaks, sent in `hello` and expected back in `welcome`. */
export const PROTOCOL_VERSION = 1;

/** Close codes the server uses, and the one the client uses when it gives up on a socket
 * (silent past two heartbeats, or no `welcome` in time). */
export const CloseCode = {
  NORMAL: 1000,
  GOING_AWAY: 1001,
  POLICY_VIOLATION: 1008,
  CLIENT_GAVE_UP: 4000,
  TICKET_INVALID: 4401,
  FORBIDDEN: 4403,
  TOO_SLOW: 4408,
  HELLO_EXPECTED: 4400,
  TOO_MANY_CONNECTIONS: 4429,
} as const;

/** The last `seq` the client has applied, per stream. */
export type Cursors = Record<string, number>;

export interface HelloFrame {
  type: 'hello';
  protocol: number;
  cursors: Cursors;
  /** The epoch each cursor belongs to; left out when every epoch is the first (1). */
  epochs?: Record<string, number>;
}

export interface PingFrame {
  type: 'ping';
}

export interface WelcomeFrame {
  type: 'welcome';
  protocol: number;
  server_time: string;
  streams: string[];
  heartbeat_s: number;
  /** Whom the socket speaks for (absent for an account, or from an older server). */
  participant_id?: string | null;
}

export interface ResumedFrame {
  type: 'resumed';
  stream: string;
  head: number;
  /** Bumped when the server resets a stream (its seqs start over): older cursors are void. */
  epoch: number;
}

export interface ResyncRequiredFrame {
  type: 'resync_required';
  stream: string;
  reason: string;
  epoch: number;
}

export interface AckFrame {
  type: 'ack';
  ref: string;
  result: unknown;
}

export interface ErrorFrame {
  type: 'error';
  code: string;
  message: string;
  ref: string | null;
}

export interface PongFrame {
  type: 'pong';
}

/** Any durable event: numbered within its stream, replayed after a reconnect. */
export interface DurableEvent {
  type: string;
  stream: string;
  seq: number;
  at: string;
  data: unknown;
}

/** Any frame without a place in a stream (presence, typing …): never replayed. */
export interface EphemeralFrame {
  type: string;
}

/** Any client command: the server answers `ack` or `error` with `ref` = `id`, and dedupes by `id`. */
export interface Command {
  type: string;
  id: string;
}

export type IncomingFrame =
  | { kind: 'welcome'; frame: WelcomeFrame }
  | { kind: 'resumed'; frame: ResumedFrame }
  | { kind: 'resync_required'; frame: ResyncRequiredFrame }
  | { kind: 'ack'; frame: AckFrame }
  | { kind: 'error'; frame: ErrorFrame }
  | { kind: 'pong'; frame: PongFrame }
  | { kind: 'event'; frame: DurableEvent }
  | { kind: 'ephemeral'; frame: EphemeralFrame };

type Fields = Record<string, unknown>;

function isFields(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isString = (value: unknown): value is string => typeof value === 'string';
const isSeq = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;
const epochOf = (value: unknown): number => (Number.isSafeInteger(value) && (value as number) >= 1 ? (value as number) : 1);

/**
 * Classify one text frame. Returns `null` for anything that is not a protocol frame (not JSON,
 * no `type`, or a control frame missing a field the transport relies on); the caller drops it.
 * Only the envelope is checked: the payload of feature frames is the generated types' business.
 */
export function decodeFrame(text: string): IncomingFrame | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isFields(parsed)) return null;
  const f = parsed;
  const type = f.type;
  if (!isString(type)) return null;
  switch (type) {
    case 'welcome':
      if (typeof f.protocol !== 'number' || !Array.isArray(f.streams) || !f.streams.every(isString)) return null;
      return {
        kind: 'welcome',
        frame: {
          type: 'welcome',
          protocol: f.protocol,
          server_time: isString(f.server_time) ? f.server_time : '',
          streams: f.streams,
          heartbeat_s: typeof f.heartbeat_s === 'number' && f.heartbeat_s > 0 ? f.heartbeat_s : 20,
          participant_id: isString(f.participant_id) ? f.participant_id : null,
        },
      };
    case 'resumed':
      if (!isString(f.stream) || !isSeq(f.head)) return null;
      return { kind: 'resumed', frame: { type: 'resumed', stream: f.stream, head: f.head, epoch: epochOf(f.epoch) } };
    case 'resync_required':
      if (!isString(f.stream)) return null;
      return {
        kind: 'resync_required',
        frame: {
          type: 'resync_required',
          stream: f.stream,
          reason: isString(f.reason) ? f.reason : '',
          epoch: epochOf(f.epoch),
        },
      };
    case 'ack':
      if (!isString(f.ref)) return null;
      return { kind: 'ack', frame: { type: 'ack', ref: f.ref, result: f.result } };
    case 'error':
      return {
        kind: 'error',
        frame: {
          type: 'error',
          code: isString(f.code) ? f.code : 'error',
          message: isString(f.message) ? f.message : '',
          ref: isString(f.ref) ? f.ref : null,
        },
      };
    case 'pong':
      return { kind: 'pong', frame: { type: 'pong' } };
    default:
      if (isString(f.stream) && isSeq(f.seq)) {
        const event: DurableEvent = {
          type,
          stream: f.stream,
          seq: f.seq,
          at: isString(f.at) ? f.at : '',
          data: f.data,
        };
        return { kind: 'event', frame: { ...f, ...event } };
      }
      // Half an envelope is a broken durable event, not an ephemeral frame: drop it.
      if ('stream' in f || 'seq' in f) return null;
      return { kind: 'ephemeral', frame: { ...f, type } };
  }
}
