import { describe, expect, it } from 'vitest';
import { formatInstant } from './format';

const SP = 'America/Sao_Paulo';
const MANAUS = 'America/Manaus';
const LISBON = 'Europe/Lisbon';

describe('formatInstant in pt-BR (dd/MM/yyyy HH:mm)', () => {
  it('shows one instant in each time zone', () => {
    const t = '2025-03-01T12:00:00Z';
    expect(formatInstant(t, 'pt-BR', SP)).toBe('01/03/2025 09:00'); // UTC-3
    expect(formatInstant(t, 'pt-BR', MANAUS)).toBe('01/03/2025 08:00'); // UTC-4
    expect(formatInstant(t, 'pt-BR', LISBON)).toBe('01/03/2025 12:00'); // WET, UTC+0
  });

  it('follows Lisbon summer time', () => {
    expect(formatInstant('2025-07-15T12:00:00Z', 'pt-BR', LISBON)).toBe('15/07/2025 13:00'); // WEST, UTC+1
  });

  it('knows Brazil had summer time until 2019', () => {
    expect(formatInstant('2018-12-01T12:00:00Z', 'pt-BR', SP)).toBe('01/12/2018 10:00'); // BRST, UTC-2
    expect(formatInstant('2018-12-01T12:00:00Z', 'pt-BR', MANAUS)).toBe('01/12/2018 08:00'); // Amazonas: none
  });

  it('moves to the previous day across midnight', () => {
    const t = '2025-01-01T02:30:00Z';
    expect(formatInstant(t, 'pt-BR', SP)).toBe('31/12/2024 23:30');
    expect(formatInstant(t, 'pt-BR', MANAUS)).toBe('31/12/2024 22:30');
    expect(formatInstant(t, 'pt-BR', LISBON)).toBe('01/01/2025 02:30');
  });

  it('writes midnight as 00:00, not 24:00', () => {
    expect(formatInstant('2025-06-10T03:00:00Z', 'pt-BR', SP)).toBe('10/06/2025 00:00');
  });

  it('reads offsets and fractional seconds as the API sends them', () => {
    expect(formatInstant('2025-03-01T09:00:00.123456-03:00', 'pt-BR', LISBON)).toBe('01/03/2025 12:00');
  });

  it('accepts a Date', () => {
    expect(formatInstant(new Date(Date.UTC(2025, 10, 21, 18, 5)), 'pt-BR', SP)).toBe('21/11/2025 15:05');
  });
});

describe('formatInstant in English (d MMM yyyy, HH:mm)', () => {
  it('shows the month by name and a 24-hour clock', () => {
    expect(formatInstant('2025-03-01T12:00:00Z', 'en', SP)).toBe('1 Mar 2025, 09:00');
    expect(formatInstant('2025-07-15T21:45:00Z', 'en', LISBON)).toBe('15 Jul 2025, 22:45');
    expect(formatInstant('2025-01-01T02:30:00Z', 'en', MANAUS)).toBe('31 Dec 2024, 22:30');
  });
});

describe('formatInstant with bad input', () => {
  it('returns the value unchanged', () => {
    expect(formatInstant('not a date', 'pt-BR', SP)).toBe('not a date');
  });
});
