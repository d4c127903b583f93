import { describe, expect, it, vi } from 'vitest';
import type { AuthApi } from '../../api/auth.ts';
import { ApiError } from '../../api/http.ts';
import type { CodeJoinRequest, InvitePreview, JoinRequest, MeRead, SessionRead } from '../../api/types.ts';
import { currentMe, EMPTY_PROFILE, inviteStep, join, JoinFailed, joinErrorKey, joinRequest, sessionRole } from './join.ts';

const MEETING = '0b5c8f4e-2c1d-4a53-9d0e-6f7a8b9c0d1e';

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

function fakeApi(me: MeRead): AuthApi & { calls: unknown[][] } {
  const calls: unknown[][] = [];
  const session = who({ kind: 'participant' });
  return {
    calls,
    previewInvite: vi.fn(() => Promise.reject(new Error('unused'))),
    openInvite: vi.fn((token: string, body: JoinRequest) => {
      calls.push(['openInvite', token, body]);
      return Promise.resolve(session);
    }),
    joinByCode: vi.fn((body: CodeJoinRequest) => {
      calls.push(['joinByCode', body]);
      return Promise.resolve(session);
    }),
    me: vi.fn(() => Promise.resolve(me)),
    login: vi.fn(() => Promise.reject(new Error('unused'))),
    logout: vi.fn(() => Promise.resolve()),
  };
}

const participantMe: MeRead = {
  account: null,
  participant: who({
    kind: 'participant',
    participant_id: 'p1',
    meeting_id: MEETING,
    role: 'participant',
    room_id: null,
    display_name: 'Amina',
  }),
};

describe('joinRequest', () => {
  it('leaves out what was not given (a personal invite needs no name)', () => {
    expect(joinRequest(EMPTY_PROFILE)).toEqual({ organisation: '' });
  });

  it('trims and passes everything given', () => {
    expect(
      joinRequest({
        displayName: '  আমিনা রহমান ',
        email: ' amina@example.org ',
        organisation: ' Ministry ',
        organisationType: 'ministry',
        gender: 'female',
      }),
    ).toEqual({
      display_name: 'আমিনা রহমান',
      email: 'amina@example.org',
      organisation: 'Ministry',
      organisation_type: 'ministry',
      gender: 'female',
    });
  });
});

describe('join', () => {
  it('opens the invite, asks who we are, and goes to the meeting', async () => {
    const api = fakeApi(participantMe);
    const next = await join(api, { kind: 'invite', token: 'tok' }, { ...EMPTY_PROFILE, organisation: 'UNODC' });
    expect(api.calls).toEqual([['openInvite', 'tok', { organisation: 'UNODC' }]]);
    expect(next).toBe(`/meeting/${MEETING}`);
  });

  it('joins by code, upper-cased', async () => {
    const api = fakeApi(participantMe);
    await join(api, { kind: 'code', code: ' k7q2mx' }, { ...EMPTY_PROFILE, displayName: 'Rahim' });
    expect(api.calls).toEqual([['joinByCode', { code: 'K7Q2MX', display_name: 'Rahim', organisation: '' }]]);
  });

  it('sends an account holder opening a staff invite to the organiser console', async () => {
    const api = fakeApi({ account: who({ kind: 'account', display_name: 'Org' }), participant: null });
    await expect(join(api, { kind: 'invite', token: 't' }, EMPTY_PROFILE)).resolves.toBe('/organiser');
  });

  it('fails with a translatable reason', async () => {
    const api = fakeApi(participantMe);
    api.openInvite = () => Promise.reject(new ApiError(422, 'invalid', 'display_name: give the name others will see'));
    await expect(join(api, { kind: 'invite', token: 't' }, EMPTY_PROFILE)).rejects.toEqual(
      new JoinFailed('error.name_required'),
    );
  });
});

describe('joinErrorKey', () => {
  it.each([
    [new ApiError(0, 'network', ''), 'error.network'],
    [new ApiError(404, 'not_found', ''), 'error.not_found'],
    [new ApiError(404, 'sign_in_link_used', ''), 'error.sign_in_link_used'],
    [new ApiError(409, 'conflict', ''), 'error.closed_meeting'],
    [new ApiError(422, 'invalid', 'code: too short'), 'error.invalid'],
    [new ApiError(429, 'rate_limited', ''), 'error.rate_limited'],
    [new ApiError(503, 'http_503', ''), 'error.network'],
    [new Error('boom'), 'error.unknown'],
  ])('%o → %s', (error, key) => {
    expect(joinErrorKey(error)).toBe(key);
  });
});

const preview = (fields: Partial<InvitePreview> = {}): InvitePreview => ({
  meeting_id: MEETING,
  meeting_title: 'Think tank',
  role: 'moderator',
  room_name: 'Room 2',
  personal: true,
  invitee_name: 'Farhana',
  participant_id: 'm2',
  name_required: false,
  closed: false,
  signed_in_as: { account: null, participant: null },
  ...fields,
});

describe('inviteStep', () => {
  it('shows the form on a device that holds no session', () => {
    expect(inviteStep(preview(), null)).toEqual({ kind: 'form' });
  });

  it('asks before a participant phone becomes a moderator', () => {
    expect(inviteStep(preview(), participantMe)).toEqual({ kind: 'switch', current: participantMe.participant });
  });

  it('asks before an organiser’s device joins as a participant', () => {
    const organiser = who({ kind: 'account', display_name: 'Org' });
    const step = inviteStep(preview({ role: 'participant', personal: false, participant_id: null }), {
      account: organiser,
      participant: null,
    });
    expect(step).toEqual({ kind: 'switch', current: organiser });
  });

  it('does not ask when the link is for the person already signed in', () => {
    expect(inviteStep(preview({ role: 'participant', participant_id: 'p1' }), participantMe)).toEqual({ kind: 'form' });
  });

  it('sends an organiser link to the organiser sign-in, whoever holds the device', () => {
    expect(inviteStep(preview({ role: 'organiser', room_name: null }), participantMe)).toEqual({ kind: 'organiser' });
    expect(inviteStep(preview({ role: 'organiser', room_name: null }), null)).toEqual({ kind: 'organiser' });
  });
});

describe('sessionRole', () => {
  it('names an account an organiser and a session without a role a participant', () => {
    expect(sessionRole(who({ kind: 'account' }))).toBe('organiser');
    expect(sessionRole(who({ kind: 'participant' }))).toBe('participant');
    expect(sessionRole(who({ kind: 'participant', role: 'moderator' }))).toBe('moderator');
  });
});

describe('currentMe', () => {
  it('reads a missing session as nobody and passes other failures on', async () => {
    const api = fakeApi(participantMe);
    await expect(currentMe(api)).resolves.toEqual(participantMe);
    api.me = () => Promise.reject(new ApiError(401, 'not_authenticated', 'not signed in'));
    await expect(currentMe(api)).resolves.toBeNull();
    api.me = () => Promise.reject(new ApiError(0, 'network', ''));
    await expect(currentMe(api)).rejects.toBeInstanceOf(ApiError);
  });
});
