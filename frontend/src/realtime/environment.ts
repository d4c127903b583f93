/**
 * What the transport needs from the outside world, as small interfaces with a browser
 * implementation each. Tests pass fakes: no network, no real timers.
 */
import { TicketRefusedError } from './errors.ts';

export interface SocketHandlers {
  open(): void;
  message(data: string): void;
  close(code: number, reason: string): void;
}

export interface SocketConnection {
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

/** Opens a socket to `url` offering `protocols` (Sec-WebSocket-Protocol) and reports its life to `handlers`. */
export type SocketFactory = (url: string, protocols: readonly string[], handlers: SocketHandlers) => SocketConnection;

export type TimerHandle = ReturnType<typeof globalThis.setTimeout>;

export interface Timers {
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

export interface NetworkMonitor {
  isOnline(): boolean;
  /** Calls `listener` when the browser goes offline or back online; returns the unsubscribe. */
  subscribe(listener: (online: boolean) => void): () => void;
}

/** A single-use ticket and the subprotocols that carry it (never the URL: access logs print URLs). */
export interface Ticket {
  ticket: string;
  subprotocols: readonly string[];
}

/** Resolves with a fresh single-use ticket; throws `TicketRefusedError` when retrying is pointless. */
export type TicketFetcher = () => Promise<Ticket>;

export const browserSocketFactory: SocketFactory = (url, protocols, handlers) => {
  const socket = new WebSocket(url, [...protocols]);
  socket.onopen = () => handlers.open();
  socket.onmessage = (event: MessageEvent<unknown>) => {
    if (typeof event.data === 'string') handlers.message(event.data);
  };
  socket.onclose = (event) => handlers.close(event.code, event.reason);
  return {
    send: (data) => socket.send(data),
    close: (code, reason) => socket.close(code, reason),
  };
};

/** Looks the timer functions up at call time, so `vi.useFakeTimers()` also governs the defaults. */
export const browserTimers: Timers = {
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle),
};

export const browserNetwork: NetworkMonitor = {
  isOnline: () => typeof navigator === 'undefined' || navigator.onLine !== false,
  subscribe(listener) {
    const online = (): void => listener(true);
    const offline = (): void => listener(false);
    globalThis.addEventListener('online', online);
    globalThis.addEventListener('offline', offline);
    return () => {
      globalThis.removeEventListener('online', online);
      globalThis.removeEventListener('offline', offline);
    };
  },
};

/** `ws(s)://<this host>/ws`: same origin as the page, secure when the page is. */
export function socketUrl(location: Pick<Location, 'protocol' | 'host'>): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/ws`;
}

export const TICKET_PATH = '/api/realtime/tickets';

/** The subprotocols when the server names none: ours, and the ticket (`ticket.<ticket>`). */
export function defaultSubprotocols(ticket: string): string[] {
  return ['breakouts.v1', `ticket.${ticket}`];
}

/** `POST /api/realtime/tickets {meeting_id}` with the session cookie → `{ticket, expires_in_s, subprotocols}`. */
export function httpTicketFetcher(
  meetingId: string,
  fetchImpl: typeof fetch = (...args) => globalThis.fetch(...args),
): TicketFetcher {
  return async () => {
    const response = await fetchImpl(TICKET_PATH, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { accept: 'application/json', 'content-type': 'application/json' },
      body: JSON.stringify({ meeting_id: meetingId }),
    });
    if (response.status === 401) throw new TicketRefusedError('not_authenticated');
    if (response.status === 403) throw new TicketRefusedError('forbidden');
    if (!response.ok) throw new Error(`ticket request failed with HTTP ${response.status}`);
    const body: unknown = await response.json();
    if (typeof body === 'object' && body !== null && 'ticket' in body && typeof body.ticket === 'string') {
      const offered = 'subprotocols' in body ? body.subprotocols : null;
      const subprotocols =
        Array.isArray(offered) && offered.every((item): item is string => typeof item === 'string')
          ? offered
          : defaultSubprotocols(body.ticket);
      return { ticket: body.ticket, subprotocols };
    }
    throw new Error('ticket response has no ticket');
  };
}
