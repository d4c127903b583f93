import { describe, expect, it } from 'vitest';
import { format, pickLocale, placeholders, pluralCategory, translate, translatePlural } from './translate.ts';

describe('translate', () => {
  it('fills placeholders in the chosen language', () => {
    expect(translate('en', 'meeting.join_code', { code: 'K7Q2MX' })).toBe('Meeting code: K7Q2MX');
    expect(translate('bn', 'meeting.join_code', { code: 'K7Q2MX' })).toBe('সভার কোড: K7Q2MX');
  });

  it('writes numbers with the language digits', () => {
    expect(translate('en', 'connection.unsent', { count: 3 })).toBe('Waiting to send: 3');
    expect(translate('bn', 'connection.unsent', { count: 3 })).toBe('পাঠানোর অপেক্ষায়: ৩');
  });

  it('returns messages without placeholders unchanged', () => {
    expect(translate('en', 'action.retry')).toBe('Try again');
  });

  it('leaves an unknown placeholder visible and never interprets values as markup', () => {
    expect(format('{a} and {b}', { a: '<b>x</b>' }, 'en')).toBe('<b>x</b> and {b}');
  });

  it('finds placeholders', () => {
    expect(placeholders('Join at {address} with the code {code}')).toEqual(['address', 'code']);
  });
});

describe('pickLocale', () => {
  it('prefers the stored choice', () => {
    expect(pickLocale('bn', ['en-GB'])).toBe('bn');
  });

  it('falls back to the first supported browser language', () => {
    expect(pickLocale(null, ['fr-FR', 'bn-BD', 'en'])).toBe('bn');
  });

  it('ignores a stored value it does not know', () => {
    expect(pickLocale('xx', ['de'])).toBe('en');
  });
});

describe('translatePlural', () => {
  it('says one finding and two findings in English', () => {
    expect(translatePlural('en', 'plenary.room_findings', 1)).toBe('1 confirmed finding');
    expect(translatePlural('en', 'plenary.room_findings', 2)).toBe('2 confirmed findings');
    expect(translatePlural('en', 'plenary.room_findings', 0)).toBe('0 confirmed findings');
    expect(translatePlural('en', 'findings.sources', 1)).toBe('1 linked answer');
    expect(translatePlural('en', 'answers.votes', 1)).toBe('1 upvote');
    expect(translatePlural('en', 'prepare.capacity', 1)).toBe('up to 1 person');
    expect(translatePlural('en', 'answer.characters_left', 1000)).toBe('1,000 characters left');
  });

  it('follows the Bengali rules (one for 0 and 1) and writes Bengali digits', () => {
    expect(pluralCategory('bn', 0)).toBe('one');
    expect(pluralCategory('bn', 1)).toBe('one');
    expect(pluralCategory('bn', 2)).toBe('other');
    expect(pluralCategory('en', 0)).toBe('other');
    expect(translatePlural('bn', 'findings.sources', 1)).toBe('১টি উত্তর যুক্ত');
    expect(translatePlural('bn', 'plenary.room_answers', 12)).toBe('১২টি উত্তর');
  });

  it('composes counted parts into one sentence', () => {
    const answers = translatePlural('en', 'plenary.room_answers', 1);
    const findings = translatePlural('en', 'plenary.room_findings', 1);
    expect(translate('en', 'plenary.room_counts', { answers, findings })).toBe('1 answer, 1 confirmed finding');
  });
});
