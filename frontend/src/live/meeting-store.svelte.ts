/**
 * One meeting, live: the states of the streams this person follows (the meeting, their room or
 * rooms, the staff stream), kept current by the pure reducers in `state/`, plus what only this
 * reader knows (which answers are theirs, which they upvoted, which findings they endorsed).
 *
 * Snapshots are loaded through `GET /api/live/snapshot` whenever the transport asks (first
 * subscription, a gap, `resync_required`); events above the snapshot's seq follow.
 */
import { authApi } from '../api/auth.ts';
import { participants as participantsApi, roomAnswers, roomHands, streamSnapshot } from '../api/endpoints.ts';
import type { PlainKey } from '../i18n/translate.ts';
import type {
  AnswerView,
  ClientCommand,
  CommandBody,
  HandStatus,
  MeetingStreamState,
  PresenceEntry,
  RaisedHandView,
  RoomStreamState,
  ServerEvent,
  StaffStreamState,
} from '../protocol/index.ts';
import type { EphemeralFrame } from '../realtime/protocol.ts';
import { browserStorage } from '../platform/storage.ts';
import { tabChannel, type TabChannel } from '../platform/tabs.ts';
import { reduceMeeting, reduceRoom, reduceStaff } from '../state/reducers.ts';
import { live, type LiveSink } from './connection.svelte.ts';
import { loadErrorKey, PageLoadFailed, requireSession, type Session } from './session.ts';

export interface Personal {
  mine: boolean;
  voted: boolean;
}

export interface Announcement {
  key:
    | 'announce.question'
    | 'announce.moved'
    | 'announce.rooms_open'
    | 'announce.rooms_open_no_room'
    | 'announce.rooms_open_overview'
    | 'announce.rooms_closed'
    | 'announce.broadcast';
  text: string;
  at: number;
}

/** What one of this person's tabs tells the others it did (see `platform/tabs.ts`). */
export type TabNews =
  | { type: 'voted'; answer_id: string; voted: boolean }
  | { type: 'endorsed'; finding_id: string }
  | { type: 'answered'; answer: AnswerView };

function isPresence(frame: EphemeralFrame): frame is EphemeralFrame & { entries: PresenceEntry[] } {
  return frame.type === 'presence.changed' && Array.isArray((frame as { entries?: unknown }).entries);
}

export class MeetingStore implements LiveSink {
  readonly meetingId: string;
  session = $state.raw<Session | null>(null);
  failure = $state<PlainKey | null>(null);
  meeting = $state.raw<MeetingStreamState | null>(null);
  staff = $state.raw<StaffStreamState | null>(null);
  rooms = $state.raw<Readonly<Record<string, RoomStreamState>>>({});
  presence = $state.raw<Readonly<Record<string, PresenceEntry>>>({});
  personal = $state.raw<Readonly<Record<string, Personal>>>({});
  endorsed = $state.raw<ReadonlySet<string>>(new Set());
  /** This person's one answer to each choice or scale question, by question id ("You chose: …"). */
  chosen = $state.raw<Readonly<Record<string, AnswerView>>>({});
  /**
   * The room this person is in. For a participant it is the room whose stream the server sends
   * them: the one `welcome` lists, the one the server begins sending when they are placed (also
   * from no room, where no stream of theirs carries the move), and none after `participant.moved`
   * takes them out. A moderator's room is the one they signed in for.
   */
  myRoomId = $state<string | null>(null);
  /** The latest thing worth announcing to screen readers (and showing once). */
  announcement = $state.raw<Announcement | null>(null);
  /** A queued command the server refused for good (shown back to its author). */
  refused = $state.raw<{ command: ClientCommand; code: string } | null>(null);
  /** A participant's own hand in their room, followed by its id (peers' events name nobody). */
  myHand = $state.raw<MyHand | null>(null);
  /** Seats taken per room id, while people choose their own room (`room.seats` keeps it current). */
  seats = $state.raw<Readonly<Record<string, number>>>({});
  /** The last status seen of each hand of the room: an ack may come after the hand's events. */
  #handStatus = new Map<string, HandStatus>();

  #stopped = false;
  readonly #storage = browserStorage();
  #tabs: TabChannel<TabNews> | null = null;

  constructor(meetingId: string) {
    this.meetingId = meetingId;
  }

