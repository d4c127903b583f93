import { describe, expect, it } from 'vitest';
import { format, pickLocale, placeholders, translate } from './translate.ts';

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
