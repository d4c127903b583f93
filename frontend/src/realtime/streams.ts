/**
 * Cursors per stream: the bookkeeping that turns what the socket delivers (replays, overlaps,
 * gaps) into each durable event exactly once, in `seq` order. It owns no socket and no timer
 * policy; the transport feeds it frames and tells it which streams the connection carries.
 */
import type { DurableEvent } from './protocol.ts';

/**
 * Reload the state behind `stream` and resolve with the `seq` the snapshot reflects. Resolve with
 * `null` only when the snapshot carries no position: the next event then becomes the baseline.
 */
export type SnapshotLoader = (stream: string, reason: string) => Promise<number | null>;

export interface StreamCursorsHooks {
  loadSnapshot: SnapshotLoader;
  /** Hand one event on, in order, exactly once. */
  deliver(event: DurableEvent): void;
  /**
   * An event that arrived while its stream was being reloaded and that the snapshot already
   * reflects: it changes no state, but it still happened (a reader's own move out of a room is
   * only told by such an event).
   */
  covered?(event: DurableEvent): void;
  /** Call `retry` later, after a snapshot failed for the `attempt`-th time (0 = first failure). */
  scheduleRetry(attempt: number, retry: () => void): void;
}

interface Resync {
  /** Events that arrived while the snapshot loads, applied after it. */
  held: DurableEvent[];
}

export class StreamCursors {
  readonly #hooks: StreamCursorsHooks;
  readonly #cursors = new Map<string, number>();
  /** The epoch of each stream, as the server last named it (absent: 1). */
  readonly #epochs = new Map<string, number>();
  readonly #resyncing = new Map<string, Resync>();
  #closed = false;

  constructor(hooks: StreamCursorsHooks) {
    this.#hooks = hooks;
  }

  /** The last applied `seq` per stream (streams being reloaded are left out). */
  snapshot(): Record<string, number> {
    return Object.fromEntries(this.#cursors);
  }

  /** The epoch of every stream that has a cursor and an epoch other than the first. */
  epochs(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [stream, epoch] of this.#epochs) if (epoch !== 1 && this.#cursors.has(stream)) out[stream] = epoch;
    return out;
  }

  /** Keep only `streams` (the rest are no longer delivered), and reload those without a cursor. */
  follow(streams: readonly string[]): void {
    const kept = new Set(streams);
    for (const stream of [...this.#cursors.keys()]) if (!kept.has(stream)) this.#cursors.delete(stream);
    for (const stream of [...this.#epochs.keys()]) if (!kept.has(stream)) this.#epochs.delete(stream);
    for (const stream of [...this.#resyncing.keys()]) if (!kept.has(stream)) this.#resyncing.delete(stream);
    for (const stream of streams) if (!this.#cursors.has(stream)) this.resync(stream, 'no_cursor');
  }

  accept(event: DurableEvent): void {
    const resync = this.#resyncing.get(event.stream);
    if (resync) {
      resync.held.push(event);
      return;
    }
    const last = this.#cursors.get(event.stream);
    if (last !== undefined && event.seq <= last) return; // a duplicate or an overlapping replay
    if (last !== undefined && event.seq > last + 1) {
      this.resync(event.stream, 'gap');
      this.#resyncing.get(event.stream)?.held.push(event);
      return;
    }
    this.#cursors.set(event.stream, event.seq);
    this.#hooks.deliver(event);
  }

  /**
   * The server finished replaying `stream` at `head` in `epoch`: a cursor elsewhere means we
   * missed some, and a cursor from another epoch means nothing at all.
   */
  resumed(stream: string, head: number, epoch = 1): void {
    const cursor = this.#cursors.get(stream);
    const known = this.#epochs.get(stream) ?? 1;
    this.#epochs.set(stream, epoch);
    if (cursor === undefined) {
      // A stream joined mid-connection (moved to another room): its state starts from a snapshot.
      if (!this.#resyncing.has(stream)) this.resync(stream, 'new_stream');
      return;
    }
    if (known !== epoch) this.resync(stream, 'reset');
    else if (cursor !== head) this.resync(stream, cursor < head ? 'behind_head' : 'ahead_of_head');
  }

  /** The server cannot serve our cursor: remember the epoch it is in, and reload. */
  resyncRequired(stream: string, reason: string, epoch = 1): void {
    this.#epochs.set(stream, epoch);
    this.resync(stream, reason);
  }

  /** Reload `stream` from a snapshot and restart its cursor there; one reload per stream at a time. */
  resync(stream: string, reason: string): void {
    if (this.#closed || this.#resyncing.has(stream)) return;
    const resync: Resync = { held: [] };
    this.#resyncing.set(stream, resync);
    this.#cursors.delete(stream);
    this.#load(stream, reason, resync, 0);
  }

  /** Stop for good: snapshots still loading are ignored when they arrive. */
  close(): void {
    this.#closed = true;
    this.#resyncing.clear();
  }

  #load(stream: string, reason: string, resync: Resync, attempt: number): void {
    // Each callback checks it still owns the stream: it may have been dropped and resynced anew.
    const current = (): boolean => !this.#closed && this.#resyncing.get(stream) === resync;
    this.#hooks.loadSnapshot(stream, reason).then(
      (seq) => {
        if (!current()) return;
        this.#resyncing.delete(stream);
        if (seq !== null) this.#cursors.set(stream, seq);
        for (const event of resync.held.sort((a, b) => a.seq - b.seq)) {
          if (seq !== null && event.seq <= seq) this.#hooks.covered?.(event);
          else this.accept(event);
        }
      },
      () => {
        if (!current()) return;
        this.#hooks.scheduleRetry(attempt, () => {
          if (current()) this.#load(stream, reason, resync, attempt + 1);
        });
      },
    );
  }
}
