/**
 * The stream reducers: for every durable event, the new state of the stream it belongs to.
 *
 * Pure and immutable (a new object for every change, the old one untouched), so Svelte sees
 * each change and tests compare plain data. They follow `app/client/state.py`, the protocol's
 * reference reducer: a stale snapshot plus the events since equals a fresh snapshot.
 *
 * Events of a stream kind that do not change that kind's state return the state unchanged
 * (e.g. `participant.moved` on a room stream: rooms hold no members; the staff roster does).
 */
import type {
  EventOf,
  EventType,
  MeetingStreamState,
  RoomStreamState,
  ServerEvent,
  StaffStreamState,
  StreamState,
  TimerView,
} from '../protocol/index.ts';

interface Identified {
  id: string;
}

/** Replace the item with the same id, or append it. */
export function upsert<T extends Identified>(items: readonly T[], item: T): T[] {
  const index = items.findIndex((existing) => existing.id === item.id);
  if (index === -1) return [...items, item];
  const next = [...items];
  next[index] = item;
  return next;
}

export function drop<T extends Identified>(items: readonly T[], id: string): T[] {
  return items.some((item) => item.id === id) ? items.filter((item) => item.id !== id) : [...items];
}

/** A running timer replaces its old self; a stopped one leaves the list. */
function withTimer(timers: readonly TimerView[], timer: TimerView): TimerView[] {
  return timer.stopped_at === null ? upsert(timers, timer) : drop(timers, timer.id);
}

// --- the meeting stream ---------------------------------------------------------------------

export function reduceMeeting(state: MeetingStreamState, event: ServerEvent): MeetingStreamState {
  switch (event.type) {
    case 'meeting.created':
    case 'meeting.updated':
    case 'meeting.breakouts_timing_changed':
    case 'agenda.changed':
    case 'agenda.current_changed':
      return { ...state, meeting: event.data.meeting };
    case 'meeting.phase_changed':
      // A broadcast ends with the phase it was sent in: the next phase starts without banners.
      return { ...state, meeting: event.data.meeting, broadcasts: [] };
    case 'meeting.breakouts_closing':
      // The countdown replaces the planned end that started it.
      return { ...state, meeting: { ...state.meeting, breakouts_close_at: event.data.close_at, breakouts_end_at: null } };
    case 'room.created':
    case 'room.updated':
      return { ...state, rooms: upsert(state.rooms, event.data.room) };
    case 'room.removed':
      return { ...state, rooms: drop(state.rooms, event.data.room_id) };
    case 'timer.started':
    case 'timer.extended':
    case 'timer.stopped':
      return event.data.timer.room_id === null ? { ...state, timers: withTimer(state.timers, event.data.timer) } : state;
    case 'broadcast.sent':
      return { ...state, broadcasts: upsert(state.broadcasts, event.data.broadcast) };
    case 'plenary.changed':
      return { ...state, plenary: event.data };
    case 'report.link_changed':
      return { ...state, report_url: event.data.url };
    default:
      return state;
  }
}

// --- a room's stream -------------------------------------------------------------------------

/**
 * `staff`: whether the subscriber gets the staff payloads (moderators and organisers keep merged
 * sources, flagged with `merged_into_id`; everyone else loses them from the list).
 */
export function reduceRoom(state: RoomStreamState, event: ServerEvent, staff: boolean): RoomStreamState {
  switch (event.type) {
    case 'question.allocated':
      return event.data.room_id === state.room_id
        ? {
            ...state,
            allocations: [...event.data.allocations],
            questions: [...event.data.questions],
            tallies: state.tallies.filter((tally) =>
              event.data.allocations.some((allocation) => allocation.question_id === tally.question_id),
            ),
            answer_groups: state.answer_groups.filter((groups) =>
              event.data.allocations.some((allocation) => allocation.question_id === groups.question_id),
            ),
          }
        : state;
    case 'question.pushed':
      return {
        ...state,
        allocations: upsert(state.allocations, event.data.allocation),
        questions: upsert(state.questions, event.data.question),
      };
    case 'question.closed': {
      let answers = state.answers;
      for (const answer of event.data.answers) answers = upsert(answers, answer);
      return { ...state, allocations: upsert(state.allocations, event.data.allocation), answers };
    }
    case 'answer.submitted':
      return {
        ...state,
        answers: event.data.answer === null ? state.answers : upsert(state.answers, event.data.answer),
        answer_counts: { ...state.answer_counts, [event.data.question_id]: event.data.count },
      };
    case 'question.tally': {
      // A level: the whole tally replaces the question's; null (not to be seen yet) removes it.
      const others = state.tallies.filter((tally) => tally.question_id !== event.data.question_id);
      return { ...state, tallies: event.data.tally === null ? others : [...others, event.data.tally] };
    }
    case 'question.groups': {
      // A level: the grouping flag of the question's allocation, and its whole grouping; null
      // (grouping off, or not to be seen yet) removes it.
      const { question_id, grouped, groups } = event.data;
      const others = state.answer_groups.filter((entry) => entry.question_id !== question_id);
      return {
        ...state,
        allocations: state.allocations.map((allocation) =>
          allocation.question_id === question_id ? { ...allocation, grouped } : allocation,
        ),
        answer_groups: groups === null ? others : [...others, groups],
      };
    }
    case 'answer.edited':
    case 'answer.moderated':
      return {
        ...state,
        answers:
          event.data.answer === null ? drop(state.answers, event.data.answer_id) : upsert(state.answers, event.data.answer),
      };
    case 'answer.merged':
      return { ...state, answers: merged(state, event, staff) };
    case 'answer.voted':
      return {
        ...state,
        answers: state.answers.map((answer) =>
          answer.id === event.data.answer_id ? { ...answer, votes: event.data.votes } : answer,
        ),
      };
    case 'finding.drafted':
    case 'finding.edited':
    case 'finding.proposed':
    case 'finding.endorsed':
    case 'finding.confirmed':
      return {
        ...state,
        findings:
          event.data.finding === null
            ? drop(state.findings, event.data.finding_id)
            : upsert(state.findings, event.data.finding),
      };
    case 'finding.removed':
      return { ...state, findings: drop(state.findings, event.data.finding_id) };
    case 'timer.started':
    case 'timer.extended':
    case 'timer.stopped':
      return event.data.timer.room_id === state.room_id ? { ...state, timers: withTimer(state.timers, event.data.timer) } : state;
    case 'hand.raised':
    case 'hand.acknowledged':
    case 'hand.lowered':
    case 'hand.answered': {
      // Staff keep the hands up; peers get no hand (a phone follows its own by `hand_id`).
      const hand = event.data.hand;
      if (hand === null || hand === undefined) return state;
      const hands = state.hands ?? [];
      return { ...state, hands: hand.lowered_at === null ? upsert(hands, hand) : drop(hands, hand.id) };
    }
    default:
      return state;
  }
}

