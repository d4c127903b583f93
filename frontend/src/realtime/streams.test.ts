import { describe, expect, it } from 'vitest';
import type { DurableEvent } from './protocol.ts';
import { StreamCursors } from './streams.ts';
import { deferred, type Deferred } from './testing.ts';

const event = (stream: string, seq: number): DurableEvent => ({ type: 'x.happened', stream, seq, at: '', data: null });

function cursors() {
  const loads: { stream: string; reason: string; reply: Deferred<number | null> }[] = [];
  const delivered: DurableEvent[] = [];
  const streams = new StreamCursors({
    loadSnapshot: (stream, reason) => {
      const reply = deferred<number | null>();
      loads.push({ stream, reason, reply });
      return reply.promise;
    },
    deliver: (e) => delivered.push(e),
    scheduleRetry: (_, retry) => retry(),
  });
  return { streams, loads, delivered };
}

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

describe('StreamCursors', () => {
  it('ignores a snapshot that arrives after its stream was dropped and taken up again', async () => {
    const { streams, loads, delivered } = cursors();
    streams.follow(['room:a']); // load #0
    streams.follow([]); // moved out of the room
    streams.follow(['room:a']); // and back: load #1
    streams.accept(event('room:a', 6));
    loads[0]?.reply.resolve(9); // stale: must not set the cursor or release held events
    await tick();
    expect(delivered).toEqual([]);
    loads[1]?.reply.resolve(5);
    await tick();
    expect(delivered.map((e) => e.seq)).toEqual([6]);
    expect(streams.snapshot()).toEqual({ 'room:a': 6 });
  });

  it('retries a failed snapshot for the same stream and reason', async () => {
    const { streams, loads } = cursors();
    streams.resync('meeting:m', 'reset');
    loads[0]?.reply.reject(new Error('offline'));
    await tick();
    expect(loads.map((load) => [load.stream, load.reason])).toEqual([
      ['meeting:m', 'reset'],
      ['meeting:m', 'reset'],
    ]);
  });

  it('stops loading once closed', async () => {
    const { streams, loads, delivered } = cursors();
    streams.resync('meeting:m', 'reset');
    streams.accept(event('meeting:m', 1));
    streams.close();
    loads[0]?.reply.resolve(0);
    await tick();
    expect(delivered).toEqual([]);
    streams.resync('meeting:m', 'reset');
    expect(loads).toHaveLength(1);
  });
});
