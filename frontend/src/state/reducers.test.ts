import { describe, expect, it } from 'vitest';
import schema from '../protocol/schema.json';
import {
  allocationView,
  answerView,
  event,
  findingView,
  helpView,
  meetingState,
  meetingView,
  questionView,
  ROOM_A,
  ROOM_B,
  roomState,
  roomView,
  rosterEntry,
  staffState,
  timerView,
} from './fixtures.ts';
import { EVENT_STREAM_KINDS, reduceMeeting, reduceRoom, reduceStaff } from './reducers.ts';

const MEETING_STREAM = 'meeting:m';

/** The event types the schema knows (`ServerEventFrame`'s members' `type` constants). */
function schemaEventTypes(): string[] {
  const defs = schema.$defs as Record<string, { properties?: { type?: { const?: string } } }>;
  const members = (schema.$defs.ServerEventFrame as { oneOf: { $ref: string }[] }).oneOf;
  return members.map((member) => defs[member.$ref.split('/').pop() ?? '']?.properties?.type?.const ?? '?').sort();
}

describe('the reducers cover the protocol', () => {
  it('every event type of the schema has its stream kinds, and no other type is listed', () => {
    expect(Object.keys(EVENT_STREAM_KINDS).sort()).toEqual(schemaEventTypes());
  });

  it('an event for another kind of stream leaves a state as it was', () => {
    const meeting = meetingState();
    const room = roomState();
    const staff = staffState();
    const help = event('help.requested', { help: helpView() }, 'staff:m');
    expect(reduceMeeting(meeting, help)).toBe(meeting);
    expect(reduceRoom(room, help, true)).toBe(room);
    expect(reduceStaff(staff, event('answer.voted', { answer_id: 'a1', votes: 3 }))).toBe(staff);
  });
});

