import { describe, expect, it } from 'vitest';
import { parseAttendance } from './attendance';

describe('attendance record', () => {
  it('reads the server record, events in time order', () => {
    const a = parseAttendance({
      session: { start: '2026-11-20T12:00:00Z', end: '2026-11-20T12:30:00Z', status: 'completed' },
      client_joined: true,
      lawyer_joined: false,
      events: [
        { user_id: 'c', kind: 'left', at: '2026-11-20T12:20:00Z', details: {} },
        { user_id: 'c', kind: 'joined', at: '2026-11-20T12:01:00Z', details: {} },
        { kind: 'joined' }, // no time: dropped
      ],
    });
    expect(a).toEqual({
      start: '2026-11-20T12:00:00Z',
      end: '2026-11-20T12:30:00Z',
      status: 'completed',
      clientJoined: true,
      lawyerJoined: false,
      events: [
        { userId: 'c', kind: 'joined', at: '2026-11-20T12:01:00Z' },
        { userId: 'c', kind: 'left', at: '2026-11-20T12:20:00Z' },
      ],
    });
  });
  it('is null without a record', () => {
    expect(parseAttendance(null)).toBeNull();
    expect(parseAttendance(undefined)).toBeNull();
    expect(parseAttendance('x')).toBeNull();
    expect(parseAttendance([])).toBeNull();
  });
  it('tolerates missing parts', () => {
    expect(parseAttendance({})).toEqual({ start: null, end: null, status: null, clientJoined: null, lawyerJoined: null, events: [] });
  });
});
