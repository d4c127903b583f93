/** A shared second-by-second clock for countdowns: one interval for the page, only while read. */
let now = $state(Date.now());
let readers = 0;
let interval: ReturnType<typeof setInterval> | null = null;

/** The current time in ms (reactive: re-read every second by components that use it). */
export function clockNow(): number {
  return now;
}

/** Read the time now rather than at the last tick: a countdown that just appeared starts exact. */
export function refreshClock(): void {
  now = Date.now();
}

/** Keep the clock ticking while the returned function has not been called (use in `$effect`). */
export function useClock(): () => void {
  readers += 1;
  if (interval === null) {
    now = Date.now();
    interval = setInterval(() => (now = Date.now()), 1000);
  }
  return () => {
    readers -= 1;
    if (readers === 0 && interval !== null) {
      clearInterval(interval);
      interval = null;
    }
  };
}
