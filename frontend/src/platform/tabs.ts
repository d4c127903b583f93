/**
 * Messages between one person's tabs of the same browser. What a tab does that the server tells
 * nobody personally (an upvote's event carries only the count, not who voted) reaches the other
 * tabs this way, so their buttons follow. Another device of the same person still learns it on
 * its next load of the room; the server has no per-person stream.
 */
export interface TabChannel<M> {
  post(message: M): void;
  /** Calls `handler` for each message another tab posts; returns the function that stops it. */
  listen(handler: (message: M) => void): () => void;
  close(): void;
}

/** A `BroadcastChannel` of that name, or one that carries nothing where the browser has none. */
export function tabChannel<M>(name: string): TabChannel<M> {
  if (typeof globalThis.BroadcastChannel !== 'function') {
    return {
      post: () => undefined,
      listen: () => () => undefined,
      close: () => undefined,
    };
  }
  const channel = new BroadcastChannel(name);
  return {
    post: (message) => channel.postMessage(message),
    listen: (handler) => {
      const receive = (event: MessageEvent): void => handler(event.data as M);
      channel.addEventListener('message', receive);
      return () => channel.removeEventListener('message', receive);
    },
    close: () => channel.close(),
  };
}
