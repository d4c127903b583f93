import { describe, expect, it } from 'vitest';
import { rosterEntry } from '../../state/fixtures.ts';
import { agendaPlannedMinutes, peopleInRooms, plannedSeconds } from './breakouts-timing.ts';

describe('the planned duration', () => {
  it('is optional, in whole minutes, within the server bounds', () => {
    expect(plannedSeconds(null)).toBeNull();
    expect(plannedSeconds(undefined)).toBeNull();
    expect(plannedSeconds(20)).toBe(1200);
    for (const bad of [0, -5, 1.5, Number.NaN, 721]) expect(plannedSeconds(bad)).toBeNaN();
  });
});

describe("the agenda's planned minutes for the rooms", () => {
  const agenda = [
    { id: 'a', kind: 'talk', planned_minutes: 10, position: 2 },
    { id: 'b', kind: 'breakouts', planned_minutes: 45, position: 3 },
    { id: 'c', kind: 'report_back', planned_minutes: 20, position: 4 },
    { id: 'd', kind: 'breakouts', planned_minutes: 15, position: 5 },
    { id: 'e', kind: 'talk', planned_minutes: 5, position: 1 },
  ];

  it('takes the current breakout item, else the next one in agenda order', () => {
    expect(agendaPlannedMinutes(agenda, 'b')).toBe(45);
    expect(agendaPlannedMinutes(agenda, 'e')).toBe(45);
    expect(agendaPlannedMinutes(agenda, null)).toBe(45);
    expect(agendaPlannedMinutes(agenda, 'c')).toBe(15);
  });

  it('is null when no breakout item is left, or it plans no time', () => {
    expect(agendaPlannedMinutes(agenda.slice(0, 1), 'a')).toBeNull();
    expect(agendaPlannedMinutes([{ id: 'x', kind: 'breakouts', planned_minutes: 0, position: 1 }], null)).toBeNull();
    expect(agendaPlannedMinutes([], null)).toBeNull();
  });
});

describe('people in rooms', () => {
  it('counts participants placed in a room, not staff or those without one, and which of them are online', () => {
    const roster = [
      rosterEntry({ id: 'p1', role: 'participant', room_id: 'r1' }),
      rosterEntry({ id: 'p2', role: 'participant', room_id: null }),
      rosterEntry({ id: 'p3', role: 'participant', room_id: 'r2' }),
      rosterEntry({ id: 'm1', role: 'moderator', room_id: 'r1' }),
    ];
    expect(peopleInRooms(roster, {})).toEqual({ placed: 2, online: 0 });
    const presence = { p1: { connected: true }, p2: { connected: true }, p3: { connected: false }, m1: { connected: true } };
    expect(peopleInRooms(roster, presence)).toEqual({ placed: 2, online: 1 });
  });
});
