import { describe, expect, it } from 'vitest';
import { allocationView, questionView, roomState } from '../../state/fixtures.ts';
import { lastClosedResults, percentOf, resultsShown, scaleEnds, tallyRows } from './tally.ts';

const options = [
  { id: 'a', label: 'Yes' },
  { id: 'b', label: 'No' },
];

describe('tally rows', () => {
  it('gives each option its label, count and share of the people who answered', () => {
    const question = questionView({ kind: 'multiple_choice', options });
    const tally = {
      question_id: 'q1',
      respondents: 3,
      options: [
        { option_id: 'a', count: 3 },
        { option_id: 'b', count: 1 },
      ],
      scale: [],
      mean: null,
      median: null,
    };
    expect(tallyRows(tally, question)).toEqual([
      { key: 'a', label: 'Yes', count: 3, percent: 100 },
      { key: 'b', label: 'No', count: 1, percent: 33 },
    ]);
  });

  it('gives each point of a scale its label where there is one', () => {
    const question = questionView({ kind: 'scale', scale_min: 1, scale_max: 3, scale_labels: { '1': 'low', '3': 'high' } });
    const tally = {
      question_id: 'q1',
      respondents: 2,
      options: [],
      scale: [
        { value: 1, count: 0 },
        { value: 2, count: 1 },
        { value: 3, count: 1 },
      ],
      mean: 2.5,
      median: 2.5,
    };
    expect(tallyRows(tally, question).map((row) => [row.label, row.count, row.percent])).toEqual([
      ['1 (low)', 0, 0],
      ['2', 1, 50],
      ['3 (high)', 1, 50],
    ]);
    expect(scaleEnds(question)).toEqual({ low: 'low', high: 'high' });
  });

  it('counts no share of nobody', () => {
    expect(percentOf(0, 0)).toBe(0);
  });

  it('shows results to the room live, or once the question closed', () => {
    expect(resultsShown(questionView({ visibility: 'live' }), allocationView({ state: 'live' }))).toBe(true);
    expect(resultsShown(questionView({ visibility: 'after_close' }), allocationView({ state: 'live' }))).toBe(false);
    expect(resultsShown(questionView({ visibility: 'after_close' }), allocationView({ state: 'closed' }))).toBe(true);
  });

  it('finds the results of the question that closed last', () => {
    const tally = (question_id: string) => ({ question_id, respondents: 1, options: [], scale: [], mean: null, median: null });
    const room = roomState({
      allocations: [
        allocationView({ id: 'x1', question_id: 'q1', state: 'closed', closed_at: '2026-12-07T10:00:00Z' }),
        allocationView({ id: 'x2', question_id: 'q2', state: 'closed', closed_at: '2026-12-07T11:00:00Z' }),
        allocationView({ id: 'x3', question_id: 'q3', state: 'pending' }),
      ],
      questions: [questionView({ id: 'q1' }), questionView({ id: 'q2' }), questionView({ id: 'q3' })],
      tallies: [tally('q1'), tally('q2'), tally('q3')],
    });
    expect(lastClosedResults(room)?.question.id).toBe('q2');
    expect(lastClosedResults(roomState({ ...room, tallies: [tally('q1')] }))?.question.id).toBe('q1');
    expect(lastClosedResults(roomState({ ...room, tallies: [] }))).toBeNull();
  });
});
