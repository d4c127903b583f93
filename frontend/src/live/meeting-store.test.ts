import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SessionRead } from '../api/types.ts';
import type { StreamSnapshot } from '../protocol/index.ts';
import {
  allocationView,
  answerView,
  event,
  meetingState,
  MEETING_ID,
  questionView,
  ROOM_A,
  ROOM_B,
  roomState,
  roomView,
} from '../state/fixtures.ts';
import { live } from './connection.svelte.ts';
import { MeetingStore } from './meeting-store.svelte.ts';

const ME = 'p-me';

function participant(): SessionRead {
  return {
    kind: 'participant',
    account_id: null,
    participant_id: ME,
    meeting_id: MEETING_ID,
    role: 'participant',
    room_id: ROOM_A,
    display_name: 'Amina',
    token: null,
  };
}

/** A store signed in as a participant of room A, with `fetch` answering from `routes`. */
function storeWith(routes: Record<string, unknown>): MeetingStore {
  vi.stubGlobal('fetch', (input: string) => {
    const path = String(input);
    const key = Object.keys(routes).find((prefix) => path.startsWith(prefix));
    if (key === undefined) return Promise.resolve(new Response('{"code":"not_found"}', { status: 404 }));
    return Promise.resolve(new Response(JSON.stringify(routes[key]), { status: 200 }));
  });
  const store = new MeetingStore(MEETING_ID);
  store.session = { who: participant(), key: `participant:${ME}`, isAccount: false };
  store.myRoomId = ROOM_A;
  return store;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

const question = questionView();
const pending = allocationView();
const roomSnapshot: StreamSnapshot = {
  stream: `room:${ROOM_A}`,
  seq: 4,
  epoch: 1,
  state: roomState({ allocations: [pending], questions: [question], answers: [answerView({ id: 'a1' })] }),
};

describe('MeetingStore', () => {
  it('loads a stream from its snapshot and reports the seq it reflects', async () => {
    const store = storeWith({
      [`/api/live/snapshot?meeting_id=${MEETING_ID}&stream=room`]: roomSnapshot,
      [`/api/rooms/${ROOM_A}/answers`]: [answerView({ id: 'a1', mine: true })],
    });
    await expect(store.snapshot(`room:${ROOM_A}`)).resolves.toBe(4);
    expect(store.rooms[ROOM_A]).toEqual(roomSnapshot.state);
    // Events never say whose an answer is; the reader's own REST read does.
    expect(store.personal['a1']).toEqual({ mine: true, voted: false });
  });

  it('keeps this person\'s choice per question, from the room\'s answers and from each acknowledged answer', async () => {
    const mine = answerView({ id: 'a1', mine: true, text: null, choice_ids: ['a'], question_id: 'q1' });
    const store = storeWith({
      [`/api/live/snapshot?meeting_id=${MEETING_ID}&stream=room`]: roomSnapshot,
      [`/api/rooms/${ROOM_A}/answers`]: [mine, answerView({ id: 'a2', mine: true, question_id: 'q2' })],
    });
    await store.snapshot(`room:${ROOM_A}`);
    expect(store.chosen).toEqual({ q1: mine }); // open-text answers are not choices
    const changed = { ...mine, choice_ids: ['b'] };
    store.accepted({ id: 'c2', type: 'answer.submit', room_id: ROOM_A, question_id: 'q1', choice_ids: ['b'] }, changed);
    expect(store.chosen['q1']?.choice_ids).toEqual(['b']);
  });

  it('a second tab of the same person follows the upvotes, endorsements and answers made in the first', async () => {
    vi.spyOn(live, 'send').mockResolvedValue(null); // the socket itself is the transport tests' part
    const first = storeWith({});
    const second = storeWith({});
    const stops = [first.followOtherTabs(), second.followOtherTabs()];
    try {
      await first.vote('a1', true);
      await vi.waitFor(() => expect(second.personal['a1']).toEqual({ mine: false, voted: true }));
      await first.vote('a1', false);
      await vi.waitFor(() => expect(second.personal['a1']?.voted).toBe(false));
      await first.endorse('f1');
      await vi.waitFor(() => expect([...second.endorsed]).toEqual(['f1']));
      const choice = answerView({ id: 'a9', mine: true, text: null, choice_ids: ['b'], question_id: 'q1' });
      first.accepted({ id: 'c1', type: 'answer.submit', room_id: ROOM_A, question_id: 'q1', choice_ids: ['b'] }, choice);
      await vi.waitFor(() => expect(second.chosen['q1']).toEqual(choice));
      expect(second.personal['a9']?.mine).toBe(true);
    } finally {
      for (const stop of stops) stop();
      vi.restoreAllMocks();
    }
  });

  it('a refused upvote is not told to the other tabs', async () => {
    vi.spyOn(live, 'send').mockRejectedValue(Object.assign(new Error('closed'), { code: 'question_closed' }));
    const first = storeWith({});
    const second = storeWith({});
    const stops = [first.followOtherTabs(), second.followOtherTabs()];
    try {
      await expect(first.vote('a1', true)).rejects.toThrow('closed');
      expect(first.personal['a1']?.voted).toBe(false);
      first.accepted(
        { id: 'c1', type: 'answer.submit', room_id: ROOM_A, question_id: 'q1', text: 'x' },
        answerView({ id: 'a2', mine: true }),
      );
      // Messages between tabs keep their order: the answer arriving means no vote came before it.
      await vi.waitFor(() => expect(second.personal['a2']?.mine).toBe(true));
      expect(second.personal['a1']).toBeUndefined();
    } finally {
      for (const stop of stops) stop();
      vi.restoreAllMocks();
    }
  });

  it('a stale snapshot plus the events since equals the fresh state', async () => {
    const store = storeWith({
      '/api/live/snapshot': roomSnapshot,
      '/api/rooms/': [],
    });
    await store.snapshot(`room:${ROOM_A}`);
    const live = allocationView({ state: 'live', pushed_at: '2025-05-01T10:01:00Z' });
    const second = answerView({ id: 'a2', text: 'Second' });
    store.event(event('question.pushed', { allocation: live, question }));
    store.event(event('answer.submitted', { room_id: ROOM_A, question_id: 'q1', answer_id: 'a2', answer: second, count: 2 }));
    store.event(event('answer.voted', { answer_id: 'a2', votes: 1 }));
    expect(store.rooms[ROOM_A]).toEqual(
      roomState({
        allocations: [live],
        questions: [question],
        answers: [answerView({ id: 'a1' }), { ...second, votes: 1 }],
        answer_counts: { q1: 2 },
      }),
    );
    expect(store.announcement).toMatchObject({ key: 'announce.question', text: question.text });
  });

  it('follows its participant into another room and announces it', async () => {
    const store = storeWith({ '/api/live/snapshot': roomSnapshot, '/api/rooms/': [] });
    await store.snapshot(`room:${ROOM_A}`);
    store.meeting = meetingState({ rooms: [roomView(), roomView({ id: ROOM_B, name: 'Room 2' })] });
    store.event(event('participant.moved', { participant_id: 'someone-else', from_room_id: ROOM_A, to_room_id: ROOM_B }));
    expect(store.myRoomId).toBe(ROOM_A);
    store.event(event('participant.moved', { participant_id: ME, from_room_id: ROOM_A, to_room_id: ROOM_B }));
    expect(store.myRoomId).toBe(ROOM_B);
    // The room's state stays with the transport's cursor: moved back, it is current or reloaded.
    expect(store.rooms[ROOM_A]).toEqual(roomSnapshot.state);
    expect(store.announcement).toMatchObject({ key: 'announce.moved', text: 'Room 2' });
  });

  it('lands its participant in the room the server begins sending, also from no room', () => {
    const store = storeWith({});
    store.meeting = meetingState({ rooms: [roomView(), roomView({ id: ROOM_B, name: 'Room 2' })] });
    store.myRoomId = null; // joined with the code: no room, so no room stream tells of the move
    store.joined(`room:${ROOM_B}`);
    expect(store.myRoomId).toBe(ROOM_B);
    expect(store.announcement).toMatchObject({ key: 'announce.moved', text: 'Room 2' });
    store.joined(`meeting:${MEETING_ID}`);
    expect(store.myRoomId).toBe(ROOM_B);
  });

  it('takes its room from the streams of the welcome (moved while the phone was offline)', () => {
    const store = storeWith({});
    store.streams([`meeting:${MEETING_ID}`, `room:${ROOM_B}`]);
    expect(store.myRoomId).toBe(ROOM_B);
    store.streams([`meeting:${MEETING_ID}`]);
    expect(store.myRoomId).toBeNull();
  });

  it('follows a move out of its room that a snapshot loaded meanwhile already reflects', () => {
    const store = storeWith({});
    store.covered(event('participant.moved', { participant_id: ME, from_room_id: ROOM_A, to_room_id: null }));
    expect(store.myRoomId).toBeNull();
  });

  it('reads its session again when the socket comes back as the roster entry it was matched to', async () => {
    const entry = { ...participant(), participant_id: 'p-roster', display_name: 'Amina Rahman' };
    const store = storeWith({ '/api/auth/me': { account: null, participant: entry } });
    store.welcomed(ME);
    store.welcomed(null);
    expect(store.participantId).toBe(ME);
    store.welcomed('p-roster');
    await vi.waitFor(() => expect(store.participantId).toBe('p-roster'));
    expect(store.session?.who.display_name).toBe('Amina Rahman');
  });

  it('leaves a moderator in the room they signed in for', () => {
    const store = storeWith({});
    store.session = { who: { ...participant(), role: 'moderator' }, key: `participant:${ME}`, isAccount: false };
    store.streams([`meeting:${MEETING_ID}`, `staff:${MEETING_ID}`, `room:${ROOM_B}`]);
    store.joined(`room:${ROOM_B}`);
    expect(store.myRoomId).toBe(ROOM_A);
  });

  it('announces the rooms opening and closing, and broadcasts', () => {
    const store = storeWith({});
    store.meeting = meetingState();
    const opened = meetingState().meeting;
    store.event(event('meeting.phase_changed', { phase: 'breakouts', previous: 'plenary', meeting: { ...opened, phase: 'breakouts' } }, `meeting:${MEETING_ID}`));
    expect(store.announcement?.key).toBe('announce.rooms_open');
    store.event(event('meeting.phase_changed', { phase: 'report_back', previous: 'breakouts', meeting: { ...opened, phase: 'report_back' } }, `meeting:${MEETING_ID}`));
    expect(store.announcement?.key).toBe('announce.rooms_closed');
    const broadcast = { id: 'b1', message: 'Five minutes', created_at: '2025-05-01T10:00:00Z' };
    store.event(event('broadcast.sent', { broadcast }, `meeting:${MEETING_ID}`));
    expect(store.announcement).toMatchObject({ key: 'announce.broadcast', text: 'Five minutes' });
    expect(store.meeting.broadcasts).toEqual([broadcast]);
  });

  it('tells only someone in a room that they are in their room when the rooms open', () => {
    const opened = meetingState().meeting;
    const phaseChanged = () =>
      event('meeting.phase_changed', { phase: 'breakouts', previous: 'plenary', meeting: { ...opened, phase: 'breakouts' } }, `meeting:${MEETING_ID}`);
    const unplaced = storeWith({});
    unplaced.meeting = meetingState();
    unplaced.myRoomId = null;
    unplaced.event(phaseChanged());
    expect(unplaced.announcement?.key).toBe('announce.rooms_open_no_room');
    const organiser = storeWith({});
    organiser.meeting = meetingState();
    organiser.session = {
      who: { ...participant(), kind: 'account', participant_id: null, role: null, room_id: null },
      key: 'account:organiser',
      isAccount: true,
    };
    organiser.myRoomId = null;
    organiser.event(phaseChanged());
    expect(organiser.announcement?.key).toBe('announce.rooms_open_overview');
  });

  it('merges presence entries as they change', () => {
    const store = storeWith({});
    const entry = (id: string, connected: boolean) => ({ participant_id: id, room_id: ROOM_A, connected, last_seen: '' });
    const joined = { type: 'presence.changed', entries: [entry('p1', true), entry('p2', true)] };
    const left = { type: 'presence.changed', entries: [entry('p2', false)] };
    store.ephemeral(joined);
    store.ephemeral(left);
    expect(store.presence['p1']?.connected).toBe(true);
    expect(store.presence['p2']?.connected).toBe(false);
  });
});
