import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/http.ts';
import type { SessionRead } from '../api/types.ts';
import { landingPathOf, loadErrorKey, PageLoadFailed, sessionFrom } from './session.ts';

const who = (fields: Partial<SessionRead> & Pick<SessionRead, 'kind'>): SessionRead => ({
  account_id: null,
  display_name: 'x',
  meeting_id: null,
  participant_id: null,
  role: null,
  room_id: null,
  token: null,
  ...fields,
});

describe('sessionFrom', () => {
  it('prefers the participant session', () => {
    const session = sessionFrom({
      account: who({ kind: 'account', account_id: 'a1', display_name: 'Org' }),
      participant: who({ kind: 'participant', participant_id: 'p1', meeting_id: 'm1', display_name: 'Amina' }),
    });
    expect(session?.key).toBe('participant:p1');
    expect(session?.isAccount).toBe(false);
  });

  it('falls back to the account, and to nothing', () => {
    expect(sessionFrom({ account: who({ kind: 'account', account_id: 'a1', display_name: 'Org' }), participant: null })?.key).toBe(
      'account:a1',
    );
    expect(sessionFrom({ account: null, participant: null })).toBeNull();
  });
});

describe('loadErrorKey', () => {
  it.each([
    [new PageLoadFailed('error.not_signed_in'), 'error.not_signed_in'],
    [new ApiError(0, 'network', ''), 'error.network'],
    [new ApiError(401, 'not_authenticated', ''), 'error.not_signed_in'],
    [new ApiError(403, 'forbidden', ''), 'error.forbidden'],
    [new ApiError(404, 'not_found', ''), 'error.not_found'],
    [new ApiError(500, 'x', ''), 'error.network'],
    ['weird', 'error.unknown'],
  ])('%o → %s', (error, key) => {
    expect(loadErrorKey(error)).toBe(key);
  });
});

describe('landingPathOf', () => {
  it('sends a participant or moderator to their meeting and an organiser to their meetings', () => {
    expect(landingPathOf(who({ kind: 'participant', participant_id: 'p1', meeting_id: 'm1' }))).toBe('/meeting/m1');
    expect(landingPathOf(who({ kind: 'account', account_id: 'a1' }))).toBe('/organiser');
  });
});
