/**
 * The WebSocket transport: one socket per page, resumed after every drop without losing or
 * duplicating an event, and commands that survive a drop.
 *
 * It knows the envelope of the protocol (see `protocol.ts`) and nothing of features: durable
 * events leave it in `seq` order per stream, exactly once; ephemeral frames leave it as they come.
 * What an event means is the business of the reducers that listen.
 *
 * Delivery, as the client sees it (the server's side is in `docs/realtime.md`):
 * - after open the client says `hello` with its cursors; the server replays what was missed,
 *   then `resumed` per stream, or `resync_required` when a cursor cannot be served;
 * - a stream needing resync, or showing a gap (`seq > last + 1`), is reloaded with
 *   `loadSnapshot`; events that arrive meanwhile are held and applied after it;
 * - a command stays pending until `ack`/`error` with its id, and is resent with the SAME id
 *   after every reconnect (the server dedupes by id, so a lost ack never duplicates it);
 * - an `error` with code `busy` (the server's queue for this socket was full) is no answer: the
 *   command stays pending and is sent again after `BUSY_RETRY_BACKOFF`.
 */
import {
  BUSY_RETRY_BACKOFF,
  equalJitterDelay,
  fullJitterDelay,
  policyViolationDelay,
  RECONNECT_BACKOFF,
  type BackoffPolicy,
} from './backoff.ts';
import { Emitter } from './emitter.ts';
import {
  browserNetwork,
  browserTimers,
  type NetworkMonitor,
  type SocketConnection,
  type SocketFactory,
  type Ticket,
  type TicketFetcher,
  type TimerHandle,
  type Timers,
} from './environment.ts';
import { CommandError, TicketRefusedError, TransportStoppedError, type StopReason } from './errors.ts';
import { StreamCursors, type SnapshotLoader } from './streams.ts';
import {
  CloseCode,
  decodeFrame,
  PROTOCOL_VERSION,
  type Command,
  type DurableEvent,
  type EphemeralFrame,
  type ErrorFrame,
  type HelloFrame,
  type PingFrame,
  type WelcomeFrame,
} from './protocol.ts';

export type ConnectionStatus = 'connecting' | 'open' | 'reconnecting' | 'offline';
export type { SnapshotLoader } from './streams.ts';

export interface TransportOptions {
  /** Builds the socket address for a ticket (see `socketUrl`; the ticket itself rides in the subprotocols). */
  url: (ticket: Ticket) => string;
  fetchTicket: TicketFetcher;
  createSocket: SocketFactory;
  loadSnapshot: SnapshotLoader;
  timers?: Timers;
  random?: () => number;
  network?: NetworkMonitor;
  backoff?: BackoffPolicy;
}

export interface TransportEvents<TEvent extends DurableEvent, TEphemeral extends EphemeralFrame> {
  status: ConnectionStatus;
  /** A durable event, in `seq` order within its stream, never twice. */
  event: TEvent;
  ephemeral: TEphemeral;
  /** The welcome of each socket (who it speaks for may change: a walk-in matched to the roster). */
  welcome: WelcomeFrame;
  /** The streams this connection receives, from `welcome`. */
  streams: readonly string[];
  /**
   * A stream the server started sending after the welcome (a participant placed in a room, a
   * room created or given to this moderator), or again after it had stopped (moved back).
   */
  joined: string;
  /** An event the snapshot of its stream already reflected (see `StreamCursorsHooks.covered`). */
  covered: TEvent;
  /** An `error` frame that answers no pending command (a protocol-level complaint). */
  error: ErrorFrame;
  /** The transport gave up for good; `status` is then `'offline'`. */
  stopped: StopReason;
}

interface Pending<TCommand extends Command> {
  command: TCommand;
  /** How often the server answered `busy` to it so far. */
  busy: number;
  promise: Promise<unknown>;
  resolve: (result: unknown) => void;
  reject: (error: Error) => void;
}

/** Ticket, open and `welcome` must all happen within this, or the attempt counts as failed. */
export const CONNECT_TIMEOUT_MS = 10_000;
/** Two unanswered pings (two heartbeat intervals of silence) mean the socket is dead. */
export const MISSED_PONGS_LIMIT = 2;
/** Snapshot reloads that fail (network) are retried with the reconnect backoff, from this. */
const SNAPSHOT_RETRY_FIRST_ATTEMPT = 2;

export class Transport<
  TEvent extends DurableEvent = DurableEvent,
  TEphemeral extends EphemeralFrame = EphemeralFrame,
  TCommand extends Command = Command,
