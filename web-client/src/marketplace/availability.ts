// The availability editor's model: what the form holds, how it becomes the server's
// document (`PUT /api/lawyer/availability`), and the checks the server would make,
// so mistakes show next to the right row before saving.
import type { AvailabilityDoc } from '../api/client';
import type { MessageKey, Vars } from '../i18n/messages';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface TimeRange {
  start: string;
  end: string;
}

export interface OverrideForm {
  date: string;
  dayOff: boolean;
  hours: TimeRange[];
}

export interface AvailabilityForm {
  weekly: Record<Weekday, TimeRange[]>;
  overrides: OverrideForm[];
  bufferBefore: string;
  bufferAfter: string;
  minNotice: string;
  bookingWindow: string;
  /** Empty: no daily limit. */
  maxPerDay: string;
}

/** Where a problem is: `weekly.mon.0`, `overrides.2`, `overrides.2.hours.0`, or a rule's name. */
export interface Problem {
  at: string;
  key: MessageKey;
  vars?: Vars;
}

export const LIMITS = {
  buffer: 240,
  minNotice: 60 * 24 * 30,
  bookingWindow: 365,
  maxPerDay: 48,
} as const;

export const DEFAULT_RANGE: TimeRange = { start: '09:00', end: '18:00' };

function emptyWeek(): Record<Weekday, TimeRange[]> {
  return { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };
}

function isWeekday(v: string): v is Weekday {
  return (WEEKDAYS as readonly string[]).includes(v);
}

const byStart = (a: TimeRange, b: TimeRange) => a.start.localeCompare(b.start);

/** The form for a stored document (the server's defaults fill what it leaves out). */
export function formFromDoc(doc: AvailabilityDoc): AvailabilityForm {
  const weekly = emptyWeek();
  for (const w of doc.weekly) {
    if (isWeekday(w.weekday)) weekly[w.weekday].push({ start: w.start, end: w.end });
  }
  for (const d of WEEKDAYS) weekly[d].sort(byStart);
  return {
    weekly,
    overrides: (doc.overrides ?? [])
      .map((o) => ({ date: o.date, dayOff: (o.hours ?? []).length === 0, hours: [...(o.hours ?? [])].sort(byStart) }))
      .sort((a, b) => a.date.localeCompare(b.date)),
    bufferBefore: String(doc.buffer_before_minutes ?? 0),
    bufferAfter: String(doc.buffer_after_minutes ?? 0),
    minNotice: String(doc.min_notice_minutes ?? 120),
    bookingWindow: String(doc.booking_window_days ?? 30),
    maxPerDay: doc.max_per_day == null ? '' : String(doc.max_per_day),
  };
}