  get isStaff(): boolean {
    const who = this.session?.who;
    if (!who) return false;
    return who.kind === 'account' || who.role === 'organiser' || who.role === 'moderator';
  }

  get participantId(): string | null {
    return this.session?.who.participant_id ?? null;
  }

  /** Sign-in check, connect and follow; returns the function that stops following. */
  start(): () => void {
    this.#stopped = false;
    let stopTabs = (): void => undefined;
    this.failure = null;
    void (async () => {
      try {
        const session = await requireSession(authApi());
        if (this.#stopped) return;
        const meetingOfSession = session.who.meeting_id;
        if (!session.isAccount && meetingOfSession && meetingOfSession !== this.meetingId) {
          throw new PageLoadFailed('error.forbidden');
        }
        this.session = session;
        this.myRoomId = session.who.room_id;
        this.endorsed = new Set(this.#readEndorsed());
        stopTabs = this.followOtherTabs();
        live.connect(session.key, this.meetingId, this);
      } catch (error) {
        if (!this.#stopped) this.failure = loadErrorKey(error);
      }
    })();
    return () => {
      stopTabs();
      this.#stopped = true;
    };
  }

  /**
   * Hear what this person does in their other tabs of the meeting (an upvote, an endorsement, an
   * answer) and tell them what is done here; returns the function that stops.
   */
  followOtherTabs(): () => void {
    const participantId = this.participantId;
    if (participantId === null) return () => undefined;
    const tabs = tabChannel<TabNews>(`breakouts:${this.meetingId}:${participantId}`);
    this.#tabs = tabs;
    const stop = tabs.listen((news) => {
      if (news.type === 'voted') this.#setPersonal(news.answer_id, { voted: news.voted });
      else if (news.type === 'endorsed') this.endorsed = new Set([...this.endorsed, news.finding_id]);
      else if (news.type === 'answered') this.#takeAnswer(news.answer);
    });
    return () => {
      stop();
      tabs.close();
      if (this.#tabs === tabs) this.#tabs = null;
    };
  }

  // --- LiveSink ------------------------------------------------------------------------------

  async snapshot(stream: string): Promise<number | null> {
    const snapshot = await streamSnapshot(this.meetingId, stream);
    if (this.#stopped) return snapshot.seq;
    const state = snapshot.state;
    if (state.kind === 'meeting') this.meeting = state;
    else if (state.kind === 'staff') this.staff = state;
    else {
      this.rooms = { ...this.rooms, [state.room_id]: state };
      if (!this.isStaff) await Promise.all([this.#loadPersonal(state.room_id), this.#loadHand(state.room_id)]);
    }
    return snapshot.seq;
  }

  event(event: ServerEvent): void {
    const [kind, id = ''] = splitStream(event.stream);
    if (kind === 'meeting' && this.meeting) {
      const before = this.meeting;
      this.meeting = reduceMeeting(before, event);
      this.#announceMeeting(before, event);
      if (event.type === 'room.seats') {
        const next = { ...this.seats };
        for (const level of event.data.seats) next[level.room_id] = level.seats_taken;
        this.seats = next;
      }
    } else if (kind === 'staff' && this.staff) {
      this.staff = reduceStaff(this.staff, event);
    } else if (kind === 'room') {
      const room = this.rooms[id];
      if (room) this.rooms = { ...this.rooms, [id]: reduceRoom(room, event, this.isStaff) };
      if (event.type.startsWith('hand.')) this.#followHand(event);
      this.#followMove(event, id);
      if (event.type === 'question.pushed' && id === this.myRoomId) {
        this.#announce('announce.question', event.data.question.text);
      }
    }
  }

  /**
   * A participant's socket that comes back as someone else was matched by the organiser to a
   * roster entry: the session (the same token) now signs in as that entry; read who that is.
   */
  welcomed(participantId: string | null): void {
    const who = this.session?.who;
    if (who?.kind !== 'participant' || participantId === null || participantId === who.participant_id) return;
    void requireSession(authApi()).then(
      (session) => {
        if (!this.#stopped) this.session = session;
      },
      () => undefined, // the old name stays on screen; everything else already follows the entry
    );
  }

  streams(streams: readonly string[]): void {
    if (!this.#seatedParticipant()) return;
    const room = streams.find((stream) => splitStream(stream)[0] === 'room');
    this.myRoomId = room ? (splitStream(room)[1] ?? null) : null;
  }

  joined(stream: string): void {
    const [kind, id = ''] = splitStream(stream);
    if (kind !== 'room' || !this.#seatedParticipant() || this.myRoomId === id) return;
    this.myRoomId = id;
    this.#announceMove(id);
  }

  covered(event: ServerEvent): void {
    const [kind, id = ''] = splitStream(event.stream);
    if (kind === 'room') this.#followMove(event, id);
  }

  ephemeral(frame: EphemeralFrame): void {
    if (!isPresence(frame)) return;
    const next = { ...this.presence };
    for (const entry of frame.entries) next[entry.participant_id] = entry;
    this.presence = next;
  }

  rejected(command: ClientCommand, code: string): void {
    this.refused = { command, code };
  }

  accepted(command: ClientCommand, result: unknown): void {
    const answer = command.type === 'answer.submit' ? asAnswer(result) : null;
    if (answer) {
      this.#takeAnswer(answer);
      this.#tabs?.post({ type: 'answered', answer });
    }
  }

  // --- commands ------------------------------------------------------------------------------

  /** An answer: kept on this device until the server has it, sent exactly once. */
  async answer(body: Extract<CommandBody, { type: 'answer.submit' }>): Promise<void> {
    // The outbox reports the acknowledgement to `accepted`, also when it comes after a reload.
    await live.submit(body);
  }

  async vote(answerId: string, upvote: boolean): Promise<void> {
    this.#setPersonal(answerId, { voted: upvote });
    try {
      await live.send({ type: 'answer.vote', answer_id: answerId, upvote });
    } catch (error) {
      // `already_voted` / `not_voted` mean the server already agrees with the button.
      const code = (error as { code?: unknown }).code;
      if (code !== 'already_voted' && code !== 'not_voted') {
        this.#setPersonal(answerId, { voted: !upvote });
        throw error;
      }
    }
    this.#tabs?.post({ type: 'voted', answer_id: answerId, voted: upvote });
  }

  async endorse(findingId: string): Promise<void> {
    try {
      await live.send({ type: 'finding.endorse', finding_id: findingId });
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'already_endorsed') throw error;
    }
    this.endorsed = new Set([...this.endorsed, findingId]);
    this.#storage.setItem(this.#endorsedKey(), JSON.stringify([...this.endorsed]));
    this.#tabs?.post({ type: 'endorsed', finding_id: findingId });
  }

  /** Any other command (staff actions): sent now, resent after a drop until answered. */
  command(body: CommandBody): Promise<unknown> {
    return live.send(body);
  }

  /** Raise this participant's hand in their room (one hand up per person). */
  async raiseHand(roomId: string): Promise<void> {
    const hand = (await live.send({ type: 'hand.raise', room_id: roomId })) as RaisedHandView;
    this.myHand = { id: hand.id, roomId, status: this.#handStatus.get(hand.id) ?? hand.status };
  }

  /** Take this participant's hand down. */
  async lowerHand(handId: string): Promise<void> {
    try {
      await live.send({ type: 'hand.lower', hand_id: handId });
      this.myHand = this.myHand?.id === handId ? { ...this.myHand, status: 'lowered' } : this.myHand;
    } catch (error) {
      // Down already (answered meanwhile): its event says how.
      if ((error as { code?: unknown }).code !== 'hand_down') throw error;
    }
  }

  /** Read every room's seats (a room picker opening); later changes come as `room.seats`. */
  async loadSeats(): Promise<void> {
    const rooms = await participantsApi.seats(this.meetingId);
    this.seats = Object.fromEntries(rooms.map((room) => [room.room_id, room.seats_taken]));
  }

  // --- internals -----------------------------------------------------------------------------

  async #loadHand(roomId: string): Promise<void> {
    try {
      const [hand] = await roomHands(roomId);
      if (hand) this.myHand = { id: hand.id, roomId, status: hand.status };
      else if (this.myHand?.roomId === roomId) this.myHand = null;
    } catch {
      // The button still works; the hand's state shows after the next raise.
    }
  }

  #followHand(event: ServerEvent): void {
    if (!('hand_id' in event.data) || !('status' in event.data)) return;
    const { hand_id: handId, status } = event.data as { hand_id: string; status: HandStatus };
    this.#handStatus.set(handId, status);
    if (this.myHand?.id === handId) this.myHand = { ...this.myHand, status };
  }

  async #loadPersonal(roomId: string): Promise<void> {
    try {
      const answers = await roomAnswers(roomId);
      const next = { ...this.personal };
      for (const answer of answers) next[answer.id] = { mine: answer.mine, voted: answer.voted };
      this.personal = next;
      this.#setChosen(answers.filter((answer) => answer.mine));
    } catch {
      // Only the "yours" marks and upvote states are missing; the room works without them.
    }
  }

  #takeAnswer(answer: AnswerView): void {
    this.#setPersonal(answer.id, { mine: true });
    this.#setChosen([answer]);
  }

  #setChosen(answers: readonly AnswerView[]): void {
    const next = { ...this.chosen };
    for (const answer of answers) if (answer.text === null) next[answer.question_id] = answer;
    this.chosen = next;
  }

  #setPersonal(answerId: string, change: Partial<Personal>): void {
    const current = this.personal[answerId] ?? { mine: false, voted: false };
    this.personal = { ...this.personal, [answerId]: { ...current, ...change } };
  }

  /** Only participants sit in one room; staff and observers follow rooms without sitting in them. */
  #seatedParticipant(): boolean {
    const who = this.session?.who;
    return who?.kind === 'participant' && who.role === 'participant';
  }

  /**
   * The reader's own move out of a room. The room's state stays: the transport keeps its cursor,
   * so when the reader is moved back the server's `resumed` tells whether anything happened there
   * meanwhile (and a snapshot is loaded if so) — dropping the state here left them on "Loading…".
   */
  #followMove(event: ServerEvent, roomId: string): void {
    if (event.type !== 'participant.moved' || event.data.participant_id !== this.participantId) return;
    if (roomId !== this.myRoomId && this.myRoomId !== null) return; // an old move, already overtaken
    if (this.myRoomId === event.data.to_room_id) return;
    this.myRoomId = event.data.to_room_id;
    this.#announceMove(event.data.to_room_id);
  }

  #announceMove(roomId: string | null): void {
    const name = this.meeting?.rooms.find((room) => room.id === roomId)?.name ?? '';
    this.#announce('announce.moved', name);
  }

  #announceMeeting(before: MeetingStreamState, event: ServerEvent): void {
    if (event.type === 'meeting.phase_changed') {
      if (event.data.phase === 'breakouts') this.#announce(this.#roomsOpenKey(), '');
      else if (before.meeting.phase === 'breakouts') this.#announce('announce.rooms_closed', '');
    } else if (event.type === 'broadcast.sent') {
      this.#announce('announce.broadcast', event.data.broadcast.message);
    }
  }

