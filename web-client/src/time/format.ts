// Instants (the API's RFC 3339 strings) shown in the reader's time zone.
// pt-BR: dd/MM/yyyy HH:mm. English: d MMM yyyy, HH:mm (24-hour, no month/day ambiguity).
// Built from Intl's parts so the shape does not depend on the ICU version's punctuation.
import type { Locale } from '../i18n/messages';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(locale: Locale, timeZone: string | undefined): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone ?? ''}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale === 'pt-BR' ? 'pt-BR' : 'en-GB', {
      timeZone,
      year: 'numeric',
      month: locale === 'pt-BR' ? '2-digit' : 'short',
      day: locale === 'pt-BR' ? '2-digit' : 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(key, f);
  }
  return f;
}

/** The time zone of this browser, e.g. `America/Sao_Paulo`. */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/**
 * Formats an instant for people. `timeZone` defaults to the browser's; tests pass one.
 * An unparseable value is returned as it came, so nothing is hidden.
 */
export function formatInstant(instant: string | Date, locale: Locale, timeZone?: string): string {
  const date = typeof instant === 'string' ? new Date(instant) : instant;
  if (Number.isNaN(date.getTime())) return String(instant);
  const parts: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
  for (const p of formatter(locale, timeZone).formatToParts(date)) parts[p.type] = p.value;
  const { day, month, year, hour, minute } = parts;
  return locale === 'pt-BR'
    ? `${day}/${month}/${year} ${hour}:${minute}`
    : `${day} ${month} ${year}, ${hour}:${minute}`;
}
