// Legal sessions as lists and the rules about what each party may still do, as pure functions.
import type { LegalSession } from '../api/client';

export type SessionStatus = 'scheduled' | 'lobby_open' | 'in_progress' | 'completed' | 'no_show' | 'cancelled';

/** Clients may cancel (full refund) or reschedule up to this long before the start.
 *  The server's default (`payments.client_cancel_notice_hours`); it does not publish it. */
export const CLIENT_NOTICE_HOURS = 24;

/** Still holds its time: it can be joined, moved or cancelled. */
export function isLive(status: string): boolean {
  return status === 'scheduled' || status === 'lobby_open' || status === 'in_progress';
}

/** Upcoming (live, soonest first) and past (the rest, latest first). */
export function splitSessions<S extends Pick<LegalSession, 'status' | 'start'>>(sessions: readonly S[]): { upcoming: S[]; past: S[] } {
  const upcoming = sessions.filter((s) => isLive(s.status)).sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
  const past = sessions.filter((s) => !isLive(s.status)).sort((a, b) => Date.parse(b.start) - Date.parse(a.start));
  return { upcoming, past };
}

/** Whether the client may still cancel with a refund, or reschedule. */
export function clientMayChange(s: Pick<LegalSession, 'status' | 'start'>, now: Date): boolean {
  return s.status === 'scheduled' && Date.parse(s.start) - now.getTime() >= CLIENT_NOTICE_HOURS * 3_600_000;
}

/** The lawyer may cancel any session that still holds its time. */
export function lawyerMayCancel(s: Pick<LegalSession, 'status'>): boolean {
  return isLive(s.status);
}

/** The instant in a `not_open_yet` refusal ("the room opens at 2026-11-21T15:50:00+00:00"). */
export function roomOpensAt(message: string): Date | null {
  const m = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})/.exec(message);
  if (!m) return null;
  const d = new Date(m[0]);
  return Number.isNaN(d.getTime()) ? null : d;
}