  /** "You are now in your room" only to someone in one: a participant not yet placed is told so;
   * the organiser and observers, who follow every room, hear that the rooms are open. */
  #roomsOpenKey(): Announcement['key'] {
    if (this.myRoomId) return 'announce.rooms_open';
    return this.session?.who.role === 'participant' ? 'announce.rooms_open_no_room' : 'announce.rooms_open_overview';
  }

  #announce(key: Announcement['key'], text: string): void {
    this.announcement = { key, text, at: Date.now() };
  }

  #endorsedKey(): string {
    return `breakouts.endorsed.v1:${this.session?.key ?? ''}`;
  }

  #readEndorsed(): string[] {
    try {
      const parsed: unknown = JSON.parse(this.#storage.getItem(this.#endorsedKey()) ?? '[]');
      return Array.isArray(parsed) ? parsed.filter((item): item is string => typeof item === 'string') : [];
    } catch {
      return [];
    }
  }
}

export interface MyHand {
  id: string;
  roomId: string;
  status: HandStatus;
}

function splitStream(stream: string): [string, string?] {
  const colon = stream.indexOf(':');
  return colon === -1 ? [stream] : [stream.slice(0, colon), stream.slice(colon + 1)];
}

function asAnswer(result: unknown): AnswerView | null {
  return typeof result === 'object' && result !== null && 'id' in result && 'question_id' in result
    ? (result as AnswerView)
    : null;
}
