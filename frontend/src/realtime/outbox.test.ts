import { afterEach, describe, expect, it, vi } from 'vitest';
import { MemoryStorage } from '../platform/storage.ts';
import { CommandError, TransportStoppedError } from './errors.ts';
import { Outbox, type CommandSender } from './outbox.ts';
import type { Command } from './protocol.ts';
import { createHarness, settle } from './test-harness.ts';
import { deferred, type Deferred } from './testing.ts';

interface AnswerSubmit extends Command {
  type: 'answer.submit';
  question_id: string;
  text: string;
}

const KEY = 'breakouts.outbox.v1:participant-1';
const answer = (id: string, text = 'বাল্যবিবাহ বন্ধ করতে হবে'): AnswerSubmit => ({
  type: 'answer.submit',
  id,
  question_id: 'q1',
  text,
});

/** A sender whose every send waits for the test to answer it. */
class FakeSender implements CommandSender<AnswerSubmit> {
  readonly sent: { command: AnswerSubmit; reply: Deferred<unknown> }[] = [];

  send(command: AnswerSubmit): Promise<unknown> {
    const reply = deferred<unknown>();
    this.sent.push({ command, reply });
    return reply.promise;
  }

  ids(): string[] {
    return this.sent.map((entry) => entry.command.id);
  }

  reply(index: number): Deferred<unknown> {
    const entry = this.sent[index];
    if (!entry) throw new Error(`nothing was sent at ${index}`);
    return entry.reply;
  }
}

class FullStorage extends MemoryStorage {
  override setItem(): void {
    throw new DOMException('quota exceeded', 'QuotaExceededError');
  }
}

