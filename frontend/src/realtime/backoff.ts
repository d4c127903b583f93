/** How long to wait before reconnect attempt `attempt` (0 = the first retry after a drop). */
export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
}

/**
 * 500 ms lets a blip heal almost unnoticed; 15 s caps the wait so a participant whose network
 * returns is back within one glance at the phone. Full jitter spreads the reconnects of a whole
 * room after a server restart instead of landing them in one burst.
 */
export const RECONNECT_BACKOFF: BackoffPolicy = { baseMs: 500, capMs: 15_000 };

/** "Full jitter": uniform in [0, min(cap, base · 2^attempt)). */
export function fullJitterDelay(attempt: number, policy: BackoffPolicy, random: () => number): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, attempt));
  return Math.floor(random() * ceiling);
}

/**
 * After a policy close (1008: we sent too much, too fast) wait between one and two caps: longer
 * than any ordinary backoff, so the server's rate window has passed before we knock again.
 */
export function policyViolationDelay(policy: BackoffPolicy, random: () => number): number {
  return policy.capMs + Math.floor(random() * policy.capMs);
}
