import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import type { GroupMember, PlenaryGroup, PlenaryRead, PointTheme, RoomRef } from '../../api/generated.ts';
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

function member(n: number, kind: 'answer' | 'finding', text: string, roomNumber: number): GroupMember {
  const at = room(roomNumber);
  return {
    key: `${kind}:${n}`,
    kind,
    id: `00000000-0000-4000-8000-0000000001${String(n).padStart(2, '0')}`,
    room_id: at.id,
    room_name: at.name,
    text,
    votes: 0,
    author: null,
    answer_ids: [],
  };
}

function read(ungrouped: GroupMember[] = [], grouped = true): PlenaryRead {
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
            groups: grouped ? [group('g1', 'More doctors', 'health', [1, 2]), group('g2', 'More buses', 'transit', [3]), group('g3', 'Wellness week', 'health', [3])] : [],
            point_themes: grouped ? [theme('health', 'Health', ['g1', 'g3'], [1, 2, 3]), theme('transit', 'Transit', ['g2'], [3])] : [],
            ungrouped,
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

  it('counts and lists the answers and findings in no group under the last page', () => {
    const alone = [member(1, 'finding', 'Train judges on the new offence', 1), member(2, 'answer', 'Publish the paper in Bengali', 2), member(3, 'answer', 'A longer coffee break', 4)];
    const { body } = render(PlenaryPage, { props: { read: read(alone), position: { room_id: null, question_id: QUESTION, page: 0 } } });
    const text = body.replace(/<!--[^>]*-->/g, '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

    expect(text).toContain('2 answers in no group');
    expect(text).toContain('1 confirmed finding in no group');
    expect(text).toContain('Room 2: Publish the paper in Bengali');
    expect(text.indexOf('Train judges')).toBeLessThan(text.indexOf('A longer coffee break'));
    // The groups come first: what no group holds follows the last theme.
    expect(text.indexOf('Transit')).toBeLessThan(text.indexOf('in no group'));

    const projector = render(PlenaryPage, { props: { read: read(alone), position: { room_id: null, question_id: QUESTION, page: 0 }, large: true } });
    expect(projector.body).toContain('answers in no group');
    expect(projector.body).not.toContain('Publish the paper in Bengali');

    const none = render(PlenaryPage, { props: { read: read(), position: { room_id: null, question_id: QUESTION, page: 0 } } });
    expect(none.body).not.toContain('in no group');
  });

  it('says no two answers make one point, not that there is nothing to group, when every answer stands alone', () => {
    const alone = [member(1, 'answer', 'Set up joint investigation teams', 1), member(2, 'answer', 'Criminalise smuggling', 1)];
    const position = { room_id: null, question_id: QUESTION, page: 0 };
    const projector = render(PlenaryPage, { props: { read: read(alone, false), position, large: true } });
    const text = projector.body.replace(/<!--[^>]*-->/g, '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

    expect(text).toContain('No two answers make the same point yet.');
    expect(text).not.toContain('No answers to group yet.');
    expect(text).toContain('2 answers in no group');

    const empty = render(PlenaryPage, { props: { read: read([], false), position, large: true } });
    expect(empty.body).toContain('No answers to group yet.');
  });

  it('names no rooms of a point on the projector, where space is short', () => {
    const { body } = render(PlenaryPage, { props: { read: read(), position: { room_id: null, question_id: QUESTION, page: 0 }, large: true } });

    expect(body).toContain('Health');
    expect(body).not.toContain('Room 1, Room 2');
  });
});
