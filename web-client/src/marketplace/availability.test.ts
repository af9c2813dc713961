import { describe, expect, it } from 'vitest';
import type { AvailabilityDoc } from '../api/client';
import { buildAvailabilityDoc, copyToAllDays, formFromDoc, type AvailabilityForm } from './availability';

function form(patch: Partial<AvailabilityForm> = {}): AvailabilityForm {
  return {
    weekly: { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] },
    overrides: [],
    bufferBefore: '0',
    bufferAfter: '10',
    minNotice: '120',
    bookingWindow: '30',
    maxPerDay: '',
    ...patch,
  };
}

const week = (mon: AvailabilityForm['weekly']['mon']) => ({ ...form().weekly, mon });

function problems(f: AvailabilityForm) {
  const r = buildAvailabilityDoc(f);
  return r.ok ? [] : r.problems.map((p) => [p.at, p.key]);
}

describe('buildAvailabilityDoc', () => {
  it('builds the server document, sorted by weekday and time', () => {
    const r = buildAvailabilityDoc(
      form({
        weekly: {
          ...form().weekly,
          wed: [{ start: '14:00', end: '18:00' }],
          mon: [
            { start: '14:00', end: '18:00' },
            { start: '09:00', end: '12:00' },
          ],
        },
        overrides: [
          { date: '2026-12-31', dayOff: false, hours: [{ start: '09:00', end: '12:00' }] },
          { date: '2026-12-24', dayOff: true, hours: [{ start: '09:00', end: '10:00' }] },
        ],
        maxPerDay: '6',
      }),
    );
    expect(r).toEqual({
      ok: true,
      doc: {
        weekly: [
          { weekday: 'mon', start: '09:00', end: '12:00' },
          { weekday: 'mon', start: '14:00', end: '18:00' },
          { weekday: 'wed', start: '14:00', end: '18:00' },
        ],
        overrides: [
          { date: '2026-12-24', hours: [] }, // a day off sends no hours, whatever was typed before
          { date: '2026-12-31', hours: [{ start: '09:00', end: '12:00' }] },
        ],
        buffer_before_minutes: 0,
        buffer_after_minutes: 10,
        min_notice_minutes: 120,
        booking_window_days: 30,
        max_per_day: 6,
      },
    });
  });

  it('sends no daily limit when the field is empty', () => {
    const r = buildAvailabilityDoc(form());
    expect(r.ok && r.doc.max_per_day).toBeNull();
  });

  it('refuses a range that ends before it starts, or is empty', () => {
    expect(problems(form({ weekly: week([{ start: '12:00', end: '09:00' }]) }))).toEqual([['weekly.mon.0', 'availability.error.order']]);
    expect(problems(form({ weekly: week([{ start: '09:00', end: '09:00' }]) }))).toEqual([['weekly.mon.0', 'availability.error.order']]);
  });

  it('refuses overlapping ranges on a day, and accepts touching ones', () => {
    expect(
      problems(
        form({
          weekly: week([
            { start: '09:00', end: '12:00' },
            { start: '11:30', end: '13:00' },
          ]),
        }),
      ),
    ).toEqual([['weekly.mon.1', 'availability.error.overlap']]);
    expect(
      problems(
        form({
          weekly: week([
            { start: '13:00', end: '18:00' },
            { start: '09:00', end: '13:00' },
          ]),
        }),
      ),
    ).toEqual([]);
    // A range inside another overlaps too; the later-listed row is the one marked.
    expect(
      problems(
        form({
          weekly: week([
            { start: '10:00', end: '11:00' },
            { start: '08:00', end: '18:00' },
          ]),
        }),
      ),
    ).toEqual([['weekly.mon.1', 'availability.error.overlap']]);
  });

  it('checks times, dates, duplicate and empty overrides', () => {
    expect(problems(form({ weekly: week([{ start: '9h', end: '24:00' }]) }))).toEqual([['weekly.mon.0', 'availability.error.time']]);
    expect(
      problems(
        form({
          overrides: [
            { date: '2026-02-30', dayOff: true, hours: [] },
            { date: '2026-12-24', dayOff: true, hours: [] },
            { date: '2026-12-24', dayOff: true, hours: [] },
            { date: '2026-12-31', dayOff: false, hours: [] },
            {
              date: '2027-01-02',
              dayOff: false,
              hours: [
                { start: '08:00', end: '10:00' },
                { start: '09:00', end: '11:00' },
              ],
            },
          ],
        }),
      ),
    ).toEqual([
      ['overrides.0', 'availability.error.date'],
      ['overrides.2', 'availability.error.duplicateDate'],
      ['overrides.3', 'availability.error.noHours'],
      ['overrides.4.hours.1', 'availability.error.overlap'],
    ]);
  });

  it('checks the rules against the server limits', () => {
    expect(
      problems(form({ bufferBefore: '-5', bufferAfter: '241', minNotice: 'x', bookingWindow: '0', maxPerDay: '49' })).map(([at]) => at),
    ).toEqual(['bufferBefore', 'bufferAfter', 'minNotice', 'bookingWindow', 'maxPerDay']);
    expect(problems(form({ bufferBefore: '240', minNotice: '43200', bookingWindow: '365', maxPerDay: '48' }))).toEqual([]);
  });
});

