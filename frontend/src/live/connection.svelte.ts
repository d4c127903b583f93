/**
 * The page's one live connection, as reactive state for components: the transport's status,
 * why it stopped, how many commands wait in the outbox; and the stream followers that turn
 * events into page state. The transport itself knows nothing of Svelte or of features.
 */
import { browserStorage } from '../platform/storage.ts';
import { browserSocketFactory, httpTicketFetcher, socketUrl } from '../realtime/environment.ts';
import type { StopReason } from '../realtime/errors.ts';
import { Outbox } from '../realtime/outbox.ts';
import type { Command, DurableEvent } from '../realtime/protocol.ts';
import { Transport, type ConnectionStatus } from '../realtime/transport.ts';

/** The kinds of stream the server names `<kind>:<id>`. */
export type StreamKind = 'meeting' | 'room' | 'staff';

export interface StreamFollower {
  /** Reload the state behind `stream`; resolve with the seq it reflects (null if unknown). */
  snapshot(stream: string): Promise<number | null>;
  /** Apply one event, in order, exactly once. */
  event(event: DurableEvent): void;
}

function kindOf(stream: string): string {
  return stream.slice(0, stream.indexOf(':'));
}

class LiveConnection {
  status = $state<ConnectionStatus>('connecting');
  stopReason = $state<StopReason | null>(null);
  unsent = $state(0);
  active = $state(false);

  #sessionKey: string | null = null;
  #transport: Transport | null = null;
  #outbox: Outbox<Command> | null = null;
  #cleanup: (() => void)[] = [];
  readonly #followers = new Map<string, StreamFollower>();

  /** Open the connection for a signed-in person (`sessionKey`: their participant or account id). */
  connect(sessionKey: string): void {
    if (this.#sessionKey === sessionKey) return;
    this.disconnect();
    this.#sessionKey = sessionKey;
    const transport = new Transport({
      url: (ticket) => socketUrl(location, ticket),
      fetchTicket: httpTicketFetcher(),
      createSocket: browserSocketFactory,
      loadSnapshot: (stream) => this.#followers.get(kindOf(stream))?.snapshot(stream) ?? Promise.resolve(null),
    });
    const outbox = new Outbox<Command>({
      storage: browserStorage(),
      storageKey: `breakouts.outbox.v1:${sessionKey}`,
      sender: transport,
    });
    this.#cleanup = [
      transport.on('status', (status) => (this.status = status)),
      transport.on('stopped', (reason) => (this.stopReason = reason)),
      transport.on('event', (event) => this.#followers.get(kindOf(event.stream))?.event(event)),
      outbox.subscribe((entries) => (this.unsent = entries.length)),
    ];
    this.#transport = transport;
    this.#outbox = outbox;
    this.status = transport.status;
    this.stopReason = null;
    this.unsent = outbox.entries().length;
    this.active = true;
    transport.start();
    outbox.flush();
  }

  disconnect(): void {
    for (const undo of this.#cleanup) undo();
    this.#cleanup = [];
    this.#transport?.stop();
    this.#transport = null;
    this.#outbox = null;
    this.#sessionKey = null;
    this.active = false;
  }

  /** Follow one kind of stream (the page showing it); returns the unfollow. */
  follow(kind: StreamKind, follower: StreamFollower): () => void {
    this.#followers.set(kind, follower);
    return () => {
      if (this.#followers.get(kind) === follower) this.#followers.delete(kind);
    };
  }

  /** Send a command that must not be lost: stored first, sent exactly once (see `Outbox`). */
  submit(command: Command): Promise<unknown> {
    if (!this.#outbox) return Promise.reject(new Error('not connected'));
    return this.#outbox.enqueue(command);
  }
}

export const live = new LiveConnection();
