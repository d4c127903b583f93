/** A minimal typed event emitter: `on` returns the function that unsubscribes. */
export class Emitter<Events extends object> {
  readonly #listeners: { [K in keyof Events]?: Set<(payload: Events[K]) => void> } = {};

  on<K extends keyof Events>(name: K, listener: (payload: Events[K]) => void): () => void {
    const set = (this.#listeners[name] ??= new Set());
    set.add(listener);
    return () => set.delete(listener);
  }

  /**
   * Call every listener. A throwing listener is reported and does not stop the others or the
   * caller: one broken view must not stall delivery to the rest of the page.
   */
  emit<K extends keyof Events>(name: K, payload: Events[K]): void {
    for (const listener of [...(this.#listeners[name] ?? [])]) {
      try {
        listener(payload);
      } catch (error) {
        console.error(`listener for "${String(name)}" failed`, error);
      }
    }
  }
}
