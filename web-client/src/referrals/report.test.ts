import { describe, expect, it } from 'vitest';
import { csvFilename, defaultDates, groupByPayout, localDate, periodFromDates, scaleBars, totalsRows } from './report';

describe('period picker', () => {
  it('defaults to the last 30 days', () => {
    const now = new Date(2026, 10, 21, 15, 0);
    expect(defaultDates(now)).toEqual({ from: '2026-10-23', to: '2026-11-21' });
  });
  it('takes whole local days, the last one included', () => {
    const p = periodFromDates('2026-11-01', '2026-11-30');
    expect(p).toEqual({ from: new Date(2026, 10, 1).toISOString(), to: new Date(2026, 11, 1).toISOString() });
    expect(periodFromDates('2026-11-05', '2026-11-05')).toEqual({
      from: new Date(2026, 10, 5).toISOString(),
      to: new Date(2026, 10, 6).toISOString(),
    });
  });
  it('refuses bad, reversed or too long periods', () => {
    expect(periodFromDates('', '2026-11-01')).toEqual({ problem: 'invalid' });
    expect(periodFromDates('2026-02-30', '2026-03-01')).toEqual({ problem: 'invalid' });
    expect(periodFromDates('2026-11-02', '2026-11-01')).toEqual({ problem: 'order' });
    expect(periodFromDates('2025-01-01', '2026-11-01')).toEqual({ problem: 'too_long' });
  });
  it('formats local dates', () => {
    expect(localDate(new Date(2026, 0, 5))).toBe('2026-01-05');
  });
});

describe('totals', () => {
  it('keep the states in order, the net last', () => {
    const rows = totalsRows({ pending_cents: 100, approved_cents: 200, in_payout_cents: 300, paid_cents: 400, net_cents: 950 });
    expect(rows.map((r) => r.key)).toEqual(['pending', 'approved', 'in_payout', 'paid', 'net']);
    expect(rows.map((r) => r.cents)).toEqual([100, 200, 300, 400, 950]);
  });
});

describe('CSV file name', () => {
  it('is plain ASCII with the period', () => {
    expect(csvFilename('Relatório', '2026-10-01', '2026-10-31')).toBe('tribuna-relatorio-2026-10-01-2026-10-31.csv');
    expect(csvFilename('Extrato do advogado', '2026-01-01', '2026-01-02')).toBe('tribuna-extrato-do-advogado-2026-01-01-2026-01-02.csv');
    expect(csvFilename('???', 'a', 'b')).toBe('tribuna-export-a-b.csv');
  });
});

describe('chart scale', () => {
  it('scales to the largest value', () => {
    expect(scaleBars([0, 50, 100], 200)).toEqual([0, 100, 200]);
  });
  it('keeps a tiny non-zero value visible and negatives at zero', () => {
    expect(scaleBars([1, 10_000, -500], 100)).toEqual([1, 100, 0]);
  });
  it('draws nothing when everything is zero or negative', () => {
    expect(scaleBars([0, 0], 100)).toEqual([0, 0]);
    expect(scaleBars([-1], 100)).toEqual([0]);
    expect(scaleBars([], 100)).toEqual([]);
  });
});

describe('payouts from entries', () => {
  it('groups entries by payout, paid only when all are, newest first', () => {
    const e = (payout_id: string | null, amount_cents: number, state: string, created_at: string) => ({ payout_id, amount_cents, state, created_at });
    const groups = groupByPayout([
      e('p1', 1000, 'paid', '2026-11-01T00:00:00Z'),
      e(null, 500, 'approved', '2026-11-02T00:00:00Z'),
      e('p2', 700, 'in_payout', '2026-11-03T00:00:00Z'),
      e('p1', -200, 'paid', '2026-11-04T00:00:00Z'),
      e('p2', 300, 'paid', '2026-11-02T00:00:00Z'),
    ]);
    expect(groups).toEqual([
      { payoutId: 'p1', cents: 800, count: 2, paid: true, last: '2026-11-04T00:00:00Z' },
      { payoutId: 'p2', cents: 1000, count: 2, paid: false, last: '2026-11-03T00:00:00Z' },
    ]);
  });
});
