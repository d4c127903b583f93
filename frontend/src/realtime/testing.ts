/**
 * Test doubles for the transport: a scripted server side for sockets, a switchable network and a
 * controllable ticket fetcher. Imported by tests only, so never part of the built bundle.
 */
import type { NetworkMonitor, SocketConnection, SocketFactory, SocketHandlers, Ticket } from './environment.ts';

export class FakeSocket implements SocketConnection {
  readonly sent: Record<string, unknown>[] = [];
  closedByClient: { code: number | undefined; reason: string | undefined } | null = null;

  constructor(
    readonly url: string,
    readonly protocols: readonly string[],
    private readonly handlers: SocketHandlers,
  ) {}

  // --- what the transport calls ---
  send(data: string): void {
    if (this.closedByClient) throw new Error('send on a closed socket');
    this.sent.push(JSON.parse(data) as Record<string, unknown>);
  }

  close(code?: number, reason?: string): void {
    this.closedByClient = { code, reason };
  }

  // --- what the test (the "server") does ---
  open(): void {
    this.handlers.open();
  }

  receive(frame: Record<string, unknown>): void {
    this.handlers.message(JSON.stringify(frame));
  }

  receiveRaw(text: string): void {
    this.handlers.message(text);
  }

  serverClose(code: number, reason = ''): void {
    this.handlers.close(code, reason);
  }

  sentOfType(type: string): Record<string, unknown>[] {
    return this.sent.filter((frame) => frame['type'] === type);
  }

  /** Open, check the hello, and answer `welcome` with the given streams. */
  handshake(streams: string[], heartbeatS = 20): Record<string, unknown> {
    this.open();
    const hello = this.sent[0];
    if (!hello || hello['type'] !== 'hello') throw new Error('the first frame was not hello');
    this.receive({ type: 'welcome', protocol: 1, server_time: '2025-01-01T00:00:00Z', streams, heartbeat_s: heartbeatS });
    return hello;
  }
}

export class FakeSocketServer {
  readonly sockets: FakeSocket[] = [];

  readonly factory: SocketFactory = (url, protocols, handlers) => {
    const socket = new FakeSocket(url, protocols, handlers);
    this.sockets.push(socket);
    return socket;
  };

  get latest(): FakeSocket {
    const socket = this.sockets.at(-1);
    if (!socket) throw new Error('no socket was opened');
    return socket;
  }
}

export class FakeNetwork implements NetworkMonitor {
  #online: boolean;
  readonly #listeners = new Set<(online: boolean) => void>();

  constructor(online = true) {
    this.#online = online;
  }

  isOnline(): boolean {
    return this.#online;
  }

  subscribe(listener: (online: boolean) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  set(online: boolean): void {
    this.#online = online;
    for (const listener of this.#listeners) listener(online);
  }
}

/** Hands out `ticket-1`, `ticket-2` …, or fails the way a test asks. */
export class FakeTickets {
  issued = 0;
  /** `Date.now()` at every request (the fake clock under `vi.useFakeTimers`). */
  readonly calls: number[] = [];
  #failures: Error[] = [];

  readonly fetch = (): Promise<Ticket> => {
    this.calls.push(Date.now());
    const failure = this.#failures.shift();
    if (failure) return Promise.reject(failure);
    this.issued += 1;
    const ticket = `ticket-${this.issued}`;
    return Promise.resolve({ ticket, subprotocols: ['breakouts.v1', `ticket.${ticket}`] });
  };

  failNext(error: Error): void {
    this.#failures.push(error);
  }
}

/** An event frame as the server sends it. */
export function eventFrame(stream: string, seq: number, type = 'answer.submitted', data: unknown = {}): Record<string, unknown> {
  return { type, stream, seq, at: '2025-01-01T00:00:00Z', data };
}

export interface Deferred<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (error: Error) => void;
}

export function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
