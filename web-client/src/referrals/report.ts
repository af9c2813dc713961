// Reports and statements: the period picker's dates, the totals' order, the CSV file name and
// the bar chart's scale. Pure functions.
import type { Totals } from '../api/client';

export const MAX_PERIOD_DAYS = 400;
const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` of a Date in the reader's zone. */
export function localDate(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/** The default period: the last 30 days, today included. */
export function defaultDates(now: Date): { from: string; to: string } {
  return { from: localDate(new Date(now.getTime() - 29 * DAY_MS)), to: localDate(now) };
}

function localMidnight(date: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return null;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return localDate(d) === date ? d : null;
}

export type PeriodProblem = 'invalid' | 'order' | 'too_long';

/** Two dates of the picker (both days included, in the reader's zone) → the API's instants. */
export function periodFromDates(from: string, to: string): { from: string; to: string } | { problem: PeriodProblem } {
  const start = localMidnight(from);
  const endDay = localMidnight(to);
  if (!start || !endDay) return { problem: 'invalid' };
  const end = new Date(endDay.getFullYear(), endDay.getMonth(), endDay.getDate() + 1);
  if (start >= end) return { problem: 'order' };
  if (end.getTime() - start.getTime() > MAX_PERIOD_DAYS * DAY_MS) return { problem: 'too_long' };
  return { from: start.toISOString(), to: end.toISOString() };
}

export const TOTAL_STATES = ['pending', 'approved', 'in_payout', 'paid'] as const;
export type TotalState = (typeof TOTAL_STATES)[number];

/** The totals in the order they are shown, the net last. */
export function totalsRows(t: Totals): { key: TotalState | 'net'; cents: number }[] {
  return [
    { key: 'pending', cents: t.pending_cents },
    { key: 'approved', cents: t.approved_cents },
    { key: 'in_payout', cents: t.in_payout_cents },
    { key: 'paid', cents: t.paid_cents },
    { key: 'net', cents: t.net_cents },
  ];
}

/** `tribuna-relatorio-2026-10-01-a-2026-10-31.csv`: the name the download gets. */
export function csvFilename(prefix: string, from: string, to: string): string {
  const safe = prefix.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  return `tribuna-${safe || 'export'}-${from}-${to}.csv`;
}

/**
 * Bar lengths for a chart: each value as a share of the largest, in [0, max]; negative values
 * count as 0 (a bar has no negative length), and a non-zero value gets at least 1 unit so it
 * stays visible.
 */
export function scaleBars(values: readonly number[], max: number): number[] {
  const top = Math.max(0, ...values);
  if (top === 0) return values.map(() => 0);
  return values.map((v) => (v <= 0 ? 0 : Math.max(1, Math.round((v / top) * max))));
}

export interface PayoutGroup {
  payoutId: string;
  cents: number;
  count: number;
  /** Every entry paid (else still being paid). */
  paid: boolean;
  last: string;
}

/** Entries already in a payout, one group per payout, newest first. */
export function groupByPayout(
  entries: readonly { payout_id?: string | null; amount_cents: number; state: string; created_at: string }[],
): PayoutGroup[] {
  const groups = new Map<string, PayoutGroup>();
  for (const e of entries) {
    if (!e.payout_id) continue;
    const g = groups.get(e.payout_id) ?? { payoutId: e.payout_id, cents: 0, count: 0, paid: true, last: e.created_at };
    g.cents += e.amount_cents;
    g.count += 1;
    g.paid = g.paid && e.state === 'paid';
    if (Date.parse(e.created_at) > Date.parse(g.last)) g.last = e.created_at;
    groups.set(e.payout_id, g);
  }
  return [...groups.values()].sort((a, b) => Date.parse(b.last) - Date.parse(a.last));
}
