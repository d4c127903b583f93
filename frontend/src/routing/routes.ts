/** The app's addresses. Pure: parsing and building paths, no history or DOM. */

export type Route =
  | { name: 'join-invite'; token: string }
  | { name: 'join-code'; code: string }
  | { name: 'organiser' }
  | { name: 'console'; meetingId: string }
  | { name: 'roster-links'; meetingId: string }
  | { name: 'meeting'; meetingId: string }
  | { name: 'projector'; meetingId: string }
  | { name: 'report'; token: string }
  | { name: 'present'; token: string }
  | { name: 'not-found' };

/** Ids and signed tokens are URL-safe by construction; anything else is not one of ours. */
const SEGMENT = /^[A-Za-z0-9._~-]{1,512}$/;
const CODE = /^[A-Za-z0-9-]{0,12}$/;

function segment(raw: string | undefined): string | null {
  if (raw === undefined) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return null;
  }
  return SEGMENT.test(decoded) ? decoded : null;
}

export function parseRoute(pathname: string, search: string): Route {
  const parts = pathname.split('/').filter((part) => part !== '');
  const [head, arg, extra, more] = parts;
  if (more !== undefined) return { name: 'not-found' };
  if (extra !== undefined) {
    // The one page below a meeting: the printable sheet of personal links.
    const id = head === 'organiser' && extra === 'links' ? segment(arg) : null;
    return id ? { name: 'roster-links', meetingId: id } : { name: 'not-found' };
  }
  switch (head) {
    case undefined:
      return { name: 'join-code', code: '' };
    case 'join': {
      if (arg === undefined) {
        const code = (new URLSearchParams(search).get('code') ?? '').trim().toUpperCase();
        return { name: 'join-code', code: CODE.test(code) ? code : '' };
      }
      const token = segment(arg);
      return token ? { name: 'join-invite', token } : { name: 'not-found' };
    }
    case 'organiser': {
      if (arg === undefined) return { name: 'organiser' };
      const id = segment(arg);
      return id ? { name: 'console', meetingId: id } : { name: 'not-found' };
    }
    case 'meeting':
    case 'projector': {
      const id = segment(arg);
      if (!id) return { name: 'not-found' };
      return { name: head, meetingId: id };
    }
    case 'reports': {
      const token = segment(arg);
      return token ? { name: 'report', token } : { name: 'not-found' };
    }
    case 'present': {
      const token = segment(arg);
      return token ? { name: 'present', token } : { name: 'not-found' };
    }
    default:
      return { name: 'not-found' };
  }
}

export const paths = {
  joinWithCode: (code = ''): string => (code ? `/join?code=${encodeURIComponent(code)}` : '/join'),
  organiser: (): string => '/organiser',
  console: (meetingId: string): string => `/organiser/${encodeURIComponent(meetingId)}`,
  rosterLinks: (meetingId: string): string => `/organiser/${encodeURIComponent(meetingId)}/links`,
  meeting: (meetingId: string): string => `/meeting/${encodeURIComponent(meetingId)}`,
  projector: (meetingId: string): string => `/projector/${encodeURIComponent(meetingId)}`,
  report: (token: string): string => `/reports/${encodeURIComponent(token)}`,
  present: (token: string): string => `/present/${encodeURIComponent(token)}`,
};
