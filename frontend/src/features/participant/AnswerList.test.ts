import { render } from 'svelte/server';
import { afterEach, describe, expect, it } from 'vitest';
import { setLocale } from '../../i18n/locale.svelte.ts';
import type { AnswerView, QuestionView } from '../../protocol/index.ts';
import AnswerList from './AnswerList.svelte';

const question = { id: 'q1', code: 'R3.1', text: 'Why?', kind: 'open', options: [], scale_labels: {} } as unknown as QuestionView;

function answer(id: string, text: string, votes: number): AnswerView {
  return { id, text, votes, choice_ids: null, scale_value: null, pinned: false, author: null } as unknown as AnswerView;
}

const visible = (body: string) => body.replace(/<!--[^>]*-->/g, '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('AnswerList', () => {
  afterEach(() => setLocale('en'));

  it('writes the vote counts in the language digits, as the words beside them', () => {
    setLocale('bn');
    const answers = [answer('a1', 'দালালরা দ্রুত পথের প্রতিশ্রুতি দেয়।', 12), answer('a2', 'ঋণ', 3)];
    const { body } = render(AnswerList, { props: { answers, question, personal: { a1: { mine: true, voted: false } }, onvote: () => {} } });
    const text = visible(body);

    expect(text).toContain('▲ ১২');
    expect(text).toContain('▲ ৩');
    expect(text).not.toMatch(/▲ [0-9]/);
  });

  it('keeps Western digits in English', () => {
    const { body } = render(AnswerList, { props: { answers: [answer('a1', 'Cheaper routes', 12)], question, personal: {}, onvote: () => {} } });

    expect(visible(body)).toContain('▲ 12');
  });
});