> {
  readonly #options: TransportOptions;
  readonly #timers: Timers;
  readonly #random: () => number;
  readonly #network: NetworkMonitor;
  readonly #backoff: BackoffPolicy;
  readonly #emitter = new Emitter<TransportEvents<TEvent, TEphemeral>>();

  #status: ConnectionStatus = 'connecting';
  #stopReason: StopReason | null = null;
  #started = false;
  #everWelcomed = false;
  #unsubscribeNetwork: (() => void) | null = null;

  /** Bumped for every connection attempt; callbacks from an older attempt are ignored. */
  #generation = 0;
  #socket: SocketConnection | null = null;
  #welcomed = false;
  #failedAttempts = 0;
  #reconnectTimer: TimerHandle | null = null;
  #connectTimer: TimerHandle | null = null;
  #heartbeatTimer: TimerHandle | null = null;
  #heartbeatMs = 20_000;
  #unansweredPings = 0;

  readonly #streams: StreamCursors;
  #streamNames: readonly string[] = [];
  /** Welcome streams still waiting for their first `resumed`/`resync_required` on this socket. */
  #firstMarkers = new Set<string>();
  readonly #pending = new Map<string, Pending<TCommand>>();

  constructor(options: TransportOptions) {
    this.#options = options;
    this.#timers = options.timers ?? browserTimers;
    this.#random = options.random ?? Math.random;
    this.#network = options.network ?? browserNetwork;
    this.#backoff = options.backoff ?? RECONNECT_BACKOFF;
    this.#streams = new StreamCursors({
      loadSnapshot: options.loadSnapshot,
      deliver: (event) => this.#emitter.emit('event', event as TEvent),
      covered: (event) => this.#emitter.emit('covered', event as TEvent),
      scheduleRetry: (attempt, retry) => {
        const delay = fullJitterDelay(SNAPSHOT_RETRY_FIRST_ATTEMPT + attempt, this.#backoff, this.#random);
        this.#timers.setTimeout(retry, delay);
      },
    });
  }

  get status(): ConnectionStatus {
    return this.#status;
  }

  get stopReason(): StopReason | null {
    return this.#stopReason;
  }

  get streams(): readonly string[] {
    return this.#streamNames;
  }

  /** The last applied `seq` per stream (what the next `hello` will send). */
  cursors(): Record<string, number> {
    return this.#streams.snapshot();
  }

  /** Ids of commands sent or queued but not yet answered. */
  pendingIds(): string[] {
    return [...this.#pending.keys()];
  }

  on<K extends keyof TransportEvents<TEvent, TEphemeral>>(
    name: K,
    listener: (payload: TransportEvents<TEvent, TEphemeral>[K]) => void,
  ): () => void {
    return this.#emitter.on(name, listener);
  }

  start(): void {
    if (this.#started || this.#stopReason !== null) return;
    this.#started = true;
    this.#unsubscribeNetwork = this.#network.subscribe((online) => this.#onNetworkChange(online));
    if (this.#network.isOnline()) void this.#connect();
    else this.#setStatus('offline');
  }

  /** Close for good (leaving the page, signing out). Pending commands are rejected. */
  stop(): void {
    this.#halt('stopped');
  }

  /**
   * Send a command; resolves with the `ack` result, rejects with `CommandError` on an `error`
   * frame or `TransportStoppedError` if the transport stops first. While the socket is down the
   * command waits, and it is resent with the same id after each reconnect until answered.
   * Sending an id that is already pending returns the pending promise (no second frame).
   */
  send(command: TCommand): Promise<unknown> {
    const existing = this.#pending.get(command.id);
    if (existing) return existing.promise;
    if (this.#stopReason !== null) return Promise.reject(new TransportStoppedError(this.#stopReason));
    let resolve!: (result: unknown) => void;
    let reject!: (error: Error) => void;
    const promise = new Promise<unknown>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    // Callers that do not wait for the answer must not cause unhandled rejections.
    promise.catch(() => undefined);
    this.#pending.set(command.id, { command, busy: 0, promise, resolve, reject });
    if (this.#welcomed) this.#write(command);
    return promise;
  }

  // --- connection life ---------------------------------------------------------------------

  async #connect(): Promise<void> {
    this.#clearTimer('reconnect');
    this.#clearTimer('connect');
    const generation = ++this.#generation;
    this.#welcomed = false;
    this.#setStatus(this.#everWelcomed ? 'reconnecting' : 'connecting');
    this.#connectTimer = this.#timers.setTimeout(() => this.#abandon(generation), CONNECT_TIMEOUT_MS);
    let ticket: Ticket;
    try {
      ticket = await this.#options.fetchTicket();
    } catch (error) {
      if (generation !== this.#generation) return;
      if (error instanceof TicketRefusedError) this.#halt(error.reason);
      else this.#retry();
      return;
    }
    if (generation !== this.#generation) return;
    try {
      this.#socket = this.#options.createSocket(this.#options.url(ticket), ticket.subprotocols, {
        open: () => this.#onOpen(generation),
        message: (data) => this.#onMessage(generation, data),
        close: (code) => this.#onClose(generation, code),
      });
    } catch {
      this.#retry();
    }
  }

  #onOpen(generation: number): void {
    if (generation !== this.#generation) return;
    const epochs = this.#streams.epochs();
    const hello: HelloFrame = {
      type: 'hello',
      protocol: PROTOCOL_VERSION,
      cursors: this.cursors(),
      ...(Object.keys(epochs).length > 0 ? { epochs } : {}),
    };
    this.#write(hello);
  }

  #onClose(generation: number, code: number): void {
    if (generation !== this.#generation) return;
    this.#socket = null;
    if (code === CloseCode.FORBIDDEN) this.#halt('forbidden');
    else if (code === CloseCode.POLICY_VIOLATION || code === CloseCode.TOO_MANY_CONNECTIONS) {
      // A flood, or too many tabs: coming straight back would only repeat it.
      this.#retry(policyViolationDelay(this.#backoff, this.#random));
    }
    // 4401 (ticket refused), 4408 (too slow), 1001 (going away) and anything else: a fresh
    // ticket and a resume with our cursors put things right.
    else this.#retry();
  }

  /** Give up on the current attempt or socket (silent, or too slow to open) and try again. */
  #abandon(generation: number): void {
    if (generation !== this.#generation) return;
    this.#retry();
  }

  /** Drop whatever connection exists and schedule the next attempt after `delayMs` (backoff by default). */
  #retry(delayMs?: number): void {
    this.#detach(CloseCode.CLIENT_GAVE_UP, 'reconnecting');
    if (this.#stopReason !== null || this.#status === 'offline') return;
    const delay = delayMs ?? fullJitterDelay(this.#failedAttempts, this.#backoff, this.#random);
    this.#failedAttempts += 1;
    this.#setStatus(this.#everWelcomed ? 'reconnecting' : 'connecting');
    this.#reconnectTimer = this.#timers.setTimeout(() => void this.#connect(), delay);
  }

  /** Forget the current socket: later callbacks from it are ignored. */
  #detach(code: number, reason: string): void {
    this.#generation += 1;
    this.#welcomed = false;
    this.#clearTimer('connect');
    this.#clearTimer('heartbeat');
    this.#clearTimer('reconnect');
    const socket = this.#socket;
    this.#socket = null;
    if (socket) {
      try {
        socket.close(code, reason);
      } catch {
        // Already closed: nothing to release.
      }
    }
  }

  #halt(reason: StopReason): void {
    if (this.#stopReason !== null) return;
    this.#stopReason = reason;
    this.#detach(CloseCode.NORMAL, reason);
    this.#streams.close();
    this.#unsubscribeNetwork?.();
    this.#unsubscribeNetwork = null;
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const command of pending) command.reject(new TransportStoppedError(reason));
    this.#setStatus('offline');
    this.#emitter.emit('stopped', reason);
  }

  #onNetworkChange(online: boolean): void {
    if (this.#stopReason !== null) return;
    if (!online) {
      this.#detach(CloseCode.NORMAL, 'offline');
      this.#setStatus('offline');
    } else if (this.#status === 'offline') {
      // The network is back: no reason to wait out a backoff earned while it was gone.
      this.#failedAttempts = 0;
      void this.#connect();
    }
  }

  // --- frames ------------------------------------------------------------------------------

  #onMessage(generation: number, data: string): void {
    if (generation !== this.#generation) return;
    // Any frame proves the socket alive; a pong stuck behind a burst of events still counts.
    this.#unansweredPings = 0;
    const incoming = decodeFrame(data);
    if (incoming === null) return;
    switch (incoming.kind) {
      case 'welcome':
        this.#onWelcome(generation, incoming.frame);
        break;
      case 'resumed': {
        const stream = incoming.frame.stream;
        // Any marker but the first for a welcome stream means the server began sending it now.
        const joined = !this.#firstMarkers.delete(stream);
        this.#streams.resumed(stream, incoming.frame.head, incoming.frame.epoch);
        if (joined) {
          if (!this.#streamNames.includes(stream)) this.#streamNames = [...this.#streamNames, stream];
          this.#emitter.emit('joined', stream);
        }
        break;
      }
      case 'resync_required':
        this.#firstMarkers.delete(incoming.frame.stream);
        this.#streams.resyncRequired(incoming.frame.stream, incoming.frame.reason, incoming.frame.epoch);
        break;
      case 'event':
        this.#streams.accept(incoming.frame);
        break;
      case 'ack': {
        const pending = this.#pending.get(incoming.frame.ref);
        this.#pending.delete(incoming.frame.ref);
        pending?.resolve(incoming.frame.result);
        break;
      }
      case 'error': {
        const { ref, code, message } = incoming.frame;
        const pending = ref === null ? undefined : this.#pending.get(ref);
        if (pending && ref !== null && code === 'busy') {
          this.#resendLater(pending);
        } else if (pending && ref !== null) {
          this.#pending.delete(ref);
          pending.reject(new CommandError(code, message, ref));
        } else {
          this.#emitter.emit('error', incoming.frame);
        }
        break;
      }
      case 'pong':
        break;
      case 'ephemeral':
        // The generated union is trusted for the payload; the envelope was checked.
        this.#emitter.emit('ephemeral', incoming.frame as TEphemeral);
        break;
    }
  }

  /** Send a command refused as `busy` again, same id, on this socket after a backoff; a
   *  reconnect meanwhile resends it anyway (with every pending command). */
  #resendLater(pending: Pending<TCommand>): void {
    const generation = this.#generation;
    const delay = equalJitterDelay(pending.busy, BUSY_RETRY_BACKOFF, this.#random);
    pending.busy += 1;
    this.#timers.setTimeout(() => {
      const current = this.#pending.get(pending.command.id);
      if (current === pending && this.#welcomed && generation === this.#generation) this.#write(pending.command);
    }, delay);
  }

  #onWelcome(generation: number, welcome: WelcomeFrame): void {
    if (welcome.protocol !== PROTOCOL_VERSION) {
      this.#halt('incompatible');
      return;
    }
    this.#clearTimer('connect');
    this.#welcomed = true;
    this.#everWelcomed = true;
    this.#failedAttempts = 0;
    this.#heartbeatMs = Math.max(1, welcome.heartbeat_s) * 1000;
    this.#unansweredPings = 0;
    this.#scheduleHeartbeat(generation);
    this.#streamNames = welcome.streams;
    this.#firstMarkers = new Set(welcome.streams);
    this.#setStatus('open');
    this.#emitter.emit('welcome', welcome);
    this.#emitter.emit('streams', this.#streamNames);
    // A stream we no longer receive (moved to another room) keeps no cursor; a new one is loaded.
    this.#streams.follow(welcome.streams);
    for (const pending of this.#pending.values()) this.#write(pending.command);
  }

  #scheduleHeartbeat(generation: number): void {
    this.#heartbeatTimer = this.#timers.setTimeout(() => {
      if (generation !== this.#generation) return;
      if (this.#unansweredPings >= MISSED_PONGS_LIMIT) {
        this.#retry();
        return;
      }
      this.#unansweredPings += 1;
      const ping: PingFrame = { type: 'ping' };
      this.#write(ping);
      this.#scheduleHeartbeat(generation);
    }, this.#heartbeatMs);
  }

  #write(frame: HelloFrame | PingFrame | TCommand): void {
    try {
      this.#socket?.send(JSON.stringify(frame));
    } catch {
      // The socket is closing; its close callback schedules the reconnect and the resend.
    }
  }

  // --- small things ------------------------------------------------------------------------

  #setStatus(status: ConnectionStatus): void {
    if (status === this.#status) return;
    this.#status = status;
    this.#emitter.emit('status', status);
  }

  #clearTimer(which: 'reconnect' | 'connect' | 'heartbeat'): void {
    const handle =
      which === 'reconnect' ? this.#reconnectTimer : which === 'connect' ? this.#connectTimer : this.#heartbeatTimer;
    if (handle !== null) this.#timers.clearTimeout(handle);
    if (which === 'reconnect') this.#reconnectTimer = null;
    else if (which === 'connect') this.#connectTimer = null;
    else this.#heartbeatTimer = null;
  }
}
