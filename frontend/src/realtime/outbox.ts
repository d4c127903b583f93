/**
 * The outbox: commands the user must not lose (answers above all) are written to storage before
 * they are sent, and leave storage only when the server has answered them.
 *
 * - `enqueue` stores the command with its client-made id, then hands it to the sender; the
 *   transport keeps resending it with the same id across reconnects until `ack`.
 * - After a reload, `flush` hands every stored command to the (new) sender again, same id.
 *   The server dedupes by id, so however often a command is sent it takes effect exactly once.
 * - `ack` removes it. A server `error` (`CommandError`) also removes it, because resending the same
 *   id cannot change the answer: it is reported through `onRejected` so the text can be shown back
 *   to its author. Any other failure (transport stopped, page closing) keeps it for the next flush.
 *
 * Storage is re-read before every change, so two tabs of one session do not overwrite each other's
 * entries. When storage refuses a write (quota, private mode) the entries are kept in memory and
 * sending goes on; only surviving a reload is lost.
 */
import type { KeyValueStorage } from '../platform/storage.ts';
import { CommandError } from './errors.ts';
import type { Command } from './protocol.ts';

export interface CommandSender<TCommand extends Command> {
  send(command: TCommand): Promise<unknown>;
}

export interface OutboxEntry<TCommand extends Command> {
  command: TCommand;
  /** ISO time the user submitted it: shown as "typed at" while it waits. */
  queuedAt: string;
}

export interface OutboxOptions<TCommand extends Command> {
  storage: KeyValueStorage;
  /** One key per signed-in person, so a shared device never sends someone else's answers. */
  storageKey: string;
  sender: CommandSender<TCommand>;
  now?: () => Date;
  onRejected?: (command: TCommand, error: CommandError) => void;
  /** The server acknowledged `command` (also one sent again after a reload) with `result`. */
  onAccepted?: (command: TCommand, result: unknown) => void;
}

interface StoredOutbox {
  version: 1;
  entries: OutboxEntry<Command>[];
}

export class Outbox<TCommand extends Command> {
  readonly #options: OutboxOptions<TCommand>;
  readonly #inFlight = new Map<string, Promise<unknown>>();
  readonly #listeners = new Set<(entries: readonly OutboxEntry<TCommand>[]) => void>();
  /** What storage refused to keep; merged into every read until a write succeeds. */
  #unsaved: OutboxEntry<TCommand>[] | null = null;

  constructor(options: OutboxOptions<TCommand>) {
    this.#options = options;
  }

  /** Commands stored and not yet answered, oldest first. */
  entries(): readonly OutboxEntry<TCommand>[] {
    return this.#read();
  }

  subscribe(listener: (entries: readonly OutboxEntry<TCommand>[]) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Store, then send. Resolves with the ack result; rejects as `CommandSender.send` does. */
  enqueue(command: TCommand): Promise<unknown> {
    const entries = this.#read();
    if (!entries.some((entry) => entry.command.id === command.id)) {
      const now = this.#options.now?.() ?? new Date();
      this.#write([...entries, { command, queuedAt: now.toISOString() }]);
    }
    return this.#dispatch(command);
  }

  /** Send every stored command not already on its way (call after a reload or a new sender). */
  flush(): void {
    for (const entry of this.#read()) void this.#dispatch(entry.command);
  }

  #dispatch(command: TCommand): Promise<unknown> {
    const inFlight = this.#inFlight.get(command.id);
    if (inFlight) return inFlight;
    const sent = this.#options.sender.send(command).then(
      (result) => {
        this.#inFlight.delete(command.id);
        this.#remove(command.id);
        this.#options.onAccepted?.(command, result);
        return result;
      },
      (error: unknown) => {
        this.#inFlight.delete(command.id);
        if (error instanceof CommandError) {
          this.#remove(command.id);
          this.#options.onRejected?.(command, error);
        }
        throw error;
      },
    );
    this.#inFlight.set(command.id, sent);
    // The caller of `enqueue` may await this; `flush` does not. Either way, no unhandled rejection.
    sent.catch(() => undefined);
    return sent;
  }

  #remove(id: string): void {
    const entries = this.#read();
    const kept = entries.filter((entry) => entry.command.id !== id);
    if (kept.length !== entries.length) this.#write(kept);
  }

  #read(): OutboxEntry<TCommand>[] {
    const stored = parseStored(this.#safeGet());
    if (this.#unsaved === null) return stored as OutboxEntry<TCommand>[];
    const ids = new Set(stored.map((entry) => entry.command.id));
    return [...(stored as OutboxEntry<TCommand>[]), ...this.#unsaved.filter((entry) => !ids.has(entry.command.id))];
  }

  #write(entries: OutboxEntry<TCommand>[]): void {
    const { storage, storageKey } = this.#options;
    try {
      if (entries.length === 0) storage.removeItem(storageKey);
      else storage.setItem(storageKey, JSON.stringify({ version: 1, entries } satisfies StoredOutbox));
      this.#unsaved = null;
    } catch {
      this.#unsaved = entries;
    }
    for (const listener of [...this.#listeners]) listener(entries);
  }

  #safeGet(): string | null {
    try {
      return this.#options.storage.getItem(this.#options.storageKey);
    } catch {
      return null;
    }
  }
}

function isEntry(value: unknown): value is OutboxEntry<Command> {
  if (typeof value !== 'object' || value === null) return false;
  const { command, queuedAt } = value as Partial<Record<keyof OutboxEntry<Command>, unknown>>;
  return (
    typeof queuedAt === 'string' &&
    typeof command === 'object' &&
    command !== null &&
    typeof (command as Partial<Command>).type === 'string' &&
    typeof (command as Partial<Command>).id === 'string'
  );
}

/** The stored entries; anything unreadable (another version, hand-edited) counts as empty. */
function parseStored(text: string | null): OutboxEntry<Command>[] {
  if (text === null) return [];
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null) return [];
    const { version, entries } = parsed as Partial<Record<keyof StoredOutbox, unknown>>;
    if (version !== 1 || !Array.isArray(entries)) return [];
    return entries.filter(isEntry);
  } catch {
    return [];
  }
}
