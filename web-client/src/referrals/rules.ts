// Commission rules shown as people read them: basis points as a percentage, centavos as reais.
import type { Locale } from '../i18n/messages';

/** 2000 bps → "20" (pt-BR "12,5", English "12.5"): for the form's field. */
export function bpsToPercentInput(bps: number, locale: Locale): string {
  const whole = Math.trunc(bps / 100);
  const frac = Math.abs(bps % 100);
  if (frac === 0) return String(whole);
  const dec = frac % 10 === 0 ? String(frac / 10) : String(frac).padStart(2, '0');
  return `${whole}${locale === 'pt-BR' ? ',' : '.'}${dec}`;
}

/** "20 %" for reading. */
export function formatPercent(bps: number, locale: Locale): string {
  return new Intl.NumberFormat(locale === 'pt-BR' ? 'pt-BR' : 'en-US', { style: 'percent', maximumFractionDigits: 2 }).format(bps / 10_000);
}

/** "12,5", "12.5", "20", "20 %" → basis points (0..10000); null when not a percentage with ≤ 2 decimals. */
export function parsePercentToBps(raw: string): number | null {
  const s = raw.trim().replace(/\s*%$/, '').replace(',', '.');
  const m = /^(\d{1,3})(?:\.(\d{1,2}))?$/.exec(s);
  if (!m) return null;
  const bps = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return bps <= 10_000 ? bps : null;
}
