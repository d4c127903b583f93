/** A transport wired to fakes, with everything it emits recorded. For tests only. */
import { vi } from 'vitest';
import type { Command, DurableEvent, EphemeralFrame } from './protocol.ts';
import { FakeNetwork, FakeSocketServer, FakeTickets } from './testing.ts';
import { Transport, type ConnectionStatus, type SnapshotLoader } from './transport.ts';
import type { StopReason } from './errors.ts';

export interface HarnessOptions {
  online?: boolean;
  random?: () => number;
  /** Default: every snapshot reflects seq 0. */
  loadSnapshot?: SnapshotLoader;
}

export function createHarness(options: HarnessOptions = {}) {
  const server = new FakeSocketServer();
  const tickets = new FakeTickets();
  const network = new FakeNetwork(options.online ?? true);
  const loadSnapshot = vi.fn<SnapshotLoader>(options.loadSnapshot ?? (() => Promise.resolve(0)));
  const transport = new Transport<DurableEvent, EphemeralFrame, Command>({
    url: (ticket) => `ws://breakouts.test/ws?ticket=${ticket.ticket}`,
    fetchTicket: tickets.fetch,
    createSocket: server.factory,
    loadSnapshot,
    network,
    random: options.random ?? (() => 0.5),
  });
  const events: DurableEvent[] = [];
  const ephemeral: EphemeralFrame[] = [];
  const statuses: ConnectionStatus[] = [];
  const stops: StopReason[] = [];
  transport.on('event', (event) => events.push(event));
  transport.on('ephemeral', (frame) => ephemeral.push(frame));
  transport.on('status', (status) => statuses.push(status));
  transport.on('stopped', (reason) => stops.push(reason));
  return { server, tickets, network, loadSnapshot, transport, events, ephemeral, statuses, stops };
}

/**
 * Let pending promise callbacks run (ticket fetches, snapshot loads) and zero-delay timers fire.
 * Like Node and browsers, the fake clock runs a 0 ms timeout after 1 ms.
 */
export async function settle(): Promise<void> {
  await vi.advanceTimersByTimeAsync(1);
}

export const seqs = (events: readonly DurableEvent[]): number[] => events.map((event) => event.seq);
