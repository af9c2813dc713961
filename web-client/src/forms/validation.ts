// Form checks that mirror the server's domain types (api/src/domain/account.rs), so people see
// a mistake before the request; the server still decides. Errors are message keys, not text.
import type { Role } from '../api/client';
import type { MessageKey, Vars } from '../i18n/messages';

export interface FieldError {
  key: MessageKey;
  vars?: Vars;
}
export type FieldErrors<F extends string> = Partial<Record<F, FieldError>>;

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 256;
export const DISPLAY_NAME_MAX = 100;
export const REASON_MIN = 3;
export const REASON_MAX = 1000;

const chars = (s: string) => [...s].length;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

export function checkEmail(raw: string): FieldError | undefined {
  const email = raw.trim();
  if (email === '') return { key: 'validation.email.required' };
  if (email.length > 254 || /\s/.test(email)) return { key: 'validation.email.invalid' };
  const at = email.indexOf('@');
  if (at <= 0 || at !== email.lastIndexOf('@')) return { key: 'validation.email.invalid' };
  const domain = email.slice(at + 1);
  if (!domain.includes('.') || domain.startsWith('.') || domain.endsWith('.')) {
    return { key: 'validation.email.invalid' };
  }
  return undefined;
}

/** For sign-up: the length rule. (For login only presence is checked: old passwords stay valid.) */
export function checkNewPassword(raw: string): FieldError | undefined {
  if (raw === '') return { key: 'validation.password.required' };
  if (chars(raw) < PASSWORD_MIN) return { key: 'validation.password.tooShort', vars: { min: PASSWORD_MIN } };
  if (chars(raw) > PASSWORD_MAX) return { key: 'validation.password.tooLong', vars: { max: PASSWORD_MAX } };
  return undefined;
}

export function checkDisplayName(raw: string): FieldError | undefined {
  const name = raw.trim();
  if (name === '') return { key: 'validation.displayName.required' };
  if (chars(name) > DISPLAY_NAME_MAX) return { key: 'validation.displayName.tooLong', vars: { max: DISPLAY_NAME_MAX } };
  if (CONTROL.test(name)) return { key: 'validation.displayName.control' };
  return undefined;
}

export function checkReason(raw: string): FieldError | undefined {
  const n = chars(raw.trim());
  if (n < REASON_MIN) return { key: 'validation.reason.tooShort', vars: { min: REASON_MIN } };
  if (n > REASON_MAX) return { key: 'validation.reason.tooLong', vars: { max: REASON_MAX } };
  return undefined;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An optional UUID filter: empty is fine, anything else must be a whole UUID. */
export function checkOptionalUuid(raw: string): FieldError | undefined {
  const v = raw.trim();
  return v === '' || UUID.test(v) ? undefined : { key: 'validation.uuid.invalid' };
}

function collect<F extends string>(checks: Record<F, FieldError | undefined>): FieldErrors<F> {
  const errors: FieldErrors<F> = {};
  for (const field of Object.keys(checks) as F[]) {
    const e = checks[field];
    if (e) errors[field] = e;
  }
  return errors;
}

export function hasErrors(errors: FieldErrors<string>): boolean {
  return Object.keys(errors).length > 0;
}

export interface SignupForm {
  email: string;
  password: string;
  displayName: string;
  role: Role | '';
}

export function validateSignup(form: SignupForm): FieldErrors<'email' | 'password' | 'displayName' | 'role'> {
  // In the order of the form, so the first error is the first field to fix.
  return collect({
    role:
      form.role === 'CLIENT' || form.role === 'LAWYER' || form.role === 'PARTNER'
        ? undefined
        : { key: 'validation.role.required' },
    displayName: checkDisplayName(form.displayName),
    email: checkEmail(form.email),
    password: checkNewPassword(form.password),
  });
}

export function validateLogin(form: { email: string; password: string }): FieldErrors<'email' | 'password'> {
  return collect({
    email: checkEmail(form.email),
    password: form.password === '' ? { key: 'validation.password.required' } : undefined,
  });
}

export function validateAuditFilters(form: { actorId: string }): FieldErrors<'actorId'> {
  return collect({ actorId: checkOptionalUuid(form.actorId) });
}
