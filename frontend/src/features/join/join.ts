/** Joining a meeting: from what the form holds to the page to open next. No DOM, no Svelte. */
import type { AuthApi } from '../../api/auth.ts';
import { ApiError } from '../../api/http.ts';
import type { Gender, InvitePreview, JoinRequest, MeRead, OrganisationType, SessionRead } from '../../api/types.ts';
import type { PlainKey } from '../../i18n/translate.ts';
import { paths } from '../../routing/routes.ts';

export type JoinTarget = { kind: 'invite'; token: string } | { kind: 'code'; code: string };

/** The form's values as typed; empty strings mean "not given". */
export interface JoinProfile {
  displayName: string;
  /** The address the organiser's list has for the person: with it they join as themselves. */
  email: string;
  organisation: string;
  organisationType: OrganisationType | '';
  gender: Gender | '';
}

export const EMPTY_PROFILE: JoinProfile = {
  displayName: '',
  email: '',
  organisation: '',
  organisationType: '',
  gender: '',
};

/** The request body: trimmed, and without the fields the person left empty. */
export function joinRequest(profile: JoinProfile): JoinRequest {
  const name = profile.displayName.trim();
  const email = profile.email.trim();
  return {
    organisation: profile.organisation.trim(),
    ...(name ? { display_name: name } : {}),
    ...(email ? { email } : {}),
    ...(profile.organisationType ? { organisation_type: profile.organisationType } : {}),
    ...(profile.gender ? { gender: profile.gender } : {}),
  };
}

/** Where a signed-in caller belongs. */
export function landingPath(me: MeRead): string | null {
  const meetingId = me.participant?.meeting_id;
  if (meetingId) return paths.meeting(meetingId);
  if (me.account) return me.account.meeting_id ? paths.console(me.account.meeting_id) : paths.organiser();
  return null;
}

export class JoinFailed extends Error {
  override readonly name = 'JoinFailed';
  constructor(readonly messageKey: PlainKey) {
    super(messageKey);
  }
}

/** Open the invite or use the code, then ask the server who we now are; returns the next path. */
export async function join(api: AuthApi, target: JoinTarget, profile: JoinProfile): Promise<string> {
  try {
    const body = joinRequest(profile);
    if (target.kind === 'invite') await api.openInvite(target.token, body);
    else await api.joinByCode({ ...body, code: target.code.trim().toUpperCase() });
    const next = landingPath(await api.me());
    if (next === null) throw new JoinFailed('error.not_signed_in');
    return next;
  } catch (error) {
    throw error instanceof JoinFailed ? error : new JoinFailed(joinErrorKey(error));
  }
}

/** The sentence to show for a failed join, in the reader's language (server messages are English). */
export function joinErrorKey(error: unknown): PlainKey {
  if (!(error instanceof ApiError)) return 'error.unknown';
  if (error.code === 'sign_in_link_used') return 'error.sign_in_link_used';
  switch (error.status) {
    case 0:
      return 'error.network';
    case 401:
      return 'error.not_signed_in';
    case 403:
      return 'error.forbidden';
    case 404:
      return 'error.not_found';
    case 409:
      return 'error.closed_meeting';
    case 422:
      return error.message.startsWith('display_name') ? 'error.name_required' : 'error.invalid';
    case 429:
      return 'error.rate_limited';
    default:
      return error.status >= 500 ? 'error.network' : 'error.unknown';
  }
}

/** What the invite page shows first, from what the link grants and who this device is now. */
export type InviteStep =
  | { kind: 'organiser' }
  | { kind: 'switch'; current: SessionRead }
  | { kind: 'form' };

export function inviteStep(preview: InvitePreview, me: MeRead | null): InviteStep {
  // An organiser's link signs an account in beside any participant session; nothing is replaced.
  if (preview.role === 'organiser') return { kind: 'organiser' };
  const current = me?.participant ?? me?.account ?? null;
  if (!current) return { kind: 'form' };
  const samePerson = preview.participant_id !== null && current.participant_id === preview.participant_id;
  return samePerson ? { kind: 'form' } : { kind: 'switch', current };
}

/** The role a session holds on this device, as the vocabulary names it. */
export function sessionRole(session: SessionRead): NonNullable<SessionRead['role']> {
  return session.role ?? (session.kind === 'account' ? 'organiser' : 'participant');
}

/** Who this device is signed in as, or null when it holds no session. */
export async function currentMe(api: AuthApi): Promise<MeRead | null> {
  try {
    return await api.me();
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}
