import { describe, expect, it } from 'vitest';
import { MemoryStorage } from '../../platform/storage.ts';
import { AnswerDrafts } from './drafts.ts';

describe('answer drafts', () => {
  it('keeps unsent text per question until it is sent', () => {
    const storage = new MemoryStorage();
    new AnswerDrafts(storage).set('q1', 'Close the legal gap');
    const later = new AnswerDrafts(storage);
    expect(later.get('q1')).toBe('Close the legal gap');
    expect(later.get('q2')).toBe('');
    later.set('q1', '');
    expect(later.get('q1')).toBe('');
  });
});
