/** What the screens show, derived from stream state. Pure functions, unit-tested. */
import type {
  AllocationView,
  AnswerView,
  FindingView,
  PresenceEntry,
  QuestionView,
  RoomProgress,
  RoomStreamState,
  RosterEntry,
  TimerView,
} from '../protocol/index.ts';

/** The question live in the room, with its allocation (at most one is live at a time). */
export function liveQuestion(room: RoomStreamState): { allocation: AllocationView; question: QuestionView } | null {
  const allocation = room.allocations.find((candidate) => candidate.state === 'live');
  if (!allocation) return null;
  const question = room.questions.find((candidate) => candidate.id === allocation.question_id);
  return question ? { allocation, question } : null;
}

/** The room's questions in the room's order, each with its state there. */
export function roomQuestions(room: RoomStreamState): { allocation: AllocationView; question: QuestionView }[] {
  return [...room.allocations]
    .sort((a, b) => a.position - b.position)
    .flatMap((allocation) => {
      const question = room.questions.find((candidate) => candidate.id === allocation.question_id);
      return question ? [{ allocation, question }] : [];
    });
}

/**
 * The answers to `questionId` in reading order: pinned first, then most upvoted, then oldest.
 * `staff` keeps hidden and merged-away answers (flagged); everyone else sees neither.
 */
export function answersTo(room: RoomStreamState, questionId: string, staff: boolean): AnswerView[] {
  return room.answers
    .filter((answer) => answer.question_id === questionId)
    .filter((answer) => staff || (!answer.hidden && answer.merged_into_id === null))
    .sort(
      (a, b) =>
        Number(b.pinned) - Number(a.pinned) ||
        Number(a.merged_into_id !== null) - Number(b.merged_into_id !== null) ||
        b.votes - a.votes ||
        a.created_at.localeCompare(b.created_at),
    );
}

export function findingsWith(room: RoomStreamState, status: FindingView['status']): FindingView[] {
  return room.findings.filter((finding) => finding.status === status).sort((a, b) => a.position - b.position);
}

/** An answer as one line of text: the words, the chosen options' labels, or the scale value. */
export function answerText(answer: Pick<AnswerView, 'text' | 'choice_ids' | 'scale_value'>, question?: QuestionView): string {
  if (answer.text) return answer.text;
  if (answer.choice_ids && answer.choice_ids.length > 0) {
    const labels = new Map(question?.options.map((option) => [option.id, option.label]) ?? []);
    return answer.choice_ids.map((choice) => labels.get(choice) ?? choice).join(', ');
  }
  if (answer.scale_value !== null) {
    const label = question?.scale_labels[String(answer.scale_value)];
    return label ? `${answer.scale_value} (${label})` : String(answer.scale_value);
  }
  return '';
}

/**
 * Seconds from `nowMs` until `isoTime`, to the nearest second (never negative). Rounding, not
 * rounding up: a one-minute timer seen a few hundred milliseconds after it started (the event's
 * travel, the page clock's last tick) reads 1:00, not 1:01.
 */
export function secondsUntil(isoTime: string, nowMs: number): number {
  const end = Date.parse(isoTime);
  if (Number.isNaN(end)) return 0;
  return Math.max(0, Math.round((end - nowMs) / 1000));
}

/** `m:ss`, or `h:mm:ss` from an hour on. */
export function formatClock(totalSeconds: number): string {
  const seconds = Math.max(0, Math.floor(totalSeconds));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = String(seconds % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** The timer that ends first among those still running at `nowMs`. */
export function nextTimer(timers: readonly TimerView[], nowMs: number): TimerView | null {
  return (
    [...timers]
      .filter((timer) => timer.stopped_at === null && Date.parse(timer.ends_at) > nowMs - 1000)
      .sort((a, b) => a.ends_at.localeCompare(b.ends_at))[0] ?? null
  );
}

export interface RoomOverview {
  roomId: string;
  assigned: number;
  present: number;
  progress: RoomProgress | null;
  openHelp: number;
}

/** Per room: people assigned and present (connected, in that room), progress, open help requests. */
export function roomOverview(
  roomId: string,
  roster: readonly RosterEntry[],
  presence: Readonly<Record<string, PresenceEntry>>,
  progress: readonly RoomProgress[],
  help: readonly { room_id: string; resolved_at: string | null }[],
): RoomOverview {
  const people = roster.filter((entry) => entry.room_id === roomId && entry.role === 'participant');
  return {
    roomId,
    assigned: people.length,
    present: people.filter((entry) => presence[entry.id]?.connected === true).length,
    progress: progress.find((entry) => entry.room_id === roomId) ?? null,
    openHelp: help.filter((request) => request.room_id === roomId && request.resolved_at === null).length,
  };
}

/** The open text limit the server enforces (`ANSWER_TEXT_MAX`). */
export const ANSWER_TEXT_MAX = 2000;

export interface WithoutRoom {
  /** Participants in no room, those online first, then by name. */
  people: RosterEntry[];
  /** How many of them are connected now. */
  online: number;
}

/** The "unassigned" tray: participants in no room (staff and observers need none). */
export function withoutRoom(
  roster: readonly RosterEntry[],
  presence: Readonly<Record<string, PresenceEntry>>,
): WithoutRoom {
  const connected = (entry: RosterEntry): boolean => presence[entry.id]?.connected === true;
  const people = roster
    .filter((entry) => entry.role === 'participant' && entry.room_id === null)
    .sort((a, b) => Number(connected(b)) - Number(connected(a)) || a.display_name.localeCompare(b.display_name));
  return { people, online: people.filter(connected).length };
}
