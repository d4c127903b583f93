import { describe, expect, it } from 'vitest';
import type { PlenaryFinding, PlenaryGroup, PlenaryRead } from '../api/generated.ts';
import { ROOM_A, ROOM_B } from './fixtures.ts';
import { GROUPS_PER_PAGE, ITEMS_PER_PAGE, pageIndex, pageOf, presentationPages, sharedQuestions } from './presentation.ts';

const QUESTION = '00000000-0000-4000-8000-0000000000c1';

function finding(n: number): PlenaryFinding {
  return {
    id: `00000000-0000-4000-8000-00000000f00${n}`,
    room_id: ROOM_A,
    room_name: 'Room A',
    question_id: null,
    question_code: null,
    text: `Finding ${n}`,
    status: 'confirmed',
    endorsements: 0,
    sources: [],
  } as unknown as PlenaryFinding;
}

function group(n: number): PlenaryGroup {
  return { id: `computed:${n}`, label: `Group ${n}`, room_count: 2, rooms_answered: 2, rooms: [], pinned: false, theme_id: null } as unknown as PlenaryGroup;
}

function read(findings: number, groups: number): PlenaryRead {
  const room = (id: string, name: string) => ({ room: { id, name, theme: '' }, participants: 3, answers: 0, confirmed_findings: 0 });
  return {
    rooms: [room(ROOM_A, 'Room A'), room(ROOM_B, 'Room B')],
    themes: [
      {
        theme: 'Shared',
        findings: Array.from({ length: findings }, (_, n) => finding(n)),
        questions: [
          {
            question: { id: QUESTION, code: 'S1', text: 'One recommendation?' },
            shared: true,
            rooms: [],
            groups: Array.from({ length: groups }, (_, n) => group(n)),
            point_themes: [],
          },
        ],
      },
    ],
  } as unknown as PlenaryRead;
}

describe('presentation pages', () => {
  it('walks the rooms from the overview, a room with more findings than a page holds on several pages', () => {
    const pages = presentationPages(read(ITEMS_PER_PAGE + 1, 0), 'rooms');
    expect(pages).toEqual([
      { room_id: null, question_id: null, page: 0 },
      { room_id: ROOM_A, question_id: null, page: 0 },
      { room_id: ROOM_A, question_id: null, page: 1 },
      { room_id: ROOM_B, question_id: null, page: 0 },
    ]);
    expect(pageIndex(pages, { room_id: ROOM_A, question_id: null, page: 1 })).toBe(2);
    expect(pageIndex(pages, null)).toBe(0);
    expect(pageIndex(pages, { room_id: ROOM_A, question_id: null, page: 5 })).toBe(-1);
  });

  it('walks the shared questions theme by theme, paging their cross-room groups', () => {
    const source = read(0, GROUPS_PER_PAGE + 2);
    expect(sharedQuestions(source).map((question) => question.code)).toEqual(['S1']);
    expect(presentationPages(source, 'themes')).toEqual([
      { room_id: null, question_id: QUESTION, page: 0 },
      { room_id: null, question_id: QUESTION, page: 1 },
    ]);
  });

  it('shows the last page for a page past the end, and one empty page for nothing', () => {
    expect(pageOf([1, 2, 3, 4], 7, 3)).toEqual({ items: [4], page: 1, pages: 2 });
    expect(pageOf([], 0, 3)).toEqual({ items: [], page: 0, pages: 1 });
  });
});
