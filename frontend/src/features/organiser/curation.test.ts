import { describe, expect, it } from 'vitest';
import type { GroupMember, PlenaryGroup, PlenaryRead } from '../../api/generated.ts';
import {
  acceptRequest,
  cleanLabel,
  curationQuestions,
  mergeCandidates,
  moveRequest,
  renameRequest,
  splitRequest,
  themeRenameRequest,
} from './curation.ts';

const Q = '6a1c0b7e-1d2f-4e3a-9b8c-7d6e5f4a3b2c';

function member(key: string): GroupMember {
  return { key, kind: 'answer', id: key.slice(7), room_id: 'r1', room_name: 'Room 1', text: key, votes: 0, author: null, answer_ids: [] };
}

function group(id: string, keys: string[], curated = true, questionId = Q): PlenaryGroup {
  return {
    id,
    question_id: questionId,
    label: id,
    renamed: false,
    pinned: false,
    curated,
    rooms: [],
    room_count: 1,
    rooms_answered: 2,
    raised_in: 'raised in 1 of 2 rooms',
    members: keys.map(member),
    theme_id: null,
    theme_label: null,
    theme_curated: false,
  };
}

describe('splitRequest', () => {
  const g = group('g1', ['answer:a', 'answer:b', 'finding:c']);

  it('keeps the chosen keys of the group, in its order', () => {
    expect(splitRequest(g, new Set(['finding:c', 'answer:a', 'answer:zz']))).toEqual({ keys: ['answer:a', 'finding:c'] });
  });

  it('adds a trimmed label when one is given', () => {
    expect(splitRequest(g, new Set(['answer:b']), '  Joint teams ')).toEqual({ keys: ['answer:b'], label: 'Joint teams' });
  });

  it('refuses an empty choice and a choice of every member', () => {
    expect(splitRequest(g, new Set())).toBeNull();
    expect(splitRequest(g, new Set(['answer:a', 'answer:b', 'finding:c']))).toBeNull();
  });
});

describe('acceptRequest', () => {
  it('sends every member key with the question, and label or pin when asked', () => {
    const g = group('computed:abc', ['answer:a', 'finding:c'], false);
    expect(acceptRequest(g)).toEqual({ question_id: Q, keys: ['answer:a', 'finding:c'] });
    expect(acceptRequest(g, { label: 'Train together', pinned: true })).toEqual({
      question_id: Q,
      keys: ['answer:a', 'finding:c'],
      label: 'Train together',
      pinned: true,
    });
    expect(acceptRequest(group('computed:x', [], false))).toBeNull();
  });
});

describe('renameRequest and cleanLabel', () => {
  it('turns an empty label into null (back to the computed headline)', () => {
    expect(renameRequest('   ')).toEqual({ label: null });
    expect(renameRequest(' New ')).toEqual({ label: 'New' });
    expect(cleanLabel('x'.repeat(400))).toHaveLength(300);
  });
});

describe('mergeCandidates', () => {
  it('lists the other curated groups of the same question', () => {
    const a = group('a', ['answer:a']);
    const b = group('b', ['answer:b']);
    const computed = group('computed:c', ['answer:c'], false);
    const elsewhere = group('d', ['answer:d'], true, 'other');
    expect(mergeCandidates([a, b, computed, elsewhere], a).map((g) => g.id)).toEqual(['b']);
    expect(mergeCandidates([a, b], computed)).toEqual([]);
  });
});

describe('curationQuestions', () => {
  it('flattens themes into questions with their groups and what no group holds', () => {
    const g = group('a', ['answer:a']);
    const alone = { key: 'answer:b', kind: 'answer', id: 'b', room_id: 'r', room_name: 'Room 1', text: 'Alone', votes: 0, author: null, answer_ids: ['b'] };
    const read = {
      themes: [
        {
          theme: 'Justice',
          findings: [],
          questions: [
            { question: { id: Q, code: 'Q1', text: 'Why?' }, groups: [g], ungrouped: [alone] },
            { question: { id: 'q2', code: 'Q2', text: 'How?' }, groups: [] },
          ],
        },
      ],
    } as unknown as PlenaryRead;
    expect(curationQuestions(read)).toEqual([
      { id: Q, code: 'Q1', text: 'Why?', theme: 'Justice', groups: [g], ungrouped: [alone] },
      { id: 'q2', code: 'Q2', text: 'How?', theme: 'Justice', groups: [], ungrouped: [] },
    ]);
  });
});

describe('themes', () => {
  const inTheme = (curated: boolean): PlenaryGroup => ({ ...group('g9', ['answer:a', 'answer:b'], curated), theme_id: 'theme:answer:a', theme_label: 'Health' });

  it('accepts a computed group into its own theme', () => {
    expect(acceptRequest(inTheme(false))).toEqual({ question_id: Q, keys: ['answer:a', 'answer:b'], theme_label: 'Health' });
  });

  it('moves a curated group by an update, a computed one by accepting it into the theme', () => {
    expect(moveRequest(inTheme(true), ' Transport ')).toEqual({ kind: 'update', body: { theme_label: 'Transport' } });
    expect(moveRequest(inTheme(false), 'Transport')).toEqual({
      kind: 'accept',
      body: { question_id: Q, keys: ['answer:a', 'answer:b'], theme_label: 'Transport' },
    });
    expect(moveRequest(inTheme(true), null)).toEqual({ kind: 'update', body: { theme_label: null } });
  });

  it('moves nothing to where it is, nor to a blank name', () => {
    expect(moveRequest(inTheme(true), 'Health')).toBeNull();
    expect(moveRequest(inTheme(true), '   ')).toBeNull();
    expect(moveRequest(group('g1', ['answer:a']), null)).toBeNull();
  });

  it('renames a theme to a trimmed, changed name only', () => {
    const theme = { id: 't1', label: 'Health', curated: false, group_ids: [], rooms: [], room_count: 0, rooms_answered: 0, raised_in: '' };
    expect(themeRenameRequest(Q, theme, '  Health care ')).toEqual({ question_id: Q, theme_id: 't1', label: 'Health care' });
    expect(themeRenameRequest(Q, theme, 'Health')).toBeNull();
    expect(themeRenameRequest(Q, theme, ' ')).toBeNull();
  });
});
