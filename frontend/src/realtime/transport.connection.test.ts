import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CloseCode } from './protocol.ts';
import { TicketRefusedError, TransportStoppedError } from './errors.ts';
import { createHarness, settle } from './test-harness.ts';
import { CONNECT_TIMEOUT_MS } from './transport.ts';

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('connecting', () => {
  it('opens the socket with a fresh ticket and says hello before anything else', async () => {
    const h = createHarness();
    h.transport.start();
    expect(h.transport.status).toBe('connecting');
    await settle();
    expect(h.server.latest.url).toBe('ws://breakouts.test/ws?ticket=ticket-1');
    h.server.latest.open();
    expect(h.server.latest.sent).toEqual([{ type: 'hello', protocol: 1, cursors: {} }]);
    h.server.latest.receive({ type: 'welcome', protocol: 1, server_time: 'x', streams: [], heartbeat_s: 20 });
    expect(h.transport.status).toBe('open');
    expect(h.statuses).toEqual(['open']);
  });

  it('fetches a new ticket for every attempt', async () => {
    const h = createHarness({ random: () => 0 });
    h.transport.start();
    await settle();
    h.server.latest.handshake([]);
    h.server.latest.serverClose(CloseCode.TICKET_INVALID, 'ticket expired');
    expect(h.transport.status).toBe('reconnecting');
    await settle();
    expect(h.server.sockets.map((socket) => socket.url)).toEqual([
      'ws://breakouts.test/ws?ticket=ticket-1',
      'ws://breakouts.test/ws?ticket=ticket-2',
    ]);
  });

  it('waits within the full-jitter bound, growing to the 15 s cap', async () => {
    const h = createHarness({ random: () => 0.9999 });
    for (let i = 0; i < 8; i += 1) h.tickets.failNext(new Error('server restarting'));
    h.transport.start();
    for (let i = 0; i < 8; i += 1) await vi.advanceTimersToNextTimerAsync();
    const gaps = h.tickets.calls.slice(1).map((at, i) => at - (h.tickets.calls[i] ?? 0));
    expect(gaps).toEqual([499, 999, 1999, 3999, 7999, 14998, 14998, 14998]);
  });

  it('reconnects exactly after the drawn delay (random 0.5 of 500 ms), not before', async () => {
    const draws = [0.5];
    const h = createHarness({ random: () => draws.shift() ?? 0 });
    h.transport.start();
    await settle();
    h.server.latest.handshake([]);
    h.server.latest.serverClose(1006);
    await vi.advanceTimersByTimeAsync(249);
    expect(h.server.sockets).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(h.server.sockets).toHaveLength(2);
  });

  it('gives up on an attempt that does not reach welcome in time', async () => {
    const h = createHarness({ random: () => 0 });
    h.transport.start();
    await settle();
    h.server.latest.open(); // but the server never says welcome
    await vi.advanceTimersByTimeAsync(CONNECT_TIMEOUT_MS);
    expect(h.server.sockets[0]?.closedByClient).not.toBeNull();
    expect(h.server.sockets).toHaveLength(2);
  });

  it('ignores frames from a socket it has already replaced', async () => {
    const h = createHarness({ random: () => 0 });
    h.transport.start();
    await settle();
    const first = h.server.latest;
    first.handshake(['room:r']);
    await settle();
    first.serverClose(1006);
    await settle();
    first.receive({ type: 'answer.submitted', stream: 'room:r', seq: 1, at: '', data: {} });
    expect(h.events).toEqual([]);
  });

  it('stops when the server speaks another protocol version', async () => {
    const h = createHarness();
    h.transport.start();
    await settle();
    h.server.latest.open();
    h.server.latest.receive({ type: 'welcome', protocol: 2, server_time: '', streams: [], heartbeat_s: 20 });
    expect(h.stops).toEqual(['incompatible']);
  });
});

