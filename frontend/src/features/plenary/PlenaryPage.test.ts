import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import type { PlenaryGroup, PlenaryRead, PointTheme, RoomRef } from '../../api/generated.ts';
import PlenaryPage from './PlenaryPage.svelte';

const QUESTION = '00000000-0000-4000-8000-0000000000c1';
const room = (n: number): RoomRef => ({ id: `00000000-0000-4000-8000-00000000000${n}`, name: `Room ${n}`, theme: '' });

function group(id: string, label: string, themeId: string | null, rooms: number[]): PlenaryGroup {
  return {
    id,
    question_id: QUESTION,
    label,
    renamed: false,
    pinned: false,
    curated: false,
    rooms: rooms.map(room),
    room_count: rooms.length,
    rooms_answered: 4,
    raised_in: '',
    members: [],
    theme_id: themeId,
    theme_label: null,
    theme_curated: false,
  };
}

function theme(id: string, label: string, groupIds: string[], rooms: number[]): PointTheme {
  return { id, label, curated: false, group_ids: groupIds, rooms: rooms.map(room), room_count: rooms.length, rooms_answered: 4, raised_in: '' };
}

function read(): PlenaryRead {
  return {
    rooms: [],
    themes: [
      {
        theme: 'Shared',
        findings: [],
        questions: [
          {
            question: { id: QUESTION, code: 'S1', text: 'One recommendation?' },
            shared: true,
            rooms: [],
            groups: [group('g1', 'More doctors', 'health', [1, 2]), group('g2', 'More buses', 'transit', [3]), group('g3', 'Wellness week', 'health', [3])],
            point_themes: [theme('health', 'Health', ['g1', 'g3'], [1, 2, 3]), theme('transit', 'Transit', ['g2'], [3])],
          },
        ],
      },
    ],
  } as unknown as PlenaryRead;
}

describe('PlenaryPage of a shared question', () => {
  it('shows each theme with the rooms that raised it, and its points under it', () => {
    const { body } = render(PlenaryPage, { props: { read: read(), position: { room_id: null, question_id: QUESTION, page: 0 } } });
    const text = body.replace(/<!--[^>]*-->/g, '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

    expect(text).toContain('Health raised in 3 of 4 rooms');
    expect(text).toContain('Transit raised in 1 of 4 rooms');
    // The points of a theme follow its heading, whatever order the server listed them in.
    expect(text.indexOf('More doctors')).toBeGreaterThan(text.indexOf('Health'));
    expect(text.indexOf('Wellness week')).toBeLessThan(text.indexOf('Transit'));
    expect(text).toContain('Room 1, Room 2');
  });

  it('names no rooms of a point on the projector, where space is short', () => {
    const { body } = render(PlenaryPage, { props: { read: read(), position: { room_id: null, question_id: QUESTION, page: 0 }, large: true } });

    expect(body).toContain('Health');
    expect(body).not.toContain('Room 1, Room 2');
  });
});
