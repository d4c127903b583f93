import { describe, expect, it } from 'vitest';
import { distributionTable, longDate, mean } from './format.ts';

describe('the report page formats', () => {
  it('writes a calendar day in full in either language, whatever the time zone', () => {
    expect(longDate('2026-12-07', 'en')).toBe('7 December 2026');
    expect(longDate('2026-12-07', 'bn')).toMatch(/^৭ ডিসেম্বর, ২০২৬$|^৭ ডিসেম্বর ২০২৬$/);
    expect(longDate('not a date', 'en')).toBe('not a date');
  });

  it('writes a mean with two decimals, and a dash when there is none', () => {
    expect(mean(3.456, 'en')).toBe('3.46');
    expect(mean(null, 'bn')).toBe('—');
  });

  it('lays the rooms and the overall distribution out as one table', () => {
    const part = (respondents: number, counts: number[]) => ({
      respondents,
      options: [],
      scale: counts.map((n, index) => ({ value: index + 1, label: index === 0 ? 'Not ready' : '', count: n })),
      mean: 2,
    });
    const table = distributionTable(
      [
        { room_name: 'Room 1', distribution: part(2, [1, 1]) },
        { room_name: 'Room 2', distribution: part(1, [0, 1]) },
      ],
      part(3, [1, 2]),
    );
    expect(table).toEqual({
      columns: ['Not ready', '2'],
      scale: true,
      rows: [
        { room: 'Room 1', respondents: 2, counts: [1, 1], mean: 2 },
        { room: 'Room 2', respondents: 1, counts: [0, 1], mean: 2 },
        { room: null, respondents: 3, counts: [1, 2], mean: 2 },
      ],
    });
    expect(distributionTable([], null)).toBeNull();
  });
});
