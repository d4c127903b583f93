/**
 * A question's groups by theme, as the plenary view, the projector and the curation screen show
 * them: each theme with "raised in n of m rooms" and its groups (points). Pure.
 */
import type { PlenaryGroup, PointTheme, RoomRef } from '../api/generated.ts';

export interface ThemeBlock {
  /** The theme's id; null for the groups outside any theme. */
  id: string | null;
  label: string | null;
  curated: boolean;
  rooms: RoomRef[];
  roomCount: number;
  roomsAnswered: number;
  groups: PlenaryGroup[];
}

/**
 * Themes in the server's order (most rooms first), a theme holding a pinned group first; inside a
 * theme its groups in the server's order (pinned first); the groups outside any theme last.
 */
export function themeBlocks(groups: readonly PlenaryGroup[], themes: readonly PointTheme[]): ThemeBlock[] {
  const blocks: ThemeBlock[] = themes.map((theme) => ({
    id: theme.id,
    label: theme.label,
    curated: theme.curated,
    rooms: theme.rooms,
    roomCount: theme.room_count,
    roomsAnswered: theme.rooms_answered,
    groups: [],
  }));
  const byId = new Map(blocks.map((block) => [block.id, block]));
  const loose: PlenaryGroup[] = [];
  for (const group of groups) {
    const block = group.theme_id ? byId.get(group.theme_id) : undefined;
    if (block) block.groups.push(group);
    else loose.push(group);
  }
  const filled = blocks.filter((block) => block.groups.length > 0);
  const pinnedFirst = [...filled.filter((block) => block.groups.some((g) => g.pinned)), ...filled.filter((block) => !block.groups.some((g) => g.pinned))];
  if (loose.length > 0) {
    const rooms = new Map<string, RoomRef>();
    for (const group of loose) for (const room of group.rooms) if (!rooms.has(room.id)) rooms.set(room.id, room);
    pinnedFirst.push({
      id: null,
      label: null,
      curated: false,
      rooms: [...rooms.values()],
      roomCount: rooms.size,
      roomsAnswered: Math.max(rooms.size, ...loose.map((group) => group.rooms_answered)),
      groups: loose,
    });
  }
  return pinnedFirst;
}

/** The groups in theme order (the order pages are cut from). */
export function groupsByTheme(groups: readonly PlenaryGroup[], themes: readonly PointTheme[]): PlenaryGroup[] {
  return themeBlocks(groups, themes).flatMap((block) => block.groups);
}

/** A page's groups cut into runs of one theme, each run with its theme (for a heading per run). */
export function themeRuns(pageGroups: readonly PlenaryGroup[], blocks: readonly ThemeBlock[]): { theme: ThemeBlock; groups: PlenaryGroup[] }[] {
  const blockOf = new Map<string, ThemeBlock>();
  for (const block of blocks) for (const group of block.groups) blockOf.set(group.id, block);
  const runs: { theme: ThemeBlock; groups: PlenaryGroup[] }[] = [];
  for (const group of pageGroups) {
    const theme = blockOf.get(group.id);
    if (!theme) continue;
    const last = runs.at(-1);
    if (last && last.theme === theme) last.groups.push(group);
    else runs.push({ theme, groups: [group] });
  }
  return runs;
}

/** The names of the themes a group may move to: every other named theme of its question. */
export function otherThemes(blocks: readonly ThemeBlock[], group: PlenaryGroup): string[] {
  const names = blocks.filter((block) => block.id !== null && block.id !== group.theme_id).map((block) => block.label ?? '');
  return [...new Set(names.filter((name) => name !== ''))];
}