describe('the meeting stream', () => {
  const changed = meetingView({ phase: 'breakouts', title: 'Renamed' });
  it.each(['meeting.created', 'meeting.updated', 'meeting.breakouts_timing_changed', 'agenda.changed', 'agenda.current_changed'] as const)(
    '%s replaces the meeting',
    (type) => {
      const next = reduceMeeting(meetingState(), event(type, { meeting: changed }, MEETING_STREAM));
      expect(next.meeting).toEqual(changed);
    },
  );

  it('meeting.phase_changed replaces the meeting with its new phase', () => {
    const next = reduceMeeting(meetingState(), event('meeting.phase_changed', { phase: 'breakouts', previous: 'plenary', meeting: changed }, MEETING_STREAM));
    expect(next.meeting.phase).toBe('breakouts');
  });

  it('meeting.phase_changed ends the broadcasts of the phase left', () => {
    const broadcast = { id: 'b1', message: 'Round 1: ten minutes left', created_at: '2025-05-01T10:00:00Z' };
    const before = meetingState({ broadcasts: [broadcast] });
    const next = reduceMeeting(before, event('meeting.phase_changed', { phase: 'report_back', previous: 'breakouts', meeting: changed }, MEETING_STREAM));
    expect(next.broadcasts).toEqual([]);
    expect(before.broadcasts).toEqual([broadcast]);
  });

  it('meeting.breakouts_closing replaces the planned end with the countdown', () => {
    const before = meetingState({ meeting: meetingView({ phase: 'breakouts', breakouts_end_at: '2025-05-01T11:00:00Z' }) });
    const next = reduceMeeting(before, event('meeting.breakouts_closing', { close_at: '2025-05-01T11:01:00Z', next_phase: 'report_back' }, MEETING_STREAM));
    expect(next.meeting.breakouts_end_at).toBeNull();
    expect(next.meeting.breakouts_close_at).toBe('2025-05-01T11:01:00Z');
  });

  it('meeting.breakouts_closing sets the close time and keeps the rest', () => {
    const before = meetingState();
    const next = reduceMeeting(before, event('meeting.breakouts_closing', { close_at: '2025-05-01T11:00:00Z', next_phase: 'plenary' }, MEETING_STREAM));
    expect(next.meeting.breakouts_close_at).toBe('2025-05-01T11:00:00Z');
    expect(before.meeting.breakouts_close_at).toBeNull();
  });

  it('room.created, room.updated and room.removed keep the room list', () => {
    let state = reduceMeeting(meetingState(), event('room.created', { room: roomView() }, MEETING_STREAM));
    state = reduceMeeting(state, event('room.created', { room: roomView({ id: ROOM_B, name: 'Room 2' }) }, MEETING_STREAM));
    state = reduceMeeting(state, event('room.updated', { room: roomView({ name: 'Room One' }) }, MEETING_STREAM));
    expect(state.rooms.map((room) => room.name)).toEqual(['Room One', 'Room 2']);
    state = reduceMeeting(state, event('room.removed', { room_id: ROOM_A }, MEETING_STREAM));
    expect(state.rooms.map((room) => room.id)).toEqual([ROOM_B]);
  });

  it('timer.started, timer.extended and timer.stopped keep the running meeting-wide timers', () => {
    let state = reduceMeeting(meetingState(), event('timer.started', { timer: timerView() }, MEETING_STREAM));
    state = reduceMeeting(state, event('timer.extended', { timer: timerView({ ends_at: '2025-05-01T10:10:00Z' }) }, MEETING_STREAM));
    expect(state.timers).toEqual([timerView({ ends_at: '2025-05-01T10:10:00Z' })]);
    state = reduceMeeting(state, event('timer.stopped', { timer: timerView({ stopped_at: '2025-05-01T10:01:00Z' }) }, MEETING_STREAM));
    expect(state.timers).toEqual([]);
  });

  it('a room timer does not enter the meeting-wide timers', () => {
    const state = meetingState();
    expect(reduceMeeting(state, event('timer.started', { timer: timerView({ room_id: ROOM_A }) }, MEETING_STREAM))).toBe(state);
  });

  it('broadcast.sent adds the broadcast once', () => {
    const broadcast = { id: 'b1', message: 'Five minutes left', created_at: '2025-05-01T10:00:00Z' };
    let state = reduceMeeting(meetingState(), event('broadcast.sent', { broadcast }, MEETING_STREAM));
    state = reduceMeeting(state, event('broadcast.sent', { broadcast }, MEETING_STREAM));
    expect(state.broadcasts).toEqual([broadcast]);
  });

  it('plenary.changed moves the plenary focus', () => {
    const focus = { room_id: ROOM_B, question_id: null, version: 3, page: 0 };
    expect(reduceMeeting(meetingState(), event('plenary.changed', focus, MEETING_STREAM)).plenary).toEqual(focus);
  });

  it('plenary.changed carries the page the presenter shows, and the next one replaces it', () => {
    const second = { room_id: ROOM_B, question_id: null, version: 4, page: 1 };
    let state = reduceMeeting(meetingState(), event('plenary.changed', second, MEETING_STREAM));
    expect(state.plenary?.page).toBe(1);
    state = reduceMeeting(state, event('plenary.changed', { ...second, version: 5, page: 0 }, MEETING_STREAM));
    expect(state.plenary).toEqual({ room_id: ROOM_B, question_id: null, version: 5, page: 0 });
  });

  it('projector.link_changed leaves the meeting state as it was', () => {
    const before = meetingState();
    expect(reduceMeeting(before, event('projector.link_changed', { shared: false }, MEETING_STREAM))).toBe(before);
  });

  it('report.link_changed shares the report link, and a revocation takes it away', () => {
    const url = 'https://breakouts.example/reports/abc.def';
    const shared = reduceMeeting(meetingState(), event('report.link_changed', { url }, MEETING_STREAM));
    expect(shared.report_url).toBe(url);
    expect(reduceMeeting(shared, event('report.link_changed', { url: null }, MEETING_STREAM)).report_url).toBeNull();
  });
});

