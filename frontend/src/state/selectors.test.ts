import { describe, expect, it } from 'vitest';
import { allocationView, answerView, questionView, ROOM_A, ROOM_B, roomState, rosterEntry, timerView } from './fixtures.ts';
import {
  answersTo,
  answerText,
  formatClock,
  liveQuestion,
  nextTimer,
  roomOverview,
  roomQuestions,
  secondsUntil,
  withoutRoom,
} from './selectors.ts';

describe('room selectors', () => {
  const q1 = questionView({ id: 'q1' });
  const q2 = questionView({ id: 'q2', code: 'S1' });
  const room = roomState({
    questions: [q1, q2],
    allocations: [
      allocationView({ id: 'al2', question_id: 'q2', position: 1, state: 'live' }),
      allocationView({ id: 'al1', question_id: 'q1', position: 0, state: 'closed' }),
    ],
    answers: [
      answerView({ id: 'old', question_id: 'q2', created_at: '2025-05-01T10:00:00Z' }),
      answerView({ id: 'voted', question_id: 'q2', votes: 3 }),
      answerView({ id: 'pinned', question_id: 'q2', pinned: true }),
      answerView({ id: 'hidden', question_id: 'q2', hidden: true, votes: 9 }),
      answerView({ id: 'merged', question_id: 'q2', merged_into_id: 'voted' }),
      answerView({ id: 'other', question_id: 'q1' }),
    ],
  });

  it('finds the live question and orders the room questions', () => {
    expect(liveQuestion(room)?.question.id).toBe('q2');
    expect(roomQuestions(room).map((entry) => entry.question.id)).toEqual(['q1', 'q2']);
    expect(liveQuestion(roomState())).toBeNull();
  });

  it('orders answers pinned, then by votes, and hides what peers may not see', () => {
    expect(answersTo(room, 'q2', false).map((answer) => answer.id)).toEqual(['pinned', 'voted', 'old']);
    expect(answersTo(room, 'q2', true).map((answer) => answer.id)).toEqual(['pinned', 'hidden', 'voted', 'old', 'merged']);
  });

  it('writes any kind of answer as text', () => {
    const choice = questionView({ kind: 'multiple_choice', options: [{ id: 'fin', label: 'Financial investigation' }, { id: 'jit', label: 'Joint teams' }] });
    expect(answerText(answerView({ text: null, choice_ids: ['jit', 'fin'] }), choice)).toBe('Joint teams, Financial investigation');
    const scale = questionView({ kind: 'scale', scale_min: 1, scale_max: 5, scale_labels: { '5': 'Ready' } });
    expect(answerText(answerView({ text: null, scale_value: 5 }), scale)).toBe('5 (Ready)');
    expect(answerText(answerView({ text: null, scale_value: 2 }), scale)).toBe('2');
    expect(answerText(answerView({ text: '<img src=x>' }))).toBe('<img src=x>');
  });
});

describe('time', () => {
  it('counts whole seconds down, never below zero', () => {
    const now = Date.parse('2025-05-01T10:00:00Z');
    expect(secondsUntil('2025-05-01T10:01:00Z', now)).toBe(60);
    expect(secondsUntil('2025-05-01T10:00:00.200Z', now)).toBe(0);
    expect(secondsUntil('2025-05-01T10:00:00.600Z', now)).toBe(1);
    // A one-minute timer seen up to half a second late or early still reads a minute.
    expect(formatClock(secondsUntil('2025-05-01T10:01:00.400Z', now))).toBe('1:00');
    expect(formatClock(secondsUntil('2025-05-01T10:00:59.600Z', now))).toBe('1:00');
    expect(secondsUntil('2025-05-01T09:00:00Z', now)).toBe(0);
    expect(secondsUntil('not a time', now)).toBe(0);
  });

  it('formats a clock', () => {
    expect(formatClock(0)).toBe('0:00');
    expect(formatClock(59)).toBe('0:59');
    expect(formatClock(600)).toBe('10:00');
    expect(formatClock(3725)).toBe('1:02:05');
  });

  it('picks the timer that ends first and is still running', () => {
    const now = Date.parse('2025-05-01T10:00:00Z');
    const timers = [
      timerView({ id: 'late', ends_at: '2025-05-01T10:30:00Z' }),
      timerView({ id: 'soon', ends_at: '2025-05-01T10:05:00Z' }),
      timerView({ id: 'over', ends_at: '2025-05-01T09:00:00Z' }),
    ];
    expect(nextTimer(timers, now)?.id).toBe('soon');
    expect(nextTimer([], now)).toBeNull();
  });
});

describe('roomOverview', () => {
  it('counts assigned and present participants, progress and open help', () => {
    const roster = [
      rosterEntry({ id: 'p1', room_id: ROOM_A }),
      rosterEntry({ id: 'p2', room_id: ROOM_A }),
      rosterEntry({ id: 'm1', room_id: ROOM_A, role: 'moderator' }),
      rosterEntry({ id: 'p3', room_id: ROOM_B }),
    ];
    const presence = {
      p1: { participant_id: 'p1', room_id: ROOM_A, connected: true, last_seen: '' },
      p2: { participant_id: 'p2', room_id: ROOM_A, connected: false, last_seen: '' },
    };
    const progress = [{ room_id: ROOM_A, question_id: 'q1', answered: 1, assigned: 2 }];
    const help = [
      { room_id: ROOM_A, resolved_at: null },
      { room_id: ROOM_A, resolved_at: '2025-05-01T10:00:00Z' },
    ];
    expect(roomOverview(ROOM_A, roster, presence, progress, help)).toEqual({
      roomId: ROOM_A,
      assigned: 2,
      present: 1,
      progress: progress[0],
      openHelp: 1,
    });
  });
});

describe('withoutRoom', () => {
  it('lists the participants in no room, online first, and counts those online', () => {
    const roster = [
      rosterEntry({ id: 'zara', display_name: 'Zara' }),
      rosterEntry({ id: 'bilal', display_name: 'Bilal' }),
      rosterEntry({ id: 'amina', display_name: 'Amina', room_id: ROOM_A }),
      rosterEntry({ id: 'maya', display_name: 'Maya', role: 'moderator' }),
      rosterEntry({ id: 'chandra', display_name: 'Chandra' }),
    ];
    const entry = (id: string, connected: boolean) => ({ participant_id: id, room_id: null, connected, last_seen: '' });
    const presence = { zara: entry('zara', true), bilal: entry('bilal', false), amina: entry('amina', true) };
    const tray = withoutRoom(roster, presence);
    expect(tray.people.map((person) => person.id)).toEqual(['zara', 'bilal', 'chandra']);
    expect(tray.online).toBe(1);
    expect(withoutRoom([], {})).toEqual({ people: [], online: 0 });
  });
});