function outbox(storage = new MemoryStorage(), sender = new FakeSender()) {
  const rejected: [AnswerSubmit, CommandError][] = [];
  const accepted: [AnswerSubmit, unknown][] = [];
  const box = new Outbox<AnswerSubmit>({
    storage,
    storageKey: KEY,
    sender,
    now: () => new Date('2025-03-01T10:00:00Z'),
    onRejected: (command, error) => rejected.push([command, error]),
    onAccepted: (command, result) => accepted.push([command, result]),
  });
  return { box, storage, sender, rejected, accepted };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('outbox', () => {
  it('stores a command before sending it and removes it on ack', async () => {
    const { box, storage, sender } = outbox();
    const acked = box.enqueue(answer('a1'));
    expect(JSON.parse(storage.getItem(KEY) ?? 'null')).toEqual({
      version: 1,
      entries: [{ command: answer('a1'), queuedAt: '2025-03-01T10:00:00.000Z' }],
    });
    expect(sender.ids()).toEqual(['a1']);
    sender.reply(0).resolve({ answer_id: 'x' });
    await expect(acked).resolves.toEqual({ answer_id: 'x' });
    expect(box.entries()).toEqual([]);
    expect(storage.getItem(KEY)).toBeNull();
  });

  it('survives a reload: the next page sends the stored command once, with the same id', async () => {
    const storage = new MemoryStorage();
    const before = outbox(storage);
    void before.box.enqueue(answer('a1')).catch(() => undefined);
    before.sender.reply(0).reject(new TransportStoppedError('stopped')); // the page closed

    await settle_();
    const after = outbox(storage);
    after.box.flush();
    after.box.flush(); // a second flush while in flight sends nothing new
    expect(after.sender.ids()).toEqual(['a1']);
    expect(after.sender.sent[0]?.command).toEqual(answer('a1'));
    after.sender.reply(0).resolve({ id: 'answer-9' });
    await settle_();
    expect(after.box.entries()).toEqual([]);
    // The page after the reload learns the answer is its own, though it never awaited the send.
    expect(after.accepted).toEqual([[answer('a1'), { id: 'answer-9' }]]);
  });

  it('keeps a command the transport could not deliver, for the next flush', async () => {
    const { box, sender } = outbox();
    const first = box.enqueue(answer('a1'));
    sender.reply(0).reject(new TransportStoppedError('forbidden'));
    await expect(first).rejects.toBeInstanceOf(TransportStoppedError);
    expect(box.entries().map((entry) => entry.command.id)).toEqual(['a1']);
    box.flush();
    expect(sender.ids()).toEqual(['a1', 'a1']);
  });

  it('drops a command the server refused and hands it back to the app', async () => {
    const { box, sender, rejected } = outbox();
    const result = box.enqueue(answer('a1'));
    const refusal = new CommandError('question_closed', 'the question is closed', 'a1');
    sender.reply(0).reject(refusal);
    await expect(result).rejects.toBe(refusal);
    expect(box.entries()).toEqual([]);
    expect(rejected).toEqual([[answer('a1'), refusal]]);
  });

  it('keeps sending when storage is full, holding entries in memory', async () => {
    const { box, sender } = outbox(new FullStorage());
    const acked = box.enqueue(answer('a1'));
    expect(box.entries().map((entry) => entry.command.id)).toEqual(['a1']);
    sender.reply(0).resolve(1);
    await acked;
    expect(box.entries()).toEqual([]);
  });

  it('reads unreadable storage as empty', () => {
    const storage = new MemoryStorage();
    storage.setItem(KEY, '{"version":1,"entries":[{"command":{"type":"answer.submit"}}]');
    expect(outbox(storage).box.entries()).toEqual([]);
    storage.setItem(KEY, JSON.stringify({ version: 1, entries: [{ command: { id: 1 }, queuedAt: '' }] }));
    expect(outbox(storage).box.entries()).toEqual([]);
  });

  it('does not overwrite what another tab stored meanwhile', () => {
    const storage = new MemoryStorage();
    const tabA = outbox(storage);
    const tabB = outbox(storage);
    void tabA.box.enqueue(answer('a1'));
    void tabB.box.enqueue(answer('b1'));
    expect(tabA.box.entries().map((entry) => entry.command.id)).toEqual(['a1', 'b1']);
  });

  it('tells subscribers how many commands wait', () => {
    const { box } = outbox();
    const counts: number[] = [];
    box.subscribe((entries) => counts.push(entries.length));
    void box.enqueue(answer('a1'));
    void box.enqueue(answer('a2'));
    expect(counts).toEqual([1, 2]);
  });
});

describe('outbox over the transport', () => {
  it('an answer typed offline is sent when the connection returns, exactly once', async () => {
    vi.useFakeTimers();
    const h = createHarness({ online: false, random: () => 0 });
    const storage = new MemoryStorage();
    const box = new Outbox<AnswerSubmit>({ storage, storageKey: KEY, sender: h.transport });
    h.transport.start();
    const acked = box.enqueue(answer('a1', 'typed on the bus'));
    expect(box.entries()).toHaveLength(1);

    h.network.set(true);
    await settle();
    h.server.latest.handshake([]);
    expect(h.server.latest.sentOfType('answer.submit')).toEqual([answer('a1', 'typed on the bus')]);

    // The socket drops before the ack arrives: the same id goes out again after the reconnect.
    h.server.latest.serverClose(1006);
    await settle();
    h.server.latest.handshake([]);
    expect(h.server.latest.sentOfType('answer.submit')).toEqual([answer('a1', 'typed on the bus')]);
    expect(box.entries()).toHaveLength(1);

    h.server.latest.receive({ type: 'ack', ref: 'a1', result: { answer_id: 'srv-1' } });
    await expect(acked).resolves.toEqual({ answer_id: 'srv-1' });
    expect(box.entries()).toEqual([]);
    const allSends = h.server.sockets.flatMap((socket) => socket.sentOfType('answer.submit'));
    expect(allSends.map((frame) => frame['id'])).toEqual(['a1', 'a1']);
  });
});

/** Let promise callbacks run (real timers). */
function settle_(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
