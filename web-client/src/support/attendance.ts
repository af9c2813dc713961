// The attendance record attached to a no-show report (free-form JSON from the server), read
// defensively into what the pages show.
export interface AttendanceEvent {
  userId: string | null;
  kind: 'joined' | 'left' | string;
  at: string;
}

export interface Attendance {
  start: string | null;
  end: string | null;
  status: string | null;
  clientJoined: boolean | null;
  lawyerJoined: boolean | null;
  events: AttendanceEvent[];
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const bool = (v: unknown): boolean | null => (typeof v === 'boolean' ? v : null);
const obj = (v: unknown): Record<string, unknown> | null =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;

/** The record, or null when the ticket has none (or it is not shaped like one). */
export function parseAttendance(raw: unknown): Attendance | null {
  const a = obj(raw);
  if (!a) return null;
  const session = obj(a.session) ?? {};
  const events = Array.isArray(a.events) ? a.events : [];
  return {
    start: str(session.start),
    end: str(session.end),
    status: str(session.status),
    clientJoined: bool(a.client_joined),
    lawyerJoined: bool(a.lawyer_joined),
    events: events
      .map(obj)
      .filter((e): e is Record<string, unknown> => e !== null && typeof e.at === 'string' && typeof e.kind === 'string')
      .map((e) => ({ userId: str(e.user_id), kind: e.kind as string, at: e.at as string }))
      .sort((x, y) => Date.parse(x.at) - Date.parse(y.at)),
  };
}
