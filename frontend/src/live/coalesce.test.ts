import { describe, expect, it } from 'vitest';
import { deferred, type Deferred } from '../realtime/testing.ts';
import { coalesce } from './coalesce.ts';

describe('coalesce', () => {
  it('runs once more after a burst, not once per trigger', async () => {
    const calls: Deferred<void>[] = [];
    const reload = coalesce(() => {
      const call = deferred<void>();
      calls.push(call);
      return call.promise;
    });
    const first = reload();
    void reload();
    void reload();
    expect(calls).toHaveLength(1);
    calls[0]?.resolve();
    await Promise.resolve();
    await Promise.resolve();
    expect(calls).toHaveLength(2);
    calls[1]?.resolve();
    await first;
    expect(calls).toHaveLength(2);
  });
});
