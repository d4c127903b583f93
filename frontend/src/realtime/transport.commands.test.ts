import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CommandError } from './errors.ts';
import { createHarness, settle } from './test-harness.ts';

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

const submit = (id: string) => ({ type: 'answer.submit', id, question_id: 'q1', text: 'জল' });

describe('commands', () => {
  it('resolves with the ack result', async () => {
    const h = createHarness();
    h.transport.start();
    await settle();
    h.server.latest.handshake([]);
    const result = h.transport.send(submit('c1'));
    expect(h.server.latest.sentOfType('answer.submit')).toEqual([submit('c1')]);
    h.server.latest.receive({ type: 'ack', ref: 'c1', result: { answer_id: 'a1' } });
    await expect(result).resolves.toEqual({ answer_id: 'a1' });
    expect(h.transport.pendingIds()).toEqual([]);
  });

  it('rejects with the server error, and never resends a refused command', async () => {
    const h = createHarness({ random: () => 0 });
    h.transport.start();
    await settle();
    h.server.latest.handshake([]);
    const result = h.transport.send(submit('c1'));
    h.server.latest.receive({ type: 'error', code: 'question_closed', message: 'closed', ref: 'c1' });
    await expect(result).rejects.toEqual(new CommandError('question_closed', 'closed', 'c1'));
    h.server.latest.serverClose(1006);
    await settle();
    h.server.latest.handshake([]);
    expect(h.server.latest.sentOfType('answer.submit')).toEqual([]);
  });

  it('holds commands until welcome, then sends them after hello', async () => {
    const h = createHarness();
    const result = h.transport.send(submit('c1'));
    h.transport.start();
    await settle();
    h.server.latest.open();
    expect(h.server.latest.sent.map((frame) => frame['type'])).toEqual(['hello']);
    h.server.latest.receive({ type: 'welcome', protocol: 1, server_time: '', streams: [], heartbeat_s: 20 });
    expect(h.server.latest.sent.map((frame) => frame['type'])).toEqual(['hello', 'answer.submit']);
    h.server.latest.receive({ type: 'ack', ref: 'c1', result: null });
    await expect(result).resolves.toBeNull();
  });

  it('resends unacknowledged commands with the same id after a reconnect, in order', async () => {
    const h = createHarness({ random: () => 0 });
    h.transport.start();
    await settle();
    h.server.latest.handshake([]);
    const first = h.transport.send(submit('c1'));
    const second = h.transport.send(submit('c2'));
    h.server.latest.serverClose(1006); // the acks were lost with the socket
    const third = h.transport.send(submit('c3')); // typed while reconnecting
    await settle();
    h.server.latest.handshake([]);
    expect(h.server.latest.sentOfType('answer.submit')).toEqual([submit('c1'), submit('c2'), submit('c3')]);
    for (const id of ['c1', 'c2', 'c3']) h.server.latest.receive({ type: 'ack', ref: id, result: id });
    await expect(Promise.all([first, second, third])).resolves.toEqual(['c1', 'c2', 'c3']);
  });

  it('sends a repeated id once and answers both callers', async () => {
    const h = createHarness();
    h.transport.start();
    await settle();
    h.server.latest.handshake([]);
    const a = h.transport.send(submit('c1'));
    const b = h.transport.send(submit('c1'));
    expect(h.server.latest.sentOfType('answer.submit')).toHaveLength(1);
    h.server.latest.receive({ type: 'ack', ref: 'c1', result: 1 });
    await expect(Promise.all([a, b])).resolves.toEqual([1, 1]);
  });

  it('reports an error frame that answers no command', async () => {
    const h = createHarness();
    const errors: unknown[] = [];
    h.transport.on('error', (frame) => errors.push(frame));
    h.transport.start();
    await settle();
    h.server.latest.handshake([]);
    h.server.latest.receive({ type: 'error', code: 'bad_frame', message: 'unknown type', ref: null });
    expect(errors).toEqual([{ type: 'error', code: 'bad_frame', message: 'unknown type', ref: null }]);
  });

  it('rejects commands after stop', async () => {
    const h = createHarness();
    h.transport.start();
    h.transport.stop();
    await expect(h.transport.send(submit('c9'))).rejects.toThrow('transport stopped: stopped');
  });
});
