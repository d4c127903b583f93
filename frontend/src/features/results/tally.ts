/**
 * A question's tally as the rows of its chart: one per option (choice questions) or per point
 * of the scale, each with its label, count and share of the people who answered.
 */
import type { AllocationView, QuestionTally, QuestionView, RoomStreamState } from '../../protocol/index.ts';

export interface TallyRow {
  key: string;
  label: string;
  count: number;
  /** Whole percent of the people who answered (a multiple choice adds up to more than 100). */
  percent: number;
}

export function percentOf(count: number, respondents: number): number {
  return respondents > 0 ? Math.round((count / respondents) * 100) : 0;
}

export function tallyRows(tally: QuestionTally, question: QuestionView): TallyRow[] {
  if (question.kind === 'scale') {
    return tally.scale.map((point) => {
      const label = question.scale_labels[String(point.value)];
      return {
        key: String(point.value),
        label: label ? `${point.value} (${label})` : String(point.value),
        count: point.count,
        percent: percentOf(point.count, tally.respondents),
      };
    });
  }
  const labels = new Map(question.options.map((option) => [option.id, option.label]));
  return tally.options.map((option) => ({
    key: option.option_id,
    label: labels.get(option.option_id) ?? option.option_id,
    count: option.count,
    percent: percentOf(option.count, tally.respondents),
  }));
}

/** The labels of a scale's two ends, where the organiser gave them. */
export function scaleEnds(question: QuestionView): { low: string; high: string } | null {
  if (question.kind !== 'scale' || question.scale_min === null || question.scale_max === null) return null;
  const low = question.scale_labels[String(question.scale_min)] ?? '';
  const high = question.scale_labels[String(question.scale_max)] ?? '';
  return low || high ? { low, high } : null;
}

/** The results of the question that closed last in the room, where the reader has them. */
export function lastClosedResults(room: RoomStreamState): { question: QuestionView; tally: QuestionTally } | null {
  const closed = room.allocations
    .filter((allocation) => allocation.state === 'closed')
    .sort((a, b) => (b.closed_at ?? '').localeCompare(a.closed_at ?? ''));
  for (const allocation of closed) {
    const question = room.questions.find((candidate) => candidate.id === allocation.question_id);
    const tally = room.tallies.find((candidate) => candidate.question_id === allocation.question_id);
    if (question && tally) return { question, tally };
  }
  return null;
}

/** Whether participants and the projector may see the results now: live, or after the close. */
export function resultsShown(question: QuestionView, allocation: AllocationView | undefined): boolean {
  return question.visibility === 'live' || allocation?.state === 'closed';
}
