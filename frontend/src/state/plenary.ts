/** The projector's view of one room, gathered from the merged plenary read. Pure. */
import type { PlenaryAnswer, PlenaryFinding, PlenaryRead } from '../api/types.ts';
import type { QuestionView } from '../protocol/index.ts';

export interface PlenaryRoom {
  roomId: string;
  name: string;
  theme: string;
  /** Confirmed findings, each with the answers it draws on (most upvoted first). */
  findings: PlenaryFinding[];
  /** Per question the room answered: its top answers, most upvoted first. */
  questions: { code: string; text: string; answers: PlenaryAnswer[]; question: QuestionView }[];
}

const byVotes = (a: PlenaryAnswer, b: PlenaryAnswer): number => b.votes - a.votes || a.created_at.localeCompare(b.created_at);

/** How many top answers a projector shows per question: readable from the back of a room. */
export const TOP_ANSWERS_SHOWN = 3;

export function plenaryRoom(read: PlenaryRead, roomId: string): PlenaryRoom | null {
  const summary = read.rooms.find((entry) => entry.room.id === roomId);
  if (!summary) return null;
  const findings: PlenaryFinding[] = [];
  const questions: PlenaryRoom['questions'] = [];
  const seen = new Set<string>();
  for (const theme of read.themes) {
    for (const finding of theme.findings) {
      if (finding.room_id === roomId && finding.status === 'confirmed' && !seen.has(finding.id)) {
        seen.add(finding.id);
        findings.push({ ...finding, sources: [...finding.sources].sort(byVotes) });
      }
    }
    for (const question of theme.questions) {
      for (const column of question.rooms) {
        if (column.room.id !== roomId) continue;
        for (const finding of column.findings) {
          if (finding.status === 'confirmed' && !seen.has(finding.id)) {
            seen.add(finding.id);
            findings.push({ ...finding, sources: [...finding.sources].sort(byVotes) });
          }
        }
        const answers = [...column.top_answers].sort(byVotes).slice(0, TOP_ANSWERS_SHOWN);
        if (answers.length > 0) questions.push({ code: question.question.code, text: question.question.text, answers, question: question.question });
      }
    }
  }
  return { roomId, name: summary.room.name, theme: summary.room.theme, findings, questions };
}
