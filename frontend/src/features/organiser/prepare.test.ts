import { describe, expect, it } from 'vitest';
import { optionsFromLines, optionsKeepingIds, templateContentType } from './prepare.ts';

describe('optionsFromLines', () => {
  it('makes one option per non-empty line with stable ids', () => {
    expect(optionsFromLines('Financial investigation\n\n  Joint teams \n')).toEqual([
      { id: 'o1', label: 'Financial investigation' },
      { id: 'o2', label: 'Joint teams' },
    ]);
  });
});

describe('optionsKeepingIds', () => {
  it('keeps the ids of labels kept and gives new labels ids not in use', () => {
    const existing = [
      { id: 'a', label: 'Yes' },
      { id: 'o1', label: 'No' },
    ];
    expect(optionsKeepingIds(existing, 'No\nMaybe\nYes')).toEqual([
      { id: 'o1', label: 'No' },
      { id: 'o2', label: 'Maybe' },
      { id: 'a', label: 'Yes' },
    ]);
  });
});

describe('templateContentType', () => {
  it('reads JSON by its extension, YAML otherwise', () => {
    expect(templateContentType('meeting.JSON')).toBe('application/json');
    expect(templateContentType('meeting.yaml')).toBe('application/x-yaml');
  });
});
