/**
 * A meeting kept current: loaded once, then reloaded when its stream has news. Used by the
 * meeting page and the projector. Interim: when the meeting reducer exists, events will be
 * applied to the state instead of triggering a reload.
 */
import { authApi } from '../../api/auth.ts';
import { meetingsApi } from '../../api/meetings.ts';
import type { MeetingRead } from '../../api/types.ts';
import type { PlainKey } from '../../i18n/translate.ts';
import { coalesce } from '../../live/coalesce.ts';
import { live } from '../../live/connection.svelte.ts';
import { loadErrorKey, requireSession, type Session } from '../../live/session.ts';

export class LiveMeeting {
  session = $state<Session | null>(null);
  meeting = $state<MeetingRead | null>(null);
  failure = $state<PlainKey | null>(null);

  readonly #meetingId: string;

  constructor(meetingId: string) {
    this.#meetingId = meetingId;
  }

  get currentItem(): MeetingRead['agenda'][number] | null {
    const meeting = this.meeting;
    return meeting?.agenda.find((item) => item.id === meeting.current_item_id) ?? null;
  }

  /** Load, connect and follow; returns the function that stops following. */
  start(): () => void {
    let stopped = false;
    const reload = coalesce(async () => {
      const fresh = await meetingsApi().get(this.#meetingId);
      if (!stopped) this.meeting = fresh;
    });
    const unfollow = live.follow('meeting', {
      // The meeting read does not carry the seq it reflects yet: the next event sets the baseline.
      snapshot: async () => {
        await reload();
        return null;
      },
      event: () => void reload().catch(() => undefined),
    });
    this.failure = null;
    void (async () => {
      try {
        const session = await requireSession(authApi());
        if (stopped) return;
        this.session = session;
        await reload();
        live.connect(session.key);
      } catch (error) {
        if (!stopped) this.failure = loadErrorKey(error);
      }
    })();
    return () => {
      stopped = true;
      unfollow();
    };
  }
}