/** Gives every weekday a copy of `from`'s hours. */
export function copyToAllDays(form: AvailabilityForm, from: Weekday): AvailabilityForm {
  const weekly = emptyWeek();
  for (const d of WEEKDAYS) weekly[d] = form.weekly[from].map((r) => ({ ...r }));
  return { ...form, weekly };
}

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function isRealDate(s: string): boolean {
  if (!DATE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** Checks one day's ranges: each well-formed and start < end, none overlapping (touching is fine). */
function checkRanges(ranges: readonly TimeRange[], at: string, problems: Problem[]): void {
  ranges.forEach((r, i) => {
    if (!TIME.test(r.start) || !TIME.test(r.end)) {
      problems.push({ at: `${at}.${i}`, key: 'availability.error.time' });
    } else if (r.start >= r.end) {
      problems.push({ at: `${at}.${i}`, key: 'availability.error.order', vars: { start: r.start, end: r.end } });
    }
  });
  const valid = ranges
    .map((r, i) => ({ ...r, i }))
    .filter((r) => TIME.test(r.start) && TIME.test(r.end) && r.start < r.end)
    .sort(byStart);
  for (let k = 1; k < valid.length; k++) {
    const prev = valid[k - 1]!;
    const cur = valid[k]!;
    if (cur.start < prev.end) {
      problems.push({
        at: `${at}.${Math.max(cur.i, prev.i)}`,
        key: 'availability.error.overlap',
        vars: { a: `${prev.start}–${prev.end}`, b: `${cur.start}–${cur.end}` },
      });
    }
  }
}

function wholeNumber(raw: string, min: number, max: number, at: string, key: MessageKey, problems: Problem[]): number {
  const v = raw.trim();
  const n = /^\d+$/.test(v) ? Number(v) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) {
    problems.push({ at, key, vars: { min, max } });
    return 0;
  }
  return n;
}

/** What people type for a time, as `HH:MM` when it can be read (`7` → `07:00`, `7h30` and
 *  `730` → `07:30`, `19.5`? no); anything else is returned as typed, for the checks to flag. */
export function normaliseTime(raw: string): string {
  const s = raw.trim().toLowerCase().replace(/\s+/g, '');
  let h: number;
  let m: number;
  const parts = /^(\d{1,2})(?:[:h.](\d{2})?)?$/.exec(s);
  if (parts) {
    h = Number(parts[1]);
    m = parts[2] === undefined ? 0 : Number(parts[2]);
  } else if (/^\d{3,4}$/.test(s)) {
    h = Number(s.slice(0, -2));
    m = Number(s.slice(-2));
  } else {
    return raw;
  }
  if (h > 23 || m > 59) return raw;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

function normaliseRanges(ranges: readonly TimeRange[]): TimeRange[] {
  return ranges.map((r) => ({ start: normaliseTime(r.start), end: normaliseTime(r.end) }));
}

export type BuildResult = { ok: true; doc: AvailabilityDoc } | { ok: false; problems: Problem[] };

/** The document to save, or every problem in the form (in the order of the page). */
export function buildAvailabilityDoc(typed: AvailabilityForm): BuildResult {
  const form: AvailabilityForm = {
    ...typed,
    weekly: Object.fromEntries(WEEKDAYS.map((d) => [d, normaliseRanges(typed.weekly[d])])) as AvailabilityForm['weekly'],
    overrides: typed.overrides.map((o) => ({ ...o, hours: normaliseRanges(o.hours) })),
  };
  const problems: Problem[] = [];
  for (const day of WEEKDAYS) checkRanges(form.weekly[day], `weekly.${day}`, problems);

  const seen = new Set<string>();
  form.overrides.forEach((o, i) => {
    if (!isRealDate(o.date)) {
      problems.push({ at: `overrides.${i}`, key: 'availability.error.date' });
    } else if (seen.has(o.date)) {
      problems.push({ at: `overrides.${i}`, key: 'availability.error.duplicateDate' });
    }
    seen.add(o.date);
    if (!o.dayOff) {
      if (o.hours.length === 0) problems.push({ at: `overrides.${i}`, key: 'availability.error.noHours' });
      checkRanges(o.hours, `overrides.${i}.hours`, problems);
    }
  });

  const bufferBefore = wholeNumber(form.bufferBefore, 0, LIMITS.buffer, 'bufferBefore', 'availability.error.range', problems);
  const bufferAfter = wholeNumber(form.bufferAfter, 0, LIMITS.buffer, 'bufferAfter', 'availability.error.range', problems);
  const minNotice = wholeNumber(form.minNotice, 0, LIMITS.minNotice, 'minNotice', 'availability.error.range', problems);
  const bookingWindow = wholeNumber(form.bookingWindow, 1, LIMITS.bookingWindow, 'bookingWindow', 'availability.error.range', problems);
  const maxPerDay =
    form.maxPerDay.trim() === ''
      ? null
      : wholeNumber(form.maxPerDay, 1, LIMITS.maxPerDay, 'maxPerDay', 'availability.error.range', problems);

  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    doc: {
      weekly: WEEKDAYS.flatMap((weekday) =>
        [...form.weekly[weekday]].sort(byStart).map((r) => ({ weekday, start: r.start, end: r.end })),
      ),
      overrides: [...form.overrides]
        .sort((a, b) => a.date.localeCompare(b.date))
        .map((o) => ({ date: o.date, hours: o.dayOff ? [] : [...o.hours].sort(byStart).map((r) => ({ ...r })) })),
      buffer_before_minutes: bufferBefore,
      buffer_after_minutes: bufferAfter,
      min_notice_minutes: minNotice,
      booking_window_days: bookingWindow,
      max_per_day: maxPerDay,
    },
  };
}

/** The problems at one place of the form (exactly there, not below it). */
export function problemsAt(problems: readonly Problem[], at: string): Problem[] {
  return problems.filter((p) => p.at === at);
}

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return h * 60 + m;
}

function hhmm(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** A sensible range to add after a day's last one: from its end, two hours (before midnight). */
export function nextRange(ranges: readonly TimeRange[]): TimeRange {
  const valid = ranges.filter((r) => TIME.test(r.end));
  if (valid.length === 0) return { ...DEFAULT_RANGE };
  const lastEnd = Math.max(...valid.map((r) => minutesOf(r.end)));
  const last = 23 * 60 + 59;
  if (lastEnd >= last - 15) return { ...DEFAULT_RANGE };
  return { start: hhmm(lastEnd), end: hhmm(Math.min(lastEnd + 120, last)) };
}