describe('a room stream', () => {
  const question = questionView();
  const live = allocationView({ state: 'live', pushed_at: '2025-05-01T10:01:00Z' });

  it('question.allocated replaces the room questions, and ignores another room', () => {
    const data = { room_id: ROOM_A, allocations: [allocationView()], questions: [question] };
    const next = reduceRoom(roomState(), event('question.allocated', data), true);
    expect(next.allocations).toEqual([allocationView()]);
    expect(next.questions).toEqual([question]);
    const other = roomState();
    expect(reduceRoom(other, event('question.allocated', { ...data, room_id: ROOM_B }), true)).toBe(other);
  });

  it('question.pushed makes the question live', () => {
    const next = reduceRoom(roomState({ allocations: [allocationView()] }), event('question.pushed', { allocation: live, question }), false);
    expect(next.allocations).toEqual([live]);
    expect(next.questions).toEqual([question]);
  });

  it('question.closed closes it and reveals the answers shown after close', () => {
    const closed = allocationView({ state: 'closed', closed_at: '2025-05-01T10:09:00Z' });
    const revealed = answerView({ id: 'a9' });
    const next = reduceRoom(roomState({ allocations: [live] }), event('question.closed', { allocation: closed, answers: [revealed] }), false);
    expect(next.allocations).toEqual([closed]);
    expect(next.answers).toEqual([revealed]);
  });

  it('answer.submitted adds the answer and the count; a hidden-until-close answer only counts', () => {
    let state = reduceRoom(roomState(), event('answer.submitted', { room_id: ROOM_A, question_id: 'q1', answer_id: 'a1', answer: answerView(), count: 1 }), false);
    expect(state.answers).toEqual([answerView()]);
    state = reduceRoom(state, event('answer.submitted', { room_id: ROOM_A, question_id: 'q1', answer_id: 'a2', answer: null, count: 2 }), false);
    expect(state.answers.map((answer) => answer.id)).toEqual(['a1']);
    expect(state.answer_counts).toEqual({ q1: 2 });
  });

  it('answer.edited replaces the answer', () => {
    const edited = answerView({ text: 'A wider gap' });
    const next = reduceRoom(roomState({ answers: [answerView()] }), event('answer.edited', { answer_id: 'a1', answer: edited }), false);
    expect(next.answers).toEqual([edited]);
  });

  it('answer.moderated flags it for staff, and drops it for readers who may not see it', () => {
    const hidden = answerView({ hidden: true });
    const staff = reduceRoom(roomState({ answers: [answerView()] }), event('answer.moderated', { answer_id: 'a1', answer: hidden }), true);
    expect(staff.answers).toEqual([hidden]);
    const peers = reduceRoom(roomState({ answers: [answerView()] }), event('answer.moderated', { answer_id: 'a1', answer: null }), false);
    expect(peers.answers).toEqual([]);
  });

  it('answer.merged keeps the sources for staff and drops them for peers', () => {
    const sources = [answerView({ id: 'a1' }), answerView({ id: 'a2' })];
    const into = answerView({ id: 'm1', source_ids: ['a1', 'a2'] });
    const data = { merged: into, source_ids: ['a1', 'a2'] };
    const staff = reduceRoom(roomState({ answers: sources }), event('answer.merged', data), true);
    expect(staff.answers.map((answer) => [answer.id, answer.merged_into_id])).toEqual([
      ['a1', 'm1'],
      ['a2', 'm1'],
      ['m1', null],
    ]);
    const peers = reduceRoom(roomState({ answers: sources }), event('answer.merged', data), false);
    expect(peers.answers).toEqual([into]);
    const unseen = reduceRoom(roomState({ answers: sources }), event('answer.merged', { merged: null, source_ids: ['a1', 'a2'] }), false);
    expect(unseen.answers).toEqual([]);
  });

  it('question.tally replaces the question\'s tally as a level, and null removes it', () => {
    const tally = (question_id: string, yes: number, no: number) => ({
      question_id,
      respondents: yes + no,
      options: [
        { option_id: 'yes', count: yes },
        { option_id: 'no', count: no },
      ],
      scale: [],
      mean: null,
      median: null,
    });
    const other = tally('q2', 1, 0);
    const before = roomState({ tallies: [tally('q1', 1, 0), other] });
    const data = { room_id: ROOM_A, question_id: 'q1', tally: tally('q1', 2, 3) };
    const next = reduceRoom(before, event('question.tally', data), false);
    expect(next.tallies).toEqual([other, tally('q1', 2, 3)]);
    expect(before.tallies[0]?.respondents).toBe(1); // the earlier state is not changed
    const again = reduceRoom(next, event('question.tally', data), false);
    expect(again.tallies).toEqual(next.tallies); // applying a level twice changes nothing
    const hidden = reduceRoom(next, event('question.tally', { ...data, tally: null }), false);
    expect(hidden.tallies).toEqual([other]);
  });

  it('question.allocated drops the tallies of questions no longer allocated to the room', () => {
    const tally = { question_id: 'q2', respondents: 0, options: [], scale: [], mean: null, median: null };
    const before = roomState({ tallies: [tally] });
    const data = { room_id: ROOM_A, allocations: [allocationView()], questions: [questionView()] };
    expect(reduceRoom(before, event('question.allocated', data), true).tallies).toEqual([]);
    const kept = { room_id: ROOM_A, allocations: [allocationView({ question_id: 'q2' })], questions: [questionView()] };
    expect(reduceRoom(before, event('question.allocated', kept), true).tallies).toEqual([tally]);
  });

  it('question.groups sets the allocation\'s flag and replaces the question\'s groups as a level', () => {
    const group = (label: string, ids: string[]) => ({ label, count: ids.length, answer_ids: ids });
    const other = { question_id: 'q2', groups: [group('Train prosecutors', ['a9'])] };
    const before = roomState({
      allocations: [allocationView(), allocationView({ id: 'al2', question_id: 'q2', grouped: true })],
      answer_groups: [{ question_id: 'q1', groups: [group('Close the gap', ['a1'])] }, other],
    });
    const groups = { question_id: 'q1', groups: [group('Close the gap', ['a1', 'a2']), group('Fund shelters', ['a3'])] };
    const data = { room_id: ROOM_A, question_id: 'q1', grouped: true, groups };
    const next = reduceRoom(before, event('question.groups', data), false);
    expect(next.answer_groups).toEqual([other, groups]);
    expect(next.allocations.map((allocation) => allocation.grouped)).toEqual([true, true]);
    expect(before.allocations[0]?.grouped).toBe(false); // the earlier state is not changed
    expect(reduceRoom(next, event('question.groups', data), false)).toEqual(next); // a level applied twice
    // Not to be seen yet (shown only after close): grouping is on, the groups are not here.
    const unseen = reduceRoom(next, event('question.groups', { ...data, groups: null }), false);
    expect(unseen.answer_groups).toEqual([other]);
    expect(unseen.allocations[0]?.grouped).toBe(true);
    const off = reduceRoom(next, event('question.groups', { ...data, grouped: false, groups: null }), true);
    expect(off.answer_groups).toEqual([other]);
    expect(off.allocations[0]?.grouped).toBe(false);
  });

  it('question.allocated drops the groups of questions no longer allocated to the room', () => {
    const groups = { question_id: 'q2', groups: [{ label: 'Close the gap', count: 1, answer_ids: ['a1'] }] };
    const before = roomState({ answer_groups: [groups] });
    const data = { room_id: ROOM_A, allocations: [allocationView()], questions: [questionView()] };
    expect(reduceRoom(before, event('question.allocated', data), true).answer_groups).toEqual([]);
    const kept = { room_id: ROOM_A, allocations: [allocationView({ question_id: 'q2' })], questions: [questionView()] };
    expect(reduceRoom(before, event('question.allocated', kept), true).answer_groups).toEqual([groups]);
  });

  it('answer.voted sets the count', () => {
    const next = reduceRoom(roomState({ answers: [answerView()] }), event('answer.voted', { answer_id: 'a1', votes: 4 }), false);
    expect(next.answers[0]?.votes).toBe(4);
  });

  it.each(['finding.drafted', 'finding.edited', 'finding.proposed', 'finding.endorsed', 'finding.confirmed'] as const)(
    '%s puts the finding in place, or drops it for readers who may not see it',
    (type) => {
      const finding = findingView({ status: type === 'finding.confirmed' ? 'confirmed' : 'proposed', endorsements: 2 });
      const seen = reduceRoom(roomState({ findings: [findingView()] }), event(type, { finding_id: 'f1', room_id: ROOM_A, finding }), true);
      expect(seen.findings).toEqual([finding]);
      const unseen = reduceRoom(roomState({ findings: [findingView()] }), event(type, { finding_id: 'f1', room_id: ROOM_A, finding: null }), false);
      expect(unseen.findings).toEqual([]);
    },
  );

  it('finding.removed drops it', () => {
    const next = reduceRoom(roomState({ findings: [findingView()] }), event('finding.removed', { finding_id: 'f1' }), true);
    expect(next.findings).toEqual([]);
  });

  it.each(['timer.started', 'timer.extended', 'timer.stopped'] as const)('%s keeps the room timer', (type) => {
    const timer = timerView({ room_id: ROOM_A, stopped_at: type === 'timer.stopped' ? '2025-05-01T10:02:00Z' : null });
    const next = reduceRoom(roomState({ timers: [timerView({ room_id: ROOM_A })] }), event(type, { timer }), false);
    expect(next.timers).toEqual(type === 'timer.stopped' ? [] : [timer]);
  });

  it('hand events keep the hands up for staff and change nothing for peers', () => {
    const hand = {
      id: 'h1',
      room_id: ROOM_A,
      participant_id: 'p1',
      name: 'Amina',
      status: 'raised' as const,
      created_at: '2025-05-01T10:00:00Z',
      acknowledged_at: null,
      lowered_at: null,
    };
    let state = reduceRoom(roomState(), event('hand.raised', { hand_id: 'h1', room_id: ROOM_A, status: 'raised', hand }), true);
    expect(state.hands).toEqual([hand]);
    const handled = { ...hand, status: 'acknowledged' as const, acknowledged_at: '2025-05-01T10:01:00Z' };
    state = reduceRoom(state, event('hand.acknowledged', { hand_id: 'h1', room_id: ROOM_A, status: 'acknowledged', hand: handled }), true);
    expect(state.hands).toEqual([handled]);
    const answered = { ...handled, status: 'answered' as const, lowered_at: '2025-05-01T10:02:00Z' };
    state = reduceRoom(state, event('hand.answered', { hand_id: 'h1', room_id: ROOM_A, status: 'answered', hand: answered }), true);
    expect(state.hands).toEqual([]);
    const peers = roomState();
    expect(reduceRoom(peers, event('hand.raised', { hand_id: 'h1', room_id: ROOM_A, status: 'raised', hand: null }), false)).toBe(peers);
  });

  it('participant.moved changes nothing a room holds', () => {
    const state = roomState();
    expect(reduceRoom(state, event('participant.moved', { participant_id: 'p1', from_room_id: ROOM_A, to_room_id: ROOM_B }), false)).toBe(state);
  });

  it('never changes the state it was given', () => {
    const before = roomState({ answers: [answerView()] });
    const copy = structuredClone(before);
    reduceRoom(before, event('answer.voted', { answer_id: 'a1', votes: 9 }), false);
    expect(before).toEqual(copy);
  });
});

