/**
 * What the server's protocol (app/realtime/protocol.py, version 1) adds to the generic envelope:
 * the ticket in the subprotocols, epochs of streams, streams joined mid-connection, and the
 * close code for too many sockets.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { httpTicketFetcher } from './environment.ts';
import { CloseCode } from './protocol.ts';
import { createHarness, seqs, settle } from './test-harness.ts';
import { eventFrame } from './testing.ts';

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

const ROOM = 'room:r1';
const OTHER_ROOM = 'room:r2';
const MEETING = 'meeting:m1';

async function connected(streams: string[] = [MEETING, ROOM]) {
  const h = createHarness({ random: () => 0 });
  h.transport.start();
  await settle();
  h.server.latest.handshake(streams);
  await settle();
  return h;
}

describe('the ticket', () => {
  it('rides in the subprotocols, never in the address the server logs', async () => {
    const h = createHarness();
    h.transport.start();
    await settle();
    expect(h.server.latest.protocols).toEqual(['breakouts.v1', 'ticket.ticket-1']);
  });

  it('is asked for the meeting, and the subprotocols the server names are offered', async () => {
    const calls: [string, RequestInit | undefined][] = [];
    const fetchTicket = httpTicketFetcher('m1', (input, init) => {
      calls.push([String(input), init]);
      const body = { ticket: 'abc', expires_in_s: 30, subprotocols: ['breakouts.v1', 'ticket.abc'] };
      return Promise.resolve(new Response(JSON.stringify(body), { status: 201 }));
    });
    await expect(fetchTicket()).resolves.toEqual({ ticket: 'abc', subprotocols: ['breakouts.v1', 'ticket.abc'] });
    expect(calls[0]?.[0]).toBe('/api/realtime/tickets');
    expect(calls[0]?.[1]?.body).toBe('{"meeting_id":"m1"}');
  });
});

describe('epochs', () => {
  it('are remembered from resumed and sent back in the next hello', async () => {
    const h = await connected([ROOM]);
    h.server.latest.receive({ type: 'resumed', stream: ROOM, head: 0, epoch: 3 });
    h.server.latest.receive(eventFrame(ROOM, 1));
    h.server.latest.serverClose(1006);
    await settle();
    const hello = h.server.latest.handshake([ROOM]);
    expect(hello).toEqual({ type: 'hello', protocol: 1, cursors: { [ROOM]: 1 }, epochs: { [ROOM]: 3 } });
  });

  it('a stream reset since the cursor (another epoch) reloads its snapshot', async () => {
    const h = await connected([ROOM]);
    h.server.latest.receive({ type: 'resumed', stream: ROOM, head: 0, epoch: 1 });
    h.server.latest.receive(eventFrame(ROOM, 1));
    h.loadSnapshot.mockClear();
    h.server.latest.serverClose(1006);
    await settle();
    h.server.latest.handshake([ROOM]);
    h.server.latest.receive({ type: 'resumed', stream: ROOM, head: 1, epoch: 2 });
    expect(h.loadSnapshot).toHaveBeenCalledWith(ROOM, 'reset');
  });

  it('resync_required takes the epoch it names', async () => {
    const h = await connected([ROOM]);
    h.server.latest.receive({ type: 'resync_required', stream: ROOM, reason: 'too_old', head: 40, epoch: 2 });
    expect(h.loadSnapshot).toHaveBeenLastCalledWith(ROOM, 'too_old');
    await settle();
    h.server.latest.receive(eventFrame(ROOM, 1));
    h.server.latest.serverClose(1006);
    await settle();
    expect(h.server.latest.handshake([ROOM])['epochs']).toEqual({ [ROOM]: 2 });
  });
});

describe('a stream joined mid-connection (moved to another room)', () => {
  it('loads its snapshot on resumed, holding its events until then', async () => {
    const h = await connected([MEETING, ROOM]);
    h.loadSnapshot.mockImplementation(() => Promise.resolve(5));
    h.server.latest.receive({ type: 'resumed', stream: OTHER_ROOM, head: 5, epoch: 1 });
    expect(h.loadSnapshot).toHaveBeenCalledWith(OTHER_ROOM, 'new_stream');
    h.server.latest.receive(eventFrame(OTHER_ROOM, 6));
    expect(seqs(h.events)).toEqual([]);
    await settle();
    expect(seqs(h.events)).toEqual([6]);
    expect(h.transport.cursors()[OTHER_ROOM]).toBe(6);
  });
});

describe('too many sockets (4429)', () => {
  it('waits the long policy delay before trying again', async () => {
    const h = await connected([ROOM]);
    h.server.latest.serverClose(CloseCode.TOO_MANY_CONNECTIONS);
    // As after 1008: at least 15 s (here the jitter is 0), not the usual half a second.
    await vi.advanceTimersByTimeAsync(14_900);
    expect(h.tickets.issued).toBe(1);
    await vi.advanceTimersByTimeAsync(200);
    expect(h.tickets.issued).toBe(2);
  });
});
