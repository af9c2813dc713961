import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { devRoomName, mediaProblem, meterPercent, rmsLevel, roomStatusFromError } from './lobby';

describe('roomStatusFromError', () => {
  it('waits with the opening time', () => {
    expect(roomStatusFromError(new ApiError(409, 'not_open_yet', 'the room opens at 2026-11-21T15:50:00+00:00'))).toEqual({
      kind: 'waiting',
      opensAt: new Date('2026-11-21T15:50:00Z'),
    });
  });

  it('tells an ended or cancelled session apart from an error', () => {
    expect(roomStatusFromError(new ApiError(410, 'session_over', 'over'))).toEqual({ kind: 'over' });
    expect(roomStatusFromError(new ApiError(409, 'session_cancelled', 'cancelled'))).toEqual({ kind: 'cancelled' });
    const e = new ApiError(403, 'forbidden', 'no');
    expect(roomStatusFromError(e)).toEqual({ kind: 'error', error: e });
  });
});

describe('mediaProblem', () => {
  it('names what went wrong with the camera or microphone', () => {
    expect(mediaProblem({ name: 'NotAllowedError' })).toBe('denied');
    expect(mediaProblem({ name: 'NotFoundError' })).toBe('not_found');
    expect(mediaProblem({ name: 'OverconstrainedError' })).toBe('not_found');
    expect(mediaProblem({ name: 'NotReadableError' })).toBe('in_use');
    expect(mediaProblem(new TypeError('no mediaDevices'))).toBe('unsupported');
    expect(mediaProblem('weird')).toBe('other');
  });
});

describe('the microphone meter', () => {
  it('is silent at the centre line and full at the rails', () => {
    expect(rmsLevel([])).toBe(0);
    expect(rmsLevel([128, 128, 128])).toBe(0);
    expect(rmsLevel([0, 256, 0, 256])).toBe(1);
    expect(meterPercent(0)).toBe(0);
    expect(meterPercent(0.04)).toBe(40);
    expect(meterPercent(0.5)).toBe(100);
  });
});

describe('devRoomName', () => {
  it('prefixes dev- once and refuses other characters', () => {
    expect(devRoomName('abc-1')).toBe('dev-abc-1');
    expect(devRoomName('dev-abc')).toBe('dev-abc');
    expect(devRoomName('a b')).toBeNull();
    expect(devRoomName('x'.repeat(70))).toBeNull();
  });
});
