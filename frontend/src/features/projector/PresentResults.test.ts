import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import type { ProjectorRoomQuestion } from '../../api/generated.ts';
import type { RoomView } from '../../protocol/index.ts';
import PresentResults from './PresentResults.svelte';

const room = (n: number): RoomView => ({ id: `room-${n}`, name: `Room ${n}`, theme: '', capacity: null, position: n, moderator_ids: [], finished_at: null });

const asked = {
  room_id: 'room-2',
  room_name: 'Room 2',
  state: 'live',
  question: { id: 'q', code: 'R2.1', text: 'Which investigative tools are most needed?', kind: 'open', options: [], scale_labels: {} },
  respondents: 3,
  tally: null,
} as unknown as ProjectorRoomQuestion;

const visible = (body: string) => body.replace(/<!--[^>]*-->/g, '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('PresentResults overview', () => {
  it('gives every room its card, in order, a room with no question yet saying so', () => {
    const { body } = render(PresentResults, { props: { questions: [asked], rooms: [room(1), room(2), room(3)], roomId: null } });
    const text = visible(body);

    expect(body.match(/data-testid="present-room-card"/g)).toHaveLength(1);
    expect(body.match(/data-testid="present-room-idle"/g)).toHaveLength(2);
    expect(text.indexOf('Room 1 No question yet')).toBeGreaterThan(-1);
    expect(text.indexOf('Room 1')).toBeLessThan(text.indexOf('Room 2 · R2.1'));
    expect(text.indexOf('Room 2 · R2.1')).toBeLessThan(text.indexOf('Room 3 No question yet'));
    expect(text).toContain('3 answered');
  });

  it('says no room has a question when it knows no rooms', () => {
    const { body } = render(PresentResults, { props: { questions: [], roomId: null } });

    expect(visible(body)).toContain('No question yet');
    expect(body).not.toContain('present-room-card');
  });
});
