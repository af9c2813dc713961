// The lawyer's profile form: checks mirroring api/src/domain/lawyer.rs, and the request body.
import type { OwnProfile, ProfileRequest } from '../api/client';
import type { FieldError, FieldErrors } from '../forms/validation';
import type { Locale } from '../i18n/messages';
import { CONSULTATION_MINUTES, isPracticeArea, UFS } from './catalog';
import { centsToInput, parseReais } from './money';

export const FEE_MIN_CENTS = 500;
export const FEE_MAX_CENTS = 10_000_000;
export const BIO_MAX = 4000;
export const MAX_AREAS = 8;
export const MAX_LANGUAGES = 8;

export interface ProfileForm {
  oabNumber: string;
  oabState: string;
  areas: string[];
  languages: string[];
  bio: string;
  /** Reais, as typed. */
  fee: string;
  minutes: string;
  timeZone: string;
}

export type ProfileField = keyof ProfileForm;

export function profileForm(p: OwnProfile | null, locale: Locale, defaultZone: string): ProfileForm {
  if (!p) {
    return { oabNumber: '', oabState: '', areas: [], languages: ['pt-BR'], bio: '', fee: '', minutes: '60', timeZone: defaultZone };
  }
  return {
    oabNumber: p.oab_number,
    oabState: p.oab_state,
    areas: [...p.areas],
    languages: [...p.languages],
    bio: p.bio,
    fee: centsToInput(p.fee_cents, locale),
    minutes: String(p.consultation_minutes),
    timeZone: p.time_zone,
  };
}

/** `123.456`, `123456`, `12345A`: 1 to 7 digits (not all zeros) and at most one letter. */
export function normaliseOab(raw: string): string | null {
  const n = raw.replace(/[.\s-]/g, '').toUpperCase();
  const m = /^(\d{1,7})([A-Z]?)$/.exec(n);
  if (!m || /^0+$/.test(m[1]!)) return null;
  return n;
}

const LANGUAGE_TAG = /^[a-z]{2}(-[A-Z]{2})?$/;

export function validateProfile(form: ProfileForm): { errors: FieldErrors<ProfileField>; request: ProfileRequest | null } {
  const errors: FieldErrors<ProfileField> = {};
  const set = (f: ProfileField, e: FieldError) => {
    errors[f] = e;
  };
  const oab = normaliseOab(form.oabNumber);
  if (form.oabNumber.trim() === '') set('oabNumber', { key: 'profile.error.oabRequired' });
  else if (!oab) set('oabNumber', { key: 'profile.error.oabNumber' });
  if (!UFS.some(([uf]) => uf === form.oabState)) set('oabState', { key: 'profile.error.oabState' });
  if (form.areas.length === 0 || form.areas.length > MAX_AREAS || !form.areas.every(isPracticeArea)) {
    set('areas', { key: 'profile.error.areas', vars: { max: MAX_AREAS } });
  }
  if (form.languages.length === 0 || form.languages.length > MAX_LANGUAGES || !form.languages.every((l) => LANGUAGE_TAG.test(l))) {
    set('languages', { key: 'profile.error.languages', vars: { max: MAX_LANGUAGES } });
  }
  const fee = parseReais(form.fee);
  if (form.fee.trim() === '') set('fee', { key: 'profile.error.feeRequired' });
  else if (fee === null) set('fee', { key: 'profile.error.feeFormat' });
  else if (fee < FEE_MIN_CENTS || fee > FEE_MAX_CENTS) set('fee', { key: 'profile.error.feeRange' });
  const minutes = Number(form.minutes);
  if (!CONSULTATION_MINUTES.includes(minutes)) set('minutes', { key: 'profile.error.minutes' });
  if (form.timeZone.trim() === '') set('timeZone', { key: 'profile.error.timeZone' });
  if ([...form.bio.trim()].length > BIO_MAX) set('bio', { key: 'profile.error.bio', vars: { max: BIO_MAX } });

  if (Object.keys(errors).length > 0 || !oab || fee === null) return { errors, request: null };
  return {
    errors,
    request: {
      oab_number: oab,
      oab_state: form.oabState,
      areas: [...form.areas],
      languages: [...form.languages],
      bio: form.bio.trim(),
      fee_cents: fee,
      consultation_minutes: minutes,
      time_zone: form.timeZone,
    },
  };
}
