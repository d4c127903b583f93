import { browserStorage, type KeyValueStorage } from '../../platform/storage.ts';

/**
 * What someone has typed but not sent, per question, kept on the device: a form that goes away
 * (the rooms closed, a move, a reload, a dropped connection) gives it back when it returns, and
 * closing the rooms never throws away someone's sentence.
 */
export class AnswerDrafts {
  constructor(private readonly storage: KeyValueStorage = browserStorage()) {}

  private key(questionId: string): string {
    return `breakouts.draft.${questionId}`;
  }

  get(questionId: string): string {
    return this.storage.getItem(this.key(questionId)) ?? '';
  }

  set(questionId: string, text: string): void {
    if (text === '') this.storage.removeItem(this.key(questionId));
    else this.storage.setItem(this.key(questionId), text);
  }
}
