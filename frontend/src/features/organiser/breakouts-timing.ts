import type { RosterEntry } from '../../protocol/index.ts';

/** Lengths offered for the close countdown; the server accepts 1–600 s (0 closes at once). */
export const COUNTDOWN_CHOICES_S = [10, 30, 60, 120, 300, 600] as const;
/** Zoom's breakout rooms give people this long to finish a sentence. */
export const DEFAULT_COUNTDOWN_S = 60;
/** What one press of "more time" adds. */
export const EXTEND_BY_S = 60;
/** The server's bounds on a planned duration (`MAX_BREAKOUTS_DURATION_S`), in minutes. */
export const MAX_PLANNED_MINUTES = 12 * 60;

/** The planned duration in seconds from the minutes typed (a number input gives a number, or
 * null when empty); null for none, NaN when out of bounds or not whole. */
export function plannedSeconds(minutes: number | null | undefined): number | null {
  if (minutes === null || minutes === undefined) return null;
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > MAX_PLANNED_MINUTES) return Number.NaN;
  return minutes * 60;
}

/** The participants placed in a room (they go back to plenary when the rooms close) and how many
 * of them have the meeting open now: the ones who will see the countdown and can finish typing. */
export interface RoomHeadcount {
  placed: number;
  online: number;
}

export function peopleInRooms(
  roster: readonly RosterEntry[],
  presence: Readonly<Record<string, { connected: boolean }>>,
): RoomHeadcount {
  const placed = roster.filter((entry) => entry.role === 'participant' && entry.room_id !== null);
  return { placed: placed.length, online: placed.filter((entry) => presence[entry.id]?.connected === true).length };
}

/** The minutes the agenda plans for the rooms about to open: the current item when it is a
 * breakout item, else the next breakout item after it (after the start when none is current);
 * null when the agenda plans none. */
export function agendaPlannedMinutes(
  agenda: readonly { id: string; kind: string; planned_minutes: number; position: number }[],
  currentItemId: string | null,
): number | null {
  const ordered = [...agenda].sort((a, b) => a.position - b.position);
  const current = ordered.findIndex((item) => item.id === currentItemId);
  const planned = ordered.slice(Math.max(current, 0)).find((item) => item.kind === 'breakouts' && item.planned_minutes > 0);
  return planned ? Math.min(planned.planned_minutes, MAX_PLANNED_MINUTES) : null;
}
