/**
 * Pure helpers of the organiser's plenary curation: which groups a question has, and the
 * requests for accepting, renaming, splitting and merging them. No Svelte, no network.
 */
import type { GroupAccept, GroupMember, GroupSplit, GroupUpdate, PlenaryGroup, PlenaryRead, PointTheme, ThemeRename } from '../../api/generated.ts';

export interface CurationQuestion {
  id: string;
  code: string;
  text: string;
  theme: string;
  groups: PlenaryGroup[];
  pointThemes: PointTheme[];
  /** Answers and confirmed findings in no group, room by room. */
  ungrouped: GroupMember[];
}

/** Every question of every theme, in the order the server gives them, with its groups. */
export function curationQuestions(read: PlenaryRead): CurationQuestion[] {
  return read.themes.flatMap((theme) =>
    theme.questions.map((entry) => ({
      id: entry.question.id,
      code: entry.question.code,
      text: entry.question.text,
      theme: theme.theme,
      groups: entry.groups,
      pointThemes: entry.point_themes,
      ungrouped: entry.ungrouped ?? [],
    })),
  );
}

/** The member keys as a non-empty list, or null when there are none. */
function nonEmpty(keys: readonly string[]): [string, ...string[]] | null {
  const [first, ...rest] = keys;
  return first === undefined ? null : [first, ...rest];
}

/** A cleaned label: trimmed, null when nothing is left. */
export function cleanLabel(label: string): string | null {
  const trimmed = label.trim();
  return trimmed === '' ? null : trimmed.slice(0, 300);
}

/**
 * Accepting a computed group keeps its members together, optionally renamed or pinned, in its
 * theme (by name) unless another is given (null: outside any theme).
 */
export function acceptRequest(
  group: PlenaryGroup,
  extra: { label?: string | null; pinned?: boolean; themeLabel?: string | null } = {},
): GroupAccept | null {
  const keys = nonEmpty(group.members.map((member) => member.key));
  if (!keys) return null;
  const body: GroupAccept = { question_id: group.question_id, keys };
  if (extra.label) body.label = extra.label;
  if (extra.pinned !== undefined) body.pinned = extra.pinned;
  const theme = extra.themeLabel === undefined ? group.theme_label : extra.themeLabel;
  if (theme) body.theme_label = theme;
  return body;
}

/**
 * Moving a group to the theme of this name (null: outside any theme): a curated group is
 * updated, a computed one accepted into it. Null when it is already there.
 */
export function moveRequest(
  group: PlenaryGroup,
  themeLabel: string | null,
): { kind: 'update'; body: GroupUpdate } | { kind: 'accept'; body: GroupAccept } | null {
  const target = themeLabel === null ? null : cleanLabel(themeLabel);
  if (themeLabel !== null && target === null) return null;
  if (target === group.theme_label || (target === null && group.theme_id === null)) return null;
  if (group.curated) return { kind: 'update', body: { theme_label: target } };
  const body = acceptRequest(group, { themeLabel: target });
  return body ? { kind: 'accept', body } : null;
}

/** Naming a theme; null when the name is blank or unchanged. */
export function themeRenameRequest(questionId: string, theme: PointTheme, label: string): ThemeRename | null {
  const cleaned = cleanLabel(label);
  if (!cleaned || cleaned === theme.label) return null;
  return { question_id: questionId, theme_id: theme.id, label: cleaned };
}

/** A rename: an empty label returns to the computed headline. */
export function renameRequest(label: string): GroupUpdate {
  return { label: cleanLabel(label) };
}

/**
 * Moving the chosen members into a new group. Only keys of the group count, in the group's
 * order; null when none is chosen or all are (a split must leave something behind).
 */
export function splitRequest(group: PlenaryGroup, chosen: ReadonlySet<string>, label = ''): GroupSplit | null {
  const keys = group.members.map((member) => member.key).filter((key) => chosen.has(key));
  if (keys.length === group.members.length) return null;
  const nonEmptyKeys = nonEmpty(keys);
  if (!nonEmptyKeys) return null;
  const body: GroupSplit = { keys: nonEmptyKeys };
  const cleaned = cleanLabel(label);
  if (cleaned) body.label = cleaned;
  return body;
}

/** The other curated groups of the same question, which this one may absorb. */
export function mergeCandidates(groups: readonly PlenaryGroup[], group: PlenaryGroup): PlenaryGroup[] {
  if (!group.curated) return [];
  return groups.filter((other) => other.curated && other.id !== group.id && other.question_id === group.question_id);
}
