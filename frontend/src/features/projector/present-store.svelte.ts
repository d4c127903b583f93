/**
 * The projector link's live state: the meeting stream (the one stream a projector follows), kept
 * current by the same reducer as everyone's, and each room's current question with its results,
 * read through the link. The link is the credential: no session, no commands. A revoked link (404
 * on its reads, a ticket refused, or the socket closed with 4403) ends in `revoked`.
 */
import { projector } from '../../api/endpoints.ts';
import type { ProjectorRead, ProjectorRoomQuestion } from '../../api/generated.ts';
import { ApiError } from '../../api/http.ts';
import type { ClientCommand, MeetingStreamState, ServerEvent } from '../../protocol/index.ts';
import { browserSocketFactory, socketUrl, type Ticket } from '../../realtime/environment.ts';
import { TicketRefusedError } from '../../realtime/errors.ts';
import type { EphemeralFrame } from '../../realtime/protocol.ts';
import { Transport } from '../../realtime/transport.ts';
import { reduceMeeting } from '../../state/reducers.ts';

/** How often the rooms' results are read during breakouts: tallies are levels, and the room
 * streams that carry them live also carry names a projector may not receive. */
export const RESULTS_REFRESH_MS = 2000;

export class PresentStore {
  readonly token: string;
  intro = $state.raw<ProjectorRead | null>(null);
  meeting = $state.raw<MeetingStreamState | null>(null);
  questions = $state.raw<readonly ProjectorRoomQuestion[]>([]);
  revoked = $state(false);
  failed = $state(false);

  #transport: Transport<ServerEvent, EphemeralFrame, ClientCommand> | null = null;
  #stopped = false;

  constructor(token: string) {
    this.token = token;
  }

  /** Load, connect and follow; returns the function that stops. */
  start(): () => void {
    void this.#begin();
    return () => {
      this.#stopped = true;
      this.#transport?.stop();
    };
  }

  async refreshQuestions(): Promise<void> {
    try {
      const fresh = await projector.questions(this.token);
      if (!this.#stopped) this.questions = fresh;
    } catch (error) {
      this.#refused(error);
    }
  }

  async #begin(): Promise<void> {
    try {
      this.intro = await projector.get(this.token);
    } catch (error) {
      this.#refused(error);
      if (!this.revoked) this.failed = true;
      return;
    }
    if (this.#stopped) return;
    const transport = new Transport<ServerEvent, EphemeralFrame, ClientCommand>({
      url: () => socketUrl(location),
      fetchTicket: () => this.#ticket(),
      createSocket: browserSocketFactory,
      loadSnapshot: () => this.#snapshot(),
    });
    transport.on('event', (event) => {
      if (this.meeting && event.stream === this.intro?.stream) this.meeting = reduceMeeting(this.meeting, event);
    });
    transport.on('stopped', (reason) => {
      if (reason === 'forbidden') this.revoked = true;
    });
    this.#transport = transport;
    transport.start();
  }

  async #snapshot(): Promise<number | null> {
    const snapshot = await projector.snapshot(this.token);
    if (snapshot.state.kind === 'meeting') this.meeting = snapshot.state;
    return snapshot.seq;
  }

  async #ticket(): Promise<Ticket> {
    const response = await fetch(projector.ticketPath(this.token), {
      method: 'POST',
      credentials: 'omit',
      headers: { accept: 'application/json' },
    });
    if (response.status === 404) throw new TicketRefusedError('forbidden');
    if (!response.ok) throw new Error(`ticket request failed with HTTP ${response.status}`);
    const body = (await response.json()) as { ticket: string; subprotocols: string[] };
    return { ticket: body.ticket, subprotocols: body.subprotocols };
  }

  #refused(error: unknown): void {
    if (error instanceof ApiError && error.status === 404) {
      this.revoked = true;
      this.#transport?.stop();
    }
  }
}
