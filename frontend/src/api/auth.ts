import { requestJson, type Fetch } from './http.ts';
import type { CodeJoinRequest, InvitePreview, JoinRequest, MeRead, SessionRead } from './types.ts';

export interface AuthApi {
  /** What an invite link is for, without opening it. */
  previewInvite(token: string): Promise<InvitePreview>;
  openInvite(token: string, body: JoinRequest): Promise<SessionRead>;
  joinByCode(body: CodeJoinRequest): Promise<SessionRead>;
  me(): Promise<MeRead>;
  login(email: string, password: string): Promise<SessionRead>;
  logout(): Promise<void>;
}

export function authApi(fetchImpl?: Fetch): AuthApi {
  return {
    previewInvite: (token) =>
      requestJson<InvitePreview>('GET', `/api/invites/${encodeURIComponent(token)}`, undefined, fetchImpl),
    openInvite: (token, body) =>
      requestJson<SessionRead>('POST', `/api/invites/${encodeURIComponent(token)}/open`, body, fetchImpl),
    joinByCode: (body) => requestJson<SessionRead>('POST', '/api/join', body, fetchImpl),
    me: () => requestJson<MeRead>('GET', '/api/auth/me', undefined, fetchImpl),
    login: (email, password) => requestJson<SessionRead>('POST', '/api/auth/login', { email, password }, fetchImpl),
    logout: () => requestJson<void>('POST', '/api/auth/logout', undefined, fetchImpl),
  };
}
