import type { CommandBody } from '../../protocol/index.ts';

/** What the answer form produces: exactly one of the three, by the question's kind. */
export interface AnswerValue {
  text?: string;
  choice_ids?: string[];
  scale_value?: number;
}

export type AnswerSubmitBody = Extract<CommandBody, { type: 'answer.submit' }>;

export function answerCommand(roomId: string, questionId: string, value: AnswerValue): AnswerSubmitBody {
  return { type: 'answer.submit', room_id: roomId, question_id: questionId, ...value };
}
