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
 * A command the server refused with `busy` (its queue for this socket was full; the command did
 * nothing) is sent again, same id, after this: a quarter second lets the commands ahead of it be
 * written; the cap keeps a long-busy server from hearing the same command more than every 4 s.
 */
export const BUSY_RETRY_BACKOFF: BackoffPolicy = { baseMs: 250, capMs: 4_000 };

/** "Equal jitter": uniform in [c/2, c) for c = min(cap, base · 2^attempt): never at once. */
export function equalJitterDelay(attempt: number, policy: BackoffPolicy, random: () => number): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, attempt));
  return Math.floor(ceiling / 2 + random() * (ceiling / 2));
}

/**
 * After a policy close (1008: we sent too much, too fast) wait between one and two caps: longer
 * than any ordinary backoff, so the server's rate window has passed before we knock again.
 */
export function policyViolationDelay(policy: BackoffPolicy, random: () => number): number {
  return policy.capMs + Math.floor(random() * policy.capMs);
}
