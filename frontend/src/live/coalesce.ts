/**
 * Wrap an async reload so bursts of triggers cost at most one call in flight plus one queued:
 * a trigger during a call schedules exactly one more call after it, which sees every change.
 */
export function coalesce(run: () => Promise<void>): () => Promise<void> {
  let inFlight: Promise<void> | null = null;
  let again = false;

  const trigger = (): Promise<void> => {
    if (inFlight) {
      again = true;
      return inFlight;
    }
    inFlight = (async () => {
      try {
        do {
          again = false;
          await run();
        } while (again);
      } finally {
        inFlight = null;
      }
    })();
    return inFlight;
  };
  return trigger;
}
