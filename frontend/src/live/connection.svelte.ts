/**
 * The page's one live connection, as reactive state for components: the transport's status,
 * why it stopped, which commands wait in the outbox. A `LiveSink` (the meeting store) turns its
 * events into page state. The transport itself knows nothing of Svelte or of features.
 */
import { browserStorage } from '../platform/storage.ts';
import type { ClientCommand, CommandBody, ServerEvent } from '../protocol/index.ts';
import { browserSocketFactory, httpTicketFetcher, socketUrl } from '../realtime/environment.ts';
import type { StopReason } from '../realtime/errors.ts';
import { newClientId } from '../realtime/ids.ts';
import { Outbox, type OutboxEntry } from '../realtime/outbox.ts';
import type { EphemeralFrame } from '../realtime/protocol.ts';
import { Transport, type ConnectionStatus } from '../realtime/transport.ts';

/** What receives the connection's streams. */
export interface LiveSink {
  /** Reload the state behind `stream`; resolve with the seq it reflects (null if unknown). */
  snapshot(stream: string): Promise<number | null>;
  /** One durable event, in order, exactly once. */
  event(event: ServerEvent): void;
  /** A frame without a place in a stream (presence). */
  ephemeral(frame: EphemeralFrame): void;
  /** Whom the socket speaks for, from each `welcome` (null for an organiser's account). */
  welcomed?(participantId: string | null): void;
  /** The streams the server sends this connection, as its `welcome` lists them. */
  streams?(streams: readonly string[]): void;
  /** A stream the server began sending after the welcome (placed in a room, moved back to one). */
  joined?(stream: string): void;
  /** An event that a snapshot loaded meanwhile already reflects: it changes no state. */
  covered?(event: ServerEvent): void;
  /** A command kept in the outbox was refused for good (shown back to its author). */
  rejected?(command: ClientCommand, code: string): void;
  /** A command kept in the outbox was acknowledged, possibly after a reload. */
  accepted?(command: ClientCommand, result: unknown): void;
}

/** A command with the client-made id it was sent with. */
function withId(body: CommandBody, id: string = newClientId()): ClientCommand {
  return { ...body, id } as ClientCommand;
}

class LiveConnection {
  status = $state<ConnectionStatus>('connecting');
  stopReason = $state<StopReason | null>(null);
  /** Commands stored on this device and not yet acknowledged (answers typed offline …). */
  queued = $state.raw<readonly OutboxEntry<ClientCommand>[]>([]);
  active = $state(false);

  #key: string | null = null;
  #transport: Transport<ServerEvent, EphemeralFrame, ClientCommand> | null = null;
  #outbox: Outbox<ClientCommand> | null = null;
  #cleanup: (() => void)[] = [];

  get unsent(): number {
    return this.queued.length;
  }

  /** Open the connection for a signed-in person in one meeting, feeding `sink`. */
  connect(sessionKey: string, meetingId: string, sink: LiveSink): void {
    const key = `${sessionKey}|${meetingId}`;
    if (this.#key === key) return;
    this.disconnect();
    this.#key = key;
    const transport = new Transport<ServerEvent, EphemeralFrame, ClientCommand>({
      url: () => socketUrl(location),
      fetchTicket: httpTicketFetcher(meetingId),
      createSocket: browserSocketFactory,
      loadSnapshot: (stream) => sink.snapshot(stream),
    });
    const outbox = new Outbox<ClientCommand>({
      storage: browserStorage(),
      storageKey: `breakouts.outbox.v1:${sessionKey}`,
      sender: transport,
      onRejected: (command, error) => sink.rejected?.(command, error.code),
      onAccepted: (command, result) => sink.accepted?.(command, result),
    });
    this.#cleanup = [
      transport.on('status', (status) => (this.status = status)),
      transport.on('stopped', (reason) => (this.stopReason = reason)),
      transport.on('event', (event) => sink.event(event)),
      transport.on('ephemeral', (frame) => sink.ephemeral(frame)),
      transport.on('welcome', (welcome) => sink.welcomed?.(welcome.participant_id ?? null)),
      transport.on('streams', (streams) => sink.streams?.(streams)),
      transport.on('joined', (stream) => sink.joined?.(stream)),
      transport.on('covered', (event) => sink.covered?.(event)),
      outbox.subscribe((entries) => (this.queued = entries)),
    ];
    this.#transport = transport;
    this.#outbox = outbox;
    this.status = transport.status;
    this.stopReason = null;
    this.queued = outbox.entries();
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
    this.#key = null;
    this.active = false;
  }

  /**
   * Send a command that must not be lost (an answer): stored on this device first, sent exactly
   * once however often the connection drops or the page reloads (see `Outbox`).
   */
  submit(body: CommandBody, id?: string): Promise<unknown> {
    if (!this.#outbox) return Promise.reject(new Error('not connected'));
    return this.#outbox.enqueue(withId(body, id));
  }

  /** Send a command now (resent after a drop until answered, but not kept across a reload). */
  send(body: CommandBody): Promise<unknown> {
    if (!this.#transport) return Promise.reject(new Error('not connected'));
    return this.#transport.send(withId(body));
  }
}

export const live = new LiveConnection();
