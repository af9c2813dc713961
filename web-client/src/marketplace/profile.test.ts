import { describe, expect, it } from 'vitest';
import { normaliseOab, validateProfile, type ProfileForm } from './profile';

const good: ProfileForm = {
  oabNumber: '123.456',
  oabState: 'SP',
  areas: ['family', 'civil'],
  languages: ['pt-BR', 'en'],
  bio: '  Atendo em família.  ',
  fee: '1.234,56',
  minutes: '60',
  timeZone: 'America/Sao_Paulo',
};

describe('validateProfile', () => {
  it('builds the request with the fee in centavos', () => {
    expect(validateProfile(good)).toEqual({
      errors: {},
      request: {
        oab_number: '123456',
        oab_state: 'SP',
        areas: ['family', 'civil'],
        languages: ['pt-BR', 'en'],
        bio: 'Atendo em família.',
        fee_cents: 123456,
        consultation_minutes: 60,
        time_zone: 'America/Sao_Paulo',
      },
    });
  });

  it('names each bad field', () => {
    const { errors, request } = validateProfile({
      ...good,
      oabNumber: '0000',
      oabState: 'XX',
      areas: [],
      languages: ['portuguese'],
      fee: '4,99',
      minutes: '62',
    });
    expect(request).toBeNull();
    expect(Object.keys(errors)).toEqual(['oabNumber', 'oabState', 'areas', 'languages', 'fee', 'minutes']);
    expect(validateProfile({ ...good, fee: '100.000,01' }).errors.fee?.key).toBe('profile.error.feeRange');
    expect(validateProfile({ ...good, fee: 'abc' }).errors.fee?.key).toBe('profile.error.feeFormat');
    expect(validateProfile({ ...good, areas: Array(9).fill('civil') }).errors.areas).toBeDefined();
  });
});

describe('normaliseOab', () => {
  it('mirrors the server', () => {
    expect(normaliseOab('123.456')).toBe('123456');
    expect(normaliseOab('12345a')).toBe('12345A');
    for (const bad of ['', '12345678', '12A3', '0000', '12345AB']) expect(normaliseOab(bad)).toBeNull();
  });
});
