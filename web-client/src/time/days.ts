// Instants grouped and labelled by the reader's local calendar day. Slots are UTC instants;
// which day (and hour) they fall on depends on the time zone, DST included.
import type { Locale } from '../i18n/messages';

const cache = new Map<string, Intl.DateTimeFormat>();
function fmt(key: string, make: () => Intl.DateTimeFormat): Intl.DateTimeFormat {
  let f = cache.get(key);
  if (!f) {
    f = make();
    cache.set(key, f);
  }
  return f;
}

function toDate(instant: string | Date): Date {
  return typeof instant === 'string' ? new Date(instant) : instant;
}

/** The calendar day of an instant in a time zone, as `YYYY-MM-DD`. */
export function localDay(instant: string | Date, timeZone?: string): string {
  const f = fmt(`day|${timeZone ?? ''}`, () =>
    new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }),
  );
  const parts: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
  for (const p of f.formatToParts(toDate(instant))) parts[p.type] = p.value;
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/** `HH:mm` (24-hour) of an instant in a time zone. */
export function formatTime(instant: string | Date, timeZone?: string): string {
  const f = fmt(`time|${timeZone ?? ''}`, () =>
    new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }),
  );
  const parts: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
  for (const p of f.formatToParts(toDate(instant))) parts[p.type] = p.value;
  return `${parts.hour}:${parts.minute}`;
}

export interface DayGroup<S> {
  /** `YYYY-MM-DD` in the time zone the groups were made for. */
  day: string;
  items: S[];
}

/** Items with a `start` instant, grouped by local day (days and items in time order). */
export function groupByLocalDay<S extends { start: string }>(items: readonly S[], timeZone?: string): DayGroup<S>[] {
  const sorted = [...items].sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
  const groups: DayGroup<S>[] = [];
  for (const item of sorted) {
    const day = localDay(item.start, timeZone);
    const last = groups[groups.length - 1];
    if (last && last.day === day) last.items.push(item);
    else groups.push({ day, items: [item] });
  }
  return groups;
}

/** A `YYYY-MM-DD` day for people: `sábado, 21 de novembro` / `Saturday 21 November`;
 *  `short`: `sáb., 21 de nov.`; `full` adds the year. */
export function formatDay(day: string, locale: Locale, style: 'long' | 'short' | 'full' = 'long'): string {
  const f = fmt(`dayname|${locale}|${style}`, () =>
    new Intl.DateTimeFormat(locale === 'pt-BR' ? 'pt-BR' : 'en-GB', {
      timeZone: 'UTC',
      weekday: style === 'short' ? 'short' : 'long',
      day: 'numeric',
      month: style === 'short' ? 'short' : 'long',
      year: style === 'full' ? 'numeric' : undefined,
    }),
  );
  // Noon UTC is the same calendar day everywhere the label could be read.
  return f.format(new Date(`${day}T12:00:00Z`));
}

/** The zone's offset from UTC at an instant, e.g. `UTC−3`, `UTC+1`, `UTC+5:30`, `UTC`. */
export function utcOffset(timeZone: string, at: Date = new Date()): string {
  const f = fmt(`offset|${timeZone}`, () =>
    new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'shortOffset' }),
  );
  const name = f.formatToParts(at).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const offset = name.replace(/^(GMT|UTC)/, '').replace(/^[+-]0?0(:00)?$/, '');
  return `UTC${offset.replace('-', '\u2212')}`;
}

