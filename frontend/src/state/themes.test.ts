import { describe, expect, it } from 'vitest';
import type { PlenaryGroup, PointTheme, RoomRef } from '../api/generated.ts';
import { groupsByTheme, otherThemes, themeBlocks, themeRuns } from './themes.ts';

const room = (id: string): RoomRef => ({ id, name: `Room ${id}`, theme: '' });

function group(id: string, themeId: string | null, rooms: string[], pinned = false): PlenaryGroup {
  return {
    id,
    question_id: 'q',
    label: id,
    renamed: false,
    pinned,
    curated: false,
    rooms: rooms.map(room),
    room_count: rooms.length,
    rooms_answered: 4,
    raised_in: `raised in ${rooms.length} of 4 rooms`,
    members: [],
    theme_id: themeId,
    theme_label: themeId ? `Theme ${themeId}` : null,
    theme_curated: false,
  };
}

function theme(id: string, groupIds: string[], rooms: string[]): PointTheme {
  return {
    id,
    label: `Theme ${id}`,
    curated: false,
    group_ids: groupIds,
    rooms: rooms.map(room),
    room_count: rooms.length,
    rooms_answered: 4,
    raised_in: `raised in ${rooms.length} of 4 rooms`,
  };
}

const groups = [group('g1', 'health', ['1', '2']), group('g2', 'transit', ['1', '3', '4']), group('g3', 'health', ['3']), group('g4', null, ['2'])];
const themes = [theme('health', ['g1', 'g3'], ['1', '2', '3']), theme('transit', ['g2'], ['1', '3', '4'])];

describe('themeBlocks', () => {
  it('holds each theme with its groups and rooms, the groups outside any theme last', () => {
    const blocks = themeBlocks(groups, themes);

    expect(blocks.map((block) => [block.label, block.groups.map((g) => g.id), block.roomCount])).toEqual([
      ['Theme health', ['g1', 'g3'], 3],
      ['Theme transit', ['g2'], 3],
      [null, ['g4'], 1],
    ]);
  });

  it('puts a theme holding a pinned group first', () => {
    const pinned = [group('g1', 'health', ['1']), group('g2', 'transit', ['1'], true)];

    expect(themeBlocks(pinned, themes).map((block) => block.id)).toEqual(['transit', 'health']);
  });

  it('leaves out a theme with no group shown', () => {
    expect(themeBlocks([group('g2', 'transit', ['1'])], themes).map((block) => block.id)).toEqual(['transit']);
  });
});

describe('pages by theme', () => {
  it('orders the groups by theme and cuts a page into runs of one theme', () => {
    const ordered = groupsByTheme(groups, themes);
    expect(ordered.map((g) => g.id)).toEqual(['g1', 'g3', 'g2', 'g4']);

    const runs = themeRuns(ordered.slice(1, 3), themeBlocks(groups, themes));
    expect(runs.map((run) => [run.theme.id, run.groups.map((g) => g.id)])).toEqual([
      ['health', ['g3']],
      ['transit', ['g2']],
    ]);
  });
});

describe('otherThemes', () => {
  it('offers every other named theme of the question', () => {
    expect(otherThemes(themeBlocks(groups, themes), groups[0]!)).toEqual(['Theme transit']);
    expect(otherThemes(themeBlocks(groups, themes), groups[3]!)).toEqual(['Theme health', 'Theme transit']);
  });
});
