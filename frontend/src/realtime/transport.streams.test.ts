import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHarness, seqs, settle } from './test-harness.ts';
import { deferred, eventFrame } from './testing.ts';

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

const ROOM = 'room:r1';
const MEETING = 'meeting:m1';

/** Started, welcomed to `streams`, and every stream's first snapshot (seq 0) applied. */
async function connected(streams: string[] = [ROOM]) {
  const h = createHarness({ random: () => 0 });
  h.transport.start();
  await settle();
  h.server.latest.handshake(streams);
  await settle();
  return h;
}

describe('durable events', () => {
  it('loads a snapshot for a stream it has no cursor for, then follows from its seq', async () => {
    const h = createHarness({ loadSnapshot: () => Promise.resolve(7) });
    h.transport.start();
    await settle();
    h.server.latest.handshake([MEETING]);
    expect(h.loadSnapshot).toHaveBeenCalledWith(MEETING, 'no_cursor');
    await settle();
    h.server.latest.receive(eventFrame(MEETING, 7));
    h.server.latest.receive(eventFrame(MEETING, 8));
    expect(seqs(h.events)).toEqual([8]);
    expect(h.transport.cursors()).toEqual({ [MEETING]: 8 });
  });

  it('drops duplicates', async () => {
    const h = await connected();
    for (const seq of [1, 2, 2, 1, 3, 3]) h.server.latest.receive(eventFrame(ROOM, seq));
    expect(seqs(h.events)).toEqual([1, 2, 3]);
  });

  it('keeps a cursor per stream', async () => {
    const h = await connected([MEETING, ROOM]);
    h.server.latest.receive(eventFrame(ROOM, 1));
    h.server.latest.receive(eventFrame(MEETING, 1));
    h.server.latest.receive(eventFrame(ROOM, 2));
    expect(h.transport.cursors()).toEqual({ [MEETING]: 1, [ROOM]: 2 });
  });

  it('resumes with its cursors after a drop and ignores replayed overlap', async () => {
    const h = await connected([MEETING, ROOM]);
    for (const seq of [1, 2, 3]) h.server.latest.receive(eventFrame(ROOM, seq));
    h.server.latest.receive(eventFrame(MEETING, 1));
    h.server.latest.serverClose(1006);
    await settle();
    const hello = h.server.latest.handshake([MEETING, ROOM]);
    expect(hello).toEqual({ type: 'hello', protocol: 1, cursors: { [ROOM]: 3, [MEETING]: 1 } });
    // The server replays from the cursor; an overlapping frame is harmless.
    for (const seq of [3, 4, 5]) h.server.latest.receive(eventFrame(ROOM, seq));
    h.server.latest.receive({ type: 'resumed', stream: ROOM, head: 5 });
    h.server.latest.receive({ type: 'resumed', stream: MEETING, head: 1 });
    expect(seqs(h.events)).toEqual([1, 2, 3, 1, 4, 5]);
    expect(h.loadSnapshot).toHaveBeenCalledTimes(2); // only the first ones
  });

  it('treats a gap like a resync: reloads, holds later events, applies only what the snapshot lacks', async () => {
    const snapshot = deferred<number | null>();
    const h = await connected();
    h.loadSnapshot.mockImplementation(() => snapshot.promise);
    h.server.latest.receive(eventFrame(ROOM, 1));
    h.server.latest.receive(eventFrame(ROOM, 3)); // 2 is missing
    expect(h.loadSnapshot).toHaveBeenLastCalledWith(ROOM, 'gap');
    h.server.latest.receive(eventFrame(ROOM, 4));
    h.server.latest.receive(eventFrame(ROOM, 5));
    expect(seqs(h.events)).toEqual([1]);
    snapshot.resolve(4); // the snapshot already reflects 2, 3 and 4
    await settle();
    expect(seqs(h.events)).toEqual([1, 5]);
    expect(h.transport.cursors()).toEqual({ [ROOM]: 5 });
  });

  it('on resync_required restarts the cursor from the snapshot seq', async () => {
    const h = await connected();
    h.server.latest.receive(eventFrame(ROOM, 1));
    h.loadSnapshot.mockResolvedValue(40);
    h.server.latest.receive({ type: 'resync_required', stream: ROOM, reason: 'cursor_too_old' });
    expect(h.loadSnapshot).toHaveBeenLastCalledWith(ROOM, 'cursor_too_old');
    await settle();
    h.server.latest.receive(eventFrame(ROOM, 41));
    expect(seqs(h.events)).toEqual([1, 41]);
    h.server.latest.serverClose(1006);
    await settle();
    expect(h.server.latest.handshake([ROOM])['cursors']).toEqual({ [ROOM]: 41 });
  });

  it('reloads when resumed reports a head beyond what was replayed', async () => {
    const h = await connected();
    h.server.latest.receive(eventFrame(ROOM, 1));
    h.server.latest.receive({ type: 'resumed', stream: ROOM, head: 3 });
    expect(h.loadSnapshot).toHaveBeenLastCalledWith(ROOM, 'behind_head');
  });

  it('asks for one snapshot per stream at a time', async () => {
    const snapshot = deferred<number | null>();
    const h = await connected();
    h.loadSnapshot.mockImplementation(() => snapshot.promise);
    h.server.latest.receive({ type: 'resync_required', stream: ROOM, reason: 'reset' });
    h.server.latest.receive({ type: 'resync_required', stream: ROOM, reason: 'reset' });
    h.server.latest.receive(eventFrame(ROOM, 9));
    expect(h.loadSnapshot).toHaveBeenCalledTimes(2); // the first (no_cursor) and this one
  });

  it('retries a snapshot that failed to load, keeping held events', async () => {
    const h = await connected();
    h.loadSnapshot.mockRejectedValueOnce(new Error('network')).mockResolvedValueOnce(2);
    h.server.latest.receive({ type: 'resync_required', stream: ROOM, reason: 'reset' });
    h.server.latest.receive(eventFrame(ROOM, 3));
    await vi.advanceTimersByTimeAsync(3_000);
    expect(seqs(h.events)).toEqual([3]);
  });

  it('takes the next event as the baseline when a snapshot has no position', async () => {
    const h = createHarness({ loadSnapshot: () => Promise.resolve(null) });
    h.transport.start();
    await settle();
    h.server.latest.handshake([ROOM]);
    await settle();
    h.server.latest.receive(eventFrame(ROOM, 12));
    h.server.latest.receive(eventFrame(ROOM, 13));
    expect(seqs(h.events)).toEqual([12, 13]);
  });

  it('tells of a stream the server begins sending after the welcome, also one it sent before', async () => {
    const h = await connected([MEETING, ROOM]);
    const joined: string[] = [];
    h.transport.on('joined', (stream) => joined.push(stream));
    h.server.latest.receive({ type: 'resumed', stream: MEETING, head: 0 });
    h.server.latest.receive({ type: 'resumed', stream: ROOM, head: 0 });
    expect(joined).toEqual([]); // the welcome's own streams
    h.server.latest.receive(eventFrame(ROOM, 1)); // moved out of the room …
    h.server.latest.receive({ type: 'resumed', stream: 'room:r2', head: 6 }); // … into another
    expect(joined).toEqual(['room:r2']);
    expect(h.loadSnapshot).toHaveBeenLastCalledWith('room:r2', 'new_stream');
    expect(h.transport.streams).toEqual([MEETING, ROOM, 'room:r2']);
    await settle();
    // Back to the first room, where nothing happened meanwhile: the state kept is current.
    h.server.latest.receive({ type: 'resumed', stream: ROOM, head: 1 });
    expect(joined).toEqual(['room:r2', ROOM]);
    expect(h.loadSnapshot).not.toHaveBeenCalledWith(ROOM, 'behind_head');
    // Back again after something did happen there: reloaded.
    h.server.latest.receive({ type: 'resumed', stream: 'room:r2', head: 9 });
    expect(h.loadSnapshot).toHaveBeenLastCalledWith('room:r2', 'behind_head');
  });

  it('reports held events that the snapshot already reflects as covered, not as events', async () => {
    const snapshot = deferred<number | null>();
    const h = await connected();
    const covered: number[] = [];
    h.transport.on('covered', (event) => covered.push(event.seq));
    h.loadSnapshot.mockImplementation(() => snapshot.promise);
    h.server.latest.receive({ type: 'resync_required', stream: ROOM, reason: 'reset' });
    for (const seq of [3, 4, 5]) h.server.latest.receive(eventFrame(ROOM, seq));
    snapshot.resolve(4);
    await settle();
    expect(covered).toEqual([3, 4]);
    expect(seqs(h.events)).toEqual([5]);
  });

  it('forgets the cursor of a stream it no longer receives', async () => {
    const h = await connected([MEETING, ROOM]);
    h.server.latest.receive(eventFrame(ROOM, 1));
    h.server.latest.serverClose(1006);
    await settle();
    h.server.latest.handshake([MEETING, 'room:r2']);
    expect(h.transport.cursors()).toEqual({ [MEETING]: 0 });
  });
});

describe('ephemeral frames', () => {
  it('passes frames without stream and seq straight through, and drops what is not a frame', async () => {
    const h = await connected();
    h.server.latest.receive({ type: 'presence.changed', online: 12 });
    h.server.latest.receiveRaw('not json');
    h.server.latest.receiveRaw('{"no":"type"}');
    expect(h.ephemeral).toEqual([{ type: 'presence.changed', online: 12 }]);
    expect(h.events).toEqual([]);
  });
});
