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

describe('a busy server', () => {
  it('keeps a command refused as busy pending and sends it again, same id, after a backoff', async () => {
    const h = createHarness({ random: () => 0 });
    h.transport.start();
    await settle();
    h.server.latest.handshake([]);
    const result = h.transport.send(submit('c1'));
    h.server.latest.receive({ type: 'error', code: 'busy', message: '64 commands already wait', ref: 'c1' });
    expect(h.transport.pendingIds()).toEqual(['c1']);
    expect(h.server.latest.sentOfType('answer.submit')).toHaveLength(1);

    vi.advanceTimersByTime(124); // half the first backoff step is the least it waits
    expect(h.server.latest.sentOfType('answer.submit')).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(h.server.latest.sentOfType('answer.submit')).toEqual([submit('c1'), submit('c1')]);

    // Busy again: the wait doubles.
    h.server.latest.receive({ type: 'error', code: 'busy', message: 'still busy', ref: 'c1' });
    vi.advanceTimersByTime(249);
    expect(h.server.latest.sentOfType('answer.submit')).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(h.server.latest.sentOfType('answer.submit')).toHaveLength(3);
    h.server.latest.receive({ type: 'ack', ref: 'c1', result: { answer_id: 'a1' } });
    await expect(result).resolves.toEqual({ answer_id: 'a1' });
    expect(h.transport.pendingIds()).toEqual([]);
  });

  it('resends a busy command once after a reconnect, not again when the old timer fires', async () => {
    const h = createHarness({ random: () => 0 });
    h.transport.start();
    await settle();
    const first = h.server.latest;
    first.handshake([]);
    void h.transport.send(submit('c1'));
    first.receive({ type: 'error', code: 'busy', message: 'busy', ref: 'c1' });
    first.serverClose(1006);
    await settle();
    vi.advanceTimersByTime(0);
    await settle();
    const second = h.server.latest;
    second.handshake([]);
    expect(second.sentOfType('answer.submit')).toEqual([submit('c1')]);
    vi.advanceTimersByTime(5_000);
    expect(second.sentOfType('answer.submit')).toEqual([submit('c1')]);
    expect(first.sentOfType('answer.submit')).toEqual([submit('c1')]);
  });

  it('caps the wait at four seconds however long the server stays busy', async () => {
    const h = createHarness({ random: () => 0.999 });
    h.transport.start();
    await settle();
    h.server.latest.handshake([]);
    void h.transport.send(submit('c1'));
    for (let attempt = 0; attempt < 8; attempt += 1) {
      const sent = h.server.latest.sentOfType('answer.submit').length;
      h.server.latest.receive({ type: 'error', code: 'busy', message: 'busy', ref: 'c1' });
      vi.advanceTimersByTime(4_000);
      expect(h.server.latest.sentOfType('answer.submit')).toHaveLength(sent + 1);
    }
  });
});
