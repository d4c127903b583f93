import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import type { PlenaryGroup, PointTheme } from '../../api/generated.ts';
import ThemeHeading from './ThemeHeading.svelte';
import ThemeMove from './ThemeMove.svelte';

const act = (): Promise<boolean> => Promise.resolve(true);
const text = (html: string): string => html.replace(/<!--[^>]*-->/g, '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

const theme: PointTheme = {
  id: 'theme:answer:1',
  label: 'Health',
  curated: false,
  group_ids: ['g1'],
  rooms: [
    { id: 'r1', name: 'Room 1', theme: '' },
    { id: 'r2', name: 'Room 2', theme: '' },
  ],
  room_count: 2,
  rooms_answered: 5,
  raised_in: 'raised in 2 of 5 rooms',
};

const group = {
  id: 'computed:1',
  question_id: 'q',
  label: 'More doctors',
  curated: false,
  members: [],
  theme_id: 'theme:answer:1',
  theme_label: 'Health',
} as unknown as PlenaryGroup;

describe('ThemeHeading', () => {
  it('names the theme, the rooms that raised it, and offers a rename', () => {
    const { body } = render(ThemeHeading, { props: { meetingId: 'm', questionId: 'q', theme, busy: false, act } });

    expect(text(body)).toContain('Health raised in 2 of 5 rooms · Room 1, Room 2 Rename theme');
  });
});

describe('ThemeMove', () => {
  it('offers the other themes, none, and a new theme', () => {
    const { body } = render(ThemeMove, { props: { meetingId: 'm', group, themes: ['Transit', 'Housing'], busy: false, act, done: () => {} } });

    expect(text(body)).toContain('Theme for More doctors Transit Housing Outside any theme');
    expect(text(body)).toContain('Or a new theme');
    expect(body).toMatch(/<option value="Transit"[^>]*selected/);
  });
});
