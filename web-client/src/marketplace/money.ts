// Money is integer centavos everywhere (as on the server); reais appear only at the edges:
// formatted for people with Intl, and parsed from what people type.
import type { Locale } from '../i18n/messages';

const formatters = new Map<Locale, Intl.NumberFormat>();

/** `R$ 1.234,56` (pt-BR) or `R$1,234.56` (English). */
export function formatBRL(cents: number, locale: Locale): string {
  let f = formatters.get(locale);
  if (!f) {
    f = new Intl.NumberFormat(locale === 'pt-BR' ? 'pt-BR' : 'en-US', { style: 'currency', currency: 'BRL' });
    formatters.set(locale, f);
  }
  return f.format(cents / 100);
}

const GROUPED_DOTS = /^\d{1,3}(\.\d{3})+$/; // 1.234 or 1.234.567: pt-BR thousands
const GROUPED_COMMAS = /^\d{1,3}(,\d{3})+$/; // 1,234: English thousands

/**
 * Reais as typed into a form, in centavos; null when it is not an amount.
 * Accepts `1.234,56`, `1234,56`, `1234.56`, `1,234.56`, `1234`, `R$ 50`, `50,5`.
 * A lone `.` or `,` followed by exactly three digits is a thousands separator when the
 * other reading is impossible for money (three decimals): `1.234` is R$ 1.234,00.
 * Never goes through floating point.
 */
export function parseReais(raw: string): number | null {
  let s = raw.replace(/\s|\u00a0/g, '').replace(/^R\$/i, '');
  if (s === '' || !/^[\d.,]+$/.test(s)) return null;
  const lastComma = s.lastIndexOf(',');
  const lastDot = s.lastIndexOf('.');
  let whole: string;
  let fraction = '';
  if (lastComma >= 0 && lastDot >= 0) {
    // Both: the later one is the decimal separator, the other groups thousands.
    const decimal = lastComma > lastDot ? ',' : '.';
    const group = decimal === ',' ? '.' : ',';
    const at = s.lastIndexOf(decimal);
    whole = s.slice(0, at);
    fraction = s.slice(at + 1);
    if (whole.includes(decimal)) return null;
    const grouped = group === '.' ? GROUPED_DOTS : GROUPED_COMMAS;
    if (!grouped.test(whole)) return null;
    whole = whole.split(group).join('');
  } else if (lastComma >= 0 || lastDot >= 0) {
    const sep = lastComma >= 0 ? ',' : '.';
    if (s.indexOf(sep) !== s.lastIndexOf(sep)) {
      // Several of one separator: only thousands grouping makes sense.
      if (!(sep === '.' ? GROUPED_DOTS : GROUPED_COMMAS).test(s)) return null;
      whole = s.split(sep).join('');
    } else {
      const [a, b] = s.split(sep) as [string, string];
      if (b.length === 3 && a.length >= 1 && a.length <= 3) {
        whole = a + b; // 1.234 or 1,234: thousands
      } else {
        whole = a;
        fraction = b;
      }
    }
  } else {
    whole = s;
  }
  if (whole === '') whole = '0';
  if (!/^\d+$/.test(whole) || !/^\d{0,2}$/.test(fraction)) return null;
  s = whole.replace(/^0+(?=\d)/, '');
  if (s.length > 13) return null; // beyond any fee; keeps the result a safe integer
  return Number(s) * 100 + Number(fraction.padEnd(2, '0'));
}

/** Centavos as a form value people can edit: `1234,56` (pt-BR) or `1234.56`; whole reais bare. */
export function centsToInput(cents: number, locale: Locale): string {
  const reais = Math.trunc(cents / 100);
  const rest = Math.abs(cents % 100);
  if (rest === 0) return String(reais);
  return `${reais}${locale === 'pt-BR' ? ',' : '.'}${String(rest).padStart(2, '0')}`;
}