function merged(state: RoomStreamState, event: EventOf<'answer.merged'>, staff: boolean): RoomStreamState['answers'] {
  const into = event.data.merged;
  const sources = new Set(event.data.source_ids);
  let answers =
    staff && into !== null
      ? state.answers.map((answer) => (sources.has(answer.id) ? { ...answer, merged_into_id: into.id } : answer))
      : state.answers.filter((answer) => !sources.has(answer.id));
  if (into !== null) answers = upsert(answers, into);
  return answers;
}

// --- the staff stream -------------------------------------------------------------------------

export function reduceStaff(state: StaffStreamState, event: ServerEvent): StaffStreamState {
  switch (event.type) {
    case 'participant.joined':
    case 'participant.updated':
      return { ...state, roster: upsert(state.roster, event.data.participant) };
    case 'participant.moved':
      return {
        ...state,
        roster: state.roster.map((entry) =>
          entry.id === event.data.participant_id ? { ...entry, room_id: event.data.to_room_id } : entry,
        ),
      };
    case 'participant.erased':
      return {
        ...state,
        roster: state.roster.map((entry) =>
          entry.id === event.data.participant_id ? { ...entry, display_name: event.data.pseudonym, organisation: '' } : entry,
        ),
      };
    case 'participant.matched':
      // The walk-in and the roster entry are one person now: the entry, with the walk-in's room.
      return {
        ...state,
        roster: upsert(
          state.roster.filter((entry) => entry.id !== event.data.participant_id),
          event.data.participant,
        ),
      };
    case 'help.requested':
    case 'help.resolved':
      return { ...state, help_requests: upsert(state.help_requests, event.data.help) };
    case 'room.progress': {
      const progress = event.data.progress;
      const others = state.progress.filter((entry) => entry.room_id !== progress.room_id);
      const index = state.progress.findIndex((entry) => entry.room_id === progress.room_id);
      if (index === -1) return { ...state, progress: [...others, progress] };
      const next = [...state.progress];
      next[index] = progress;
      return { ...state, progress: next };
    }
    default:
      return state;
  }
}

/** Apply `event` to the state of its stream, whichever kind that is. */
export function reduceStream<S extends StreamState>(state: S, event: ServerEvent, staff: boolean): S {
  switch (state.kind) {
    case 'meeting':
      return reduceMeeting(state, event) as S;
    case 'room':
      return reduceRoom(state, event, staff) as S;
    case 'staff':
      return reduceStaff(state, event) as S;
  }
}

/**
 * Which stream kinds each event type changes. The test checks it covers every event type the
 * schema knows, so a new event type cannot be forgotten here (and the switches above).
 */
export const EVENT_STREAM_KINDS: Readonly<Record<EventType, readonly StreamState['kind'][]>> = {
  'meeting.created': ['meeting'],
  'meeting.updated': ['meeting'],
  'meeting.phase_changed': ['meeting'],
  'meeting.breakouts_closing': ['meeting'],
  'meeting.breakouts_timing_changed': ['meeting'],
  'agenda.changed': ['meeting'],
  'agenda.current_changed': ['meeting'],
  'room.created': ['meeting'],
  'room.updated': ['meeting'],
  'room.removed': ['meeting'],
  'participant.joined': ['staff'],
  'participant.updated': ['staff'],
  'participant.moved': ['staff'],
  'participant.erased': ['staff'],
  'participant.matched': ['staff'],
  'question.allocated': ['room'],
  'question.pushed': ['room'],
  'question.closed': ['room'],
  'answer.submitted': ['room'],
  'question.tally': ['room'],
  'question.groups': ['room'],
  'answer.edited': ['room'],
  'answer.moderated': ['room'],
  'answer.merged': ['room'],
  'answer.voted': ['room'],
  'finding.drafted': ['room'],
  'finding.edited': ['room'],
  'finding.proposed': ['room'],
  'finding.endorsed': ['room'],
  'finding.confirmed': ['room'],
  'finding.removed': ['room'],
  'timer.started': ['meeting', 'room'],
  'timer.extended': ['meeting', 'room'],
  'timer.stopped': ['meeting', 'room'],
  'broadcast.sent': ['meeting'],
  'help.requested': ['staff'],
  'help.resolved': ['staff'],
  'room.progress': ['staff'],
  'room.seats': ['meeting'],
  'hand.raised': ['room'],
  'hand.acknowledged': ['room'],
  'hand.lowered': ['room'],
  'hand.answered': ['room'],
  'plenary.changed': ['meeting'],
  'report.link_changed': ['meeting'],
  'projector.link_changed': ['meeting'],
};