describe('the staff stream', () => {
  it('participant.joined and participant.updated keep the roster', () => {
    let state = reduceStaff(staffState(), event('participant.joined', { participant: rosterEntry() }, 'staff:m'));
    state = reduceStaff(state, event('participant.updated', { participant: rosterEntry({ organisation: 'Police' }) }, 'staff:m'));
    expect(state.roster).toEqual([rosterEntry({ organisation: 'Police' })]);
  });

  it('participant.moved changes the room of the roster entry', () => {
    const state = reduceStaff(staffState({ roster: [rosterEntry({ room_id: ROOM_A })] }), event('participant.moved', { participant_id: 'p1', from_room_id: ROOM_A, to_room_id: ROOM_B }, 'staff:m'));
    expect(state.roster[0]?.room_id).toBe(ROOM_B);
  });

  it('participant.matched removes the walk-in and keeps the roster entry, in the walk-in\'s room', () => {
    const walkIn = rosterEntry({ id: 'walk-in', display_name: 'Faisal', room_id: ROOM_B });
    const entry = rosterEntry({ id: 'p1', display_name: 'Faisal Khan', room_id: ROOM_A });
    const state = reduceStaff(
      staffState({ roster: [entry, walkIn] }),
      event('participant.matched', { participant_id: 'walk-in', participant: { ...entry, room_id: ROOM_B } }, 'staff:m'),
    );
    expect(state.roster).toEqual([{ ...entry, room_id: ROOM_B }]);
  });

  it('participant.erased leaves only the pseudonym', () => {
    const state = reduceStaff(staffState({ roster: [rosterEntry()] }), event('participant.erased', { participant_id: 'p1', pseudonym: 'Blue Heron' }, 'staff:m'));
    expect(state.roster[0]).toMatchObject({ display_name: 'Blue Heron', organisation: '' });
  });

  it('help.requested and help.resolved keep the help requests', () => {
    let state = reduceStaff(staffState(), event('help.requested', { help: helpView() }, 'staff:m'));
    state = reduceStaff(state, event('help.resolved', { help: helpView({ resolved_at: '2025-05-01T10:03:00Z' }) }, 'staff:m'));
    expect(state.help_requests).toEqual([helpView({ resolved_at: '2025-05-01T10:03:00Z' })]);
  });

  it('room.progress replaces the room progress', () => {
    let state = reduceStaff(staffState(), event('room.progress', { progress: { room_id: ROOM_A, question_id: 'q1', answered: 3, assigned: 8 } }, 'staff:m'));
    state = reduceStaff(state, event('room.progress', { progress: { room_id: ROOM_A, question_id: 'q1', answered: 4, assigned: 8 } }, 'staff:m'));
    expect(state.progress).toEqual([{ room_id: ROOM_A, question_id: 'q1', answered: 4, assigned: 8 }]);
  });
});

