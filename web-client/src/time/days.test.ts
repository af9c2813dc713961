import { describe, expect, it } from 'vitest';
import { formatDay, formatTime, groupByLocalDay, localDay, utcOffset } from './days';

const slot = (start: string) => ({ start, end: new Date(Date.parse(start) + 3_600_000).toISOString() });
const days = (groups: { day: string; items: { start: string }[] }[], zone: string) =>
  groups.map((g) => [g.day, g.items.map((s) => formatTime(s.start, zone))]);

describe('groupByLocalDay', () => {
  it('puts the same instants on different days in different zones', () => {
    // 02:30 UTC on 2 Dec is still 1 Dec in São Paulo (UTC−3) and Manaus (UTC−4).
    const slots = [slot('2026-12-01T22:00:00Z'), slot('2026-12-02T02:30:00Z'), slot('2026-12-02T13:00:00Z')];
    expect(days(groupByLocalDay(slots, 'America/Sao_Paulo'), 'America/Sao_Paulo')).toEqual([
      ['2026-12-01', ['19:00', '23:30']],
      ['2026-12-02', ['10:00']],
    ]);
    expect(days(groupByLocalDay(slots, 'Europe/Lisbon'), 'Europe/Lisbon')).toEqual([
      ['2026-12-01', ['22:00']],
      ['2026-12-02', ['02:30', '13:00']],
    ]);
    expect(days(groupByLocalDay(slots, 'Asia/Tokyo'), 'Asia/Tokyo')).toEqual([
      ['2026-12-02', ['07:00', '11:30', '22:00']],
    ]);
  });

  it('follows Lisbon across the spring-forward night (29 March 2026, 01:00 UTC)', () => {
    // 23:30 UTC is 23:30 in Lisbon in winter (UTC+0) but 00:30 the next day in summer (UTC+1).
    const slots = [slot('2026-03-28T23:30:00Z'), slot('2026-03-29T00:30:00Z'), slot('2026-03-29T23:30:00Z')];
    expect(days(groupByLocalDay(slots, 'Europe/Lisbon'), 'Europe/Lisbon')).toEqual([
      ['2026-03-28', ['23:30']],
      ['2026-03-29', ['00:30']],
      ['2026-03-30', ['00:30']],
    ]);
  });

  it('follows New York across fall-back (1 November 2026): one local hour happens twice', () => {
    const slots = [slot('2026-11-01T05:30:00Z'), slot('2026-11-01T06:30:00Z'), slot('2026-11-02T04:30:00Z')];
    // 01:30 EDT, then 01:30 EST (clocks went back), then 23:30 EST on 1 Nov.
    expect(days(groupByLocalDay(slots, 'America/New_York'), 'America/New_York')).toEqual([
      ['2026-11-01', ['01:30', '01:30', '23:30']],
    ]);
    // The same instants from São Paulo (no DST since 2019) are evenly spaced.
    expect(days(groupByLocalDay(slots, 'America/Sao_Paulo'), 'America/Sao_Paulo')).toEqual([
      ['2026-11-01', ['02:30', '03:30']],
      ['2026-11-02', ['01:30']],
    ]);
  });

  it('sorts what comes unsorted and keeps each item whole', () => {
    const a = { start: '2026-12-03T12:00:00Z', end: '2026-12-03T13:00:00Z', id: 'a' };
    const b = { start: '2026-12-02T12:00:00Z', end: '2026-12-02T13:00:00Z', id: 'b' };
    const groups = groupByLocalDay([a, b], 'UTC');
    expect(groups.map((g) => g.items.map((i) => i.id))).toEqual([['b'], ['a']]);
    expect(groupByLocalDay([], 'UTC')).toEqual([]);
  });
});

describe('labels', () => {
  it('names days in each language without shifting them', () => {
    expect(formatDay('2026-11-21', 'pt-BR')).toBe('sábado, 21 de novembro');
    expect(formatDay('2026-11-21', 'en')).toBe('Saturday 21 November');
    expect(formatDay('2027-01-20', 'pt-BR', 'full')).toBe('quarta-feira, 20 de janeiro de 2027');
    expect(formatDay('2026-11-21', 'pt-BR', 'short')).toBe('sáb., 21 de nov.');
    expect(localDay('2026-11-21T02:00:00Z', 'America/Sao_Paulo')).toBe('2026-11-20');
  });

  it('gives UTC offsets, DST included', () => {
    expect(utcOffset('America/Sao_Paulo', new Date('2026-07-01T12:00:00Z'))).toBe('UTC\u22123');
    expect(utcOffset('Europe/Lisbon', new Date('2026-07-01T12:00:00Z'))).toBe('UTC+1');
    expect(utcOffset('Europe/Lisbon', new Date('2026-01-01T12:00:00Z'))).toBe('UTC');
    expect(utcOffset('Asia/Kolkata', new Date('2026-01-01T12:00:00Z'))).toBe('UTC+5:30');
  });
});
