import { describe, expect, it } from 'vitest';
import { clientMayChange, lawyerMayCancel, roomOpensAt, splitSessions } from './sessions';

const s = (id: string, start: string, status = 'scheduled') => ({ id, start, status });

describe('splitSessions', () => {
  it('lists live sessions soonest first and the rest latest first', () => {
    const { upcoming, past } = splitSessions([
      s('a', '2026-11-25T12:00:00Z'),
      s('b', '2026-11-22T12:00:00Z', 'lobby_open'),
      s('c', '2026-11-01T12:00:00Z', 'completed'),
      s('d', '2026-11-10T12:00:00Z', 'cancelled'),
      s('e', '2026-11-21T12:00:00Z', 'in_progress'),
      s('f', '2026-11-05T12:00:00Z', 'no_show'),
    ]);
    expect(upcoming.map((x) => x.id)).toEqual(['e', 'b', 'a']);
    expect(past.map((x) => x.id)).toEqual(['d', 'f', 'c']);
  });
});

describe('who may change a session', () => {
  const now = new Date('2026-11-21T12:00:00Z');
  it('lets the client cancel or move only until 24 h before', () => {
    expect(clientMayChange(s('a', '2026-11-22T12:00:00Z'), now)).toBe(true);
    expect(clientMayChange(s('a', '2026-11-22T11:59:00Z'), now)).toBe(false);
    expect(clientMayChange(s('a', '2026-11-30T12:00:00Z', 'cancelled'), now)).toBe(false);
  });
  it('lets the lawyer cancel anything still live', () => {
    expect(lawyerMayCancel({ status: 'lobby_open' })).toBe(true);
    expect(lawyerMayCancel({ status: 'completed' })).toBe(false);
  });
});

describe('roomOpensAt', () => {
  it('reads the instant from the refusal', () => {
    expect(roomOpensAt('the room opens at 2026-11-21T15:50:00+00:00')?.toISOString()).toBe('2026-11-21T15:50:00.000Z');
    expect(roomOpensAt('opens at 2026-11-21T15:50:00.123Z')?.toISOString()).toBe('2026-11-21T15:50:00.123Z');
    expect(roomOpensAt('not yet')).toBeNull();
  });
});