describe('the form round-trips a stored document', () => {
  it('reads what the server sent, defaults included', () => {
    const doc: AvailabilityDoc = {
      weekly: [
        { weekday: 'fri', start: '14:00', end: '17:00' },
        { weekday: 'fri', start: '08:00', end: '12:00' },
      ],
      overrides: [{ date: '2026-12-24', hours: [] }],
    };
    const f = formFromDoc(doc);
    expect(f.weekly.fri).toEqual([
      { start: '08:00', end: '12:00' },
      { start: '14:00', end: '17:00' },
    ]);
    expect(f.overrides).toEqual([{ date: '2026-12-24', dayOff: true, hours: [] }]);
    expect([f.minNotice, f.bookingWindow, f.maxPerDay]).toEqual(['120', '30', '']);
    const again = buildAvailabilityDoc(f);
    expect(again.ok && again.doc.weekly).toEqual([
      { weekday: 'fri', start: '08:00', end: '12:00' },
      { weekday: 'fri', start: '14:00', end: '17:00' },
    ]);
  });

  it('copies one day to the whole week', () => {
    const f = copyToAllDays(form({ weekly: week([{ start: '07:00', end: '22:00' }]) }), 'mon');
    const r = buildAvailabilityDoc(f);
    expect(r.ok && r.doc.weekly.map((w) => w.weekday)).toEqual(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);
    f.weekly.tue[0]!.start = '08:00';
    expect(f.weekly.mon[0]!.start).toBe('07:00'); // copies, not shared rows
  });
});

describe('normaliseTime', () => {
  it('reads the ways people type hours', async () => {
    const { normaliseTime } = await import('./availability');
    expect(['7', '07', '7:00', '7h', '07h00', '700', '0700', ' 7:00 '].map(normaliseTime)).toEqual(Array(8).fill('07:00'));
    expect(['7h30', '7:30', '730', '7.30'].map(normaliseTime)).toEqual(Array(4).fill('07:30'));
    expect(normaliseTime('23:59')).toBe('23:59');
    for (const bad of ['24:00', '7:60', 'nine', '12345', '']) expect(normaliseTime(bad)).toBe(bad);
  });

  it('is applied before the checks', () => {
    const r = buildAvailabilityDoc(form({ weekly: week([{ start: '7', end: '22h' }]) }));
    expect(r.ok && r.doc.weekly).toEqual([{ weekday: 'mon', start: '07:00', end: '22:00' }]);
  });
});

describe('nextRange', () => {
  it('starts where the day ends, for two hours, and never past midnight', async () => {
    const { nextRange } = await import('./availability');
    expect(nextRange([])).toEqual({ start: '09:00', end: '18:00' });
    expect(nextRange([{ start: '09:00', end: '12:00' }])).toEqual({ start: '12:00', end: '14:00' });
    expect(nextRange([{ start: '20:00', end: '23:00' }])).toEqual({ start: '23:00', end: '23:59' });
    expect(nextRange([{ start: '20:00', end: '23:59' }])).toEqual({ start: '09:00', end: '18:00' });
  });
});
