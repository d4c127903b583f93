import { describe, expect, it } from 'vitest';
import { fullJitterDelay, policyViolationDelay, RECONNECT_BACKOFF } from './backoff.ts';

describe('full jitter backoff', () => {
  it('stays within [0, min(cap, base * 2^attempt))', () => {
    for (let attempt = 0; attempt < 40; attempt += 1) {
      const ceiling = Math.min(15_000, 500 * 2 ** attempt);
      expect(fullJitterDelay(attempt, RECONNECT_BACKOFF, () => 0)).toBe(0);
      const highest = fullJitterDelay(attempt, RECONNECT_BACKOFF, () => 0.999_999);
      expect(highest).toBeLessThan(ceiling);
      expect(highest).toBeGreaterThanOrEqual(ceiling - 1);
    }
  });

  it('spreads with the random draw', () => {
    expect(fullJitterDelay(3, RECONNECT_BACKOFF, () => 0.25)).toBe(1_000);
  });

  it('after a policy close waits between one and two caps', () => {
    expect(policyViolationDelay(RECONNECT_BACKOFF, () => 0)).toBe(15_000);
    expect(policyViolationDelay(RECONNECT_BACKOFF, () => 0.999_999)).toBeLessThan(30_000);
  });
});
