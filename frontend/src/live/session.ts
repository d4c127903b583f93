/** Who is signed in on this device, as the pages need it. */
import type { AuthApi } from '../api/auth.ts';
import { ApiError } from '../api/http.ts';
import type { MeRead, SessionRead } from '../api/types.ts';
import type { PlainKey } from '../i18n/translate.ts';
import { paths } from '../routing/routes.ts';

export interface Session {
  /** The participant session when there is one (it is the more specific), else the account. */
  who: SessionRead;
  /** Stable per person: keys the outbox so a shared device never sends someone else's answers. */
  key: string;
  isAccount: boolean;
}

export function sessionFrom(me: MeRead): Session | null {
  const participant = me.participant;
  if (participant?.participant_id) return { who: participant, key: `participant:${participant.participant_id}`, isAccount: false };
  const account = me.account;
  if (account?.account_id) return { who: account, key: `account:${account.account_id}`, isAccount: true };
  return null;
}

export class PageLoadFailed extends Error {
  override readonly name = 'PageLoadFailed';
  constructor(readonly messageKey: PlainKey) {
    super(messageKey);
  }
}

/** The signed-in session, or `PageLoadFailed('error.not_signed_in')`. */
export async function requireSession(api: AuthApi): Promise<Session> {
  const session = sessionFrom(await api.me());
  if (!session) throw new PageLoadFailed('error.not_signed_in');
  return session;
}

/** The sentence for a page that could not load. */
export function loadErrorKey(error: unknown): PlainKey {
  if (error instanceof PageLoadFailed) return error.messageKey;
  if (!(error instanceof ApiError)) return 'error.unknown';
  if (error.status === 0 || error.status >= 500) return 'error.network';
  if (error.status === 401) return 'error.not_signed_in';
  if (error.status === 403) return 'error.forbidden';
  if (error.status === 404) return 'error.not_found';
  return 'error.unknown';
}

/** The page a session belongs on: a participant's meeting, or an organiser's meetings. */
export function landingPathOf(who: SessionRead): string {
  if (who.kind === 'participant' && who.meeting_id) return paths.meeting(who.meeting_id);
  return who.meeting_id ? paths.console(who.meeting_id) : paths.organiser();
}