describe('close codes', () => {
  it('4403 stops for good, reports it, and rejects pending commands', async () => {
    const h = createHarness();
    h.transport.start();
    await settle();
    h.server.latest.handshake([]);
    const pending = h.transport.send({ type: 'answer.submit', id: 'c1' });
    h.server.latest.serverClose(CloseCode.FORBIDDEN, 'forbidden');
    await expect(pending).rejects.toBeInstanceOf(TransportStoppedError);
    expect(h.stops).toEqual(['forbidden']);
    expect(h.transport.status).toBe('offline');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(h.server.sockets).toHaveLength(1);
  });

  it.each([
    [CloseCode.TICKET_INVALID, 'ticket invalid'],
    [CloseCode.TOO_SLOW, 'send queue overflow'],
    [CloseCode.GOING_AWAY, 'server going away'],
    [1006, 'abnormal'],
  ])('%i reconnects and resumes', async (code) => {
    const h = createHarness({ random: () => 0 });
    h.transport.start();
    await settle();
    h.server.latest.handshake(['room:r']);
    await settle();
    h.server.latest.receive({ type: 'x.happened', stream: 'room:r', seq: 1, at: '', data: null });
    h.server.latest.serverClose(code);
    await settle();
    expect(h.server.sockets).toHaveLength(2);
    h.server.latest.open();
    expect(h.server.latest.sent[0]).toEqual({ type: 'hello', protocol: 1, cursors: { 'room:r': 1 } });
  });

  it('1008 (flood) waits longer than any ordinary backoff', async () => {
    const h = createHarness({ random: () => 0 });
    h.transport.start();
    await settle();
    h.server.latest.handshake([]);
    h.server.latest.serverClose(CloseCode.POLICY_VIOLATION, 'too many messages');
    await vi.advanceTimersByTimeAsync(14_999);
    expect(h.server.sockets).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(h.server.sockets).toHaveLength(2);
  });

  it('a refused ticket (401) stops instead of hammering the server', async () => {
    const h = createHarness();
    h.tickets.failNext(new TicketRefusedError('not_authenticated'));
    h.transport.start();
    await settle();
    expect(h.stops).toEqual(['not_authenticated']);
    expect(h.server.sockets).toHaveLength(0);
  });
});

describe('heartbeat', () => {
  it('pings every heartbeat interval and drops a socket silent for two of them', async () => {
    const h = createHarness({ random: () => 0 });
    h.transport.start();
    await settle();
    const socket = h.server.latest;
    socket.handshake([], 20);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(socket.sentOfType('ping')).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(socket.sentOfType('ping')).toHaveLength(2);
    expect(socket.closedByClient).toBeNull();
    await vi.advanceTimersByTimeAsync(20_000);
    expect(socket.closedByClient?.code).toBe(CloseCode.CLIENT_GAVE_UP);
    expect(h.transport.status).toBe('reconnecting');
    await settle();
    expect(h.server.sockets).toHaveLength(2);
  });

  it('keeps a socket that answers its pings', async () => {
    const h = createHarness();
    h.transport.start();
    await settle();
    const socket = h.server.latest;
    socket.handshake([], 20);
    for (let i = 0; i < 10; i += 1) {
      await vi.advanceTimersByTimeAsync(20_000);
      socket.receive({ type: 'pong' });
    }
    expect(socket.sentOfType('ping')).toHaveLength(10);
    expect(socket.closedByClient).toBeNull();
    expect(h.server.sockets).toHaveLength(1);
  });
});

describe('online and offline', () => {
  it('goes offline with the browser, without retrying, and reconnects at once when it returns', async () => {
    const h = createHarness();
    h.transport.start();
    await settle();
    h.server.latest.handshake([]);
    h.network.set(false);
    expect(h.transport.status).toBe('offline');
    expect(h.server.latest.closedByClient).not.toBeNull();
    await vi.advanceTimersByTimeAsync(120_000);
    expect(h.server.sockets).toHaveLength(1);
    h.network.set(true);
    expect(h.transport.status).toBe('reconnecting');
    await settle();
    expect(h.server.sockets).toHaveLength(2);
  });

  it('does not try while the browser starts offline', async () => {
    const h = createHarness({ online: false });
    h.transport.start();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(h.transport.status).toBe('offline');
    expect(h.tickets.issued).toBe(0);
    h.network.set(true);
    await settle();
    expect(h.server.sockets).toHaveLength(1);
  });
});
