// What the device check shows about the room and the devices, as pure functions.
import { isApiError, type JoinTicket } from '../api/client';
import { roomOpensAt } from '../marketplace/sessions';

export type RoomStatus =
  | { kind: 'checking' }
  | { kind: 'open'; ticket: JoinTicket }
  /** Not open yet; `opensAt` when the server said. */
  | { kind: 'waiting'; opensAt: Date | null }
  | { kind: 'over' }
  | { kind: 'cancelled' }
  | { kind: 'error'; error: unknown };

/** The room's status from the ticket endpoint's refusal. */
export function roomStatusFromError(error: unknown): RoomStatus {
  if (isApiError(error, 'not_open_yet')) return { kind: 'waiting', opensAt: roomOpensAt(error.message) };
  if (isApiError(error, 'session_over')) return { kind: 'over' };
  if (isApiError(error, 'session_cancelled')) return { kind: 'cancelled' };
  return { kind: 'error', error };
}

export type MediaProblem = 'denied' | 'not_found' | 'in_use' | 'unsupported' | 'other';

/** Why getUserMedia failed, from the DOMException's name. */
export function mediaProblem(error: unknown): MediaProblem {
  const name = typeof error === 'object' && error !== null && 'name' in error ? String((error as { name: unknown }).name) : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
    case 'PermissionDeniedError':
      return 'denied';
    case 'NotFoundError':
    case 'OverconstrainedError':
    case 'DevicesNotFoundError':
      return 'not_found';
    case 'NotReadableError':
    case 'AbortError':
    case 'TrackStartError':
      return 'in_use';
    case 'TypeError':
    case 'NotSupportedError':
      return 'unsupported';
    default:
      return 'other';
  }
}

/** The RMS level (0–1) of time-domain samples centred on 128, as an AnalyserNode gives them. */
export function rmsLevel(samples: ArrayLike<number>): number {
  if (samples.length === 0) return 0;
  let sum = 0;
  for (let i = 0; i < samples.length; i++) {
    const v = (samples[i]! - 128) / 128;
    sum += v * v;
  }
  return Math.min(1, Math.sqrt(sum / samples.length));
}

/** A meter's reading: speech sits around 0.02–0.2 RMS, so scale it up and cap it. */
export function meterPercent(level: number): number {
  return Math.round(Math.min(1, Math.sqrt(Math.max(0, level)) * 2) * 100);
}

/** The development room a `/call/dev/:room` path means: `dev-` prefixed once, or null if invalid. */
export function devRoomName(param: string): string | null {
  const room = param.startsWith('dev-') ? param : `dev-${param}`;
  return /^dev-[A-Za-z0-9-]+$/.test(room) && room.length <= 64 ? room : null;
}
