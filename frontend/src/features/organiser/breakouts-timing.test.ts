import { describe, expect, it } from 'vitest';
import { rosterEntry } from '../../state/fixtures.ts';
import { peopleInRooms, plannedSeconds } from './breakouts-timing.ts';

describe('the planned duration', () => {
  it('is optional, in whole minutes, within the server bounds', () => {
    expect(plannedSeconds(null)).toBeNull();
    expect(plannedSeconds(undefined)).toBeNull();
    expect(plannedSeconds(20)).toBe(1200);
    for (const bad of [0, -5, 1.5, Number.NaN, 721]) expect(plannedSeconds(bad)).toBeNaN();
  });
});

describe('people in rooms', () => {
  it('counts participants placed in a room, not staff or those without one', () => {
    const roster = [
      rosterEntry({ id: 'p1', role: 'participant', room_id: 'r1' }),
      rosterEntry({ id: 'p2', role: 'participant', room_id: null }),
      rosterEntry({ id: 'm1', role: 'moderator', room_id: 'r1' }),
    ];
    expect(peopleInRooms(roster)).toBe(1);
  });
});
