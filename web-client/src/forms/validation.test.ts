import { describe, expect, it } from 'vitest';
import {
  checkDisplayName,
  checkEmail,
  checkNewPassword,
  checkOptionalUuid,
  checkReason,
  hasErrors,
  validateAuditFilters,
  validateLogin,
  validateSignup,
} from './validation';

describe('email', () => {
  it('accepts addresses the server accepts, with surrounding spaces', () => {
    for (const ok of ['ana@example.com', '  Ana@Example.COM ', 'a.b+c@sub.dominio.com.br']) {
      expect(checkEmail(ok), ok).toBeUndefined();
    }
  });
  it('refuses what the server refuses', () => {
    expect(checkEmail('')?.key).toBe('validation.email.required');
    for (const bad of ['ana', 'ana@', '@x.com', 'a@b', 'a b@x.com', 'a@@x.com', 'a@x.com.', 'a@.x']) {
      expect(checkEmail(bad)?.key, bad).toBe('validation.email.invalid');
    }
  });
});

describe('new password', () => {
  it('needs 10 to 256 characters, counted as characters', () => {
    expect(checkNewPassword('')?.key).toBe('validation.password.required');
    expect(checkNewPassword('123456789')).toEqual({ key: 'validation.password.tooShort', vars: { min: 10 } });
    expect(checkNewPassword('1234567890')).toBeUndefined();
    expect(checkNewPassword('ação💼ação💼çã')).toBeUndefined(); // 12 characters, more UTF-16 units
    expect(checkNewPassword('x'.repeat(257))?.key).toBe('validation.password.tooLong');
  });
});

describe('display name', () => {
  it('is trimmed, 1 to 100 characters, without control characters', () => {
    expect(checkDisplayName('   ')?.key).toBe('validation.displayName.required');
    expect(checkDisplayName(' Dra. Ana Souza ')).toBeUndefined();
    expect(checkDisplayName('a'.repeat(101))?.key).toBe('validation.displayName.tooLong');
    expect(checkDisplayName('Ana\u0007')?.key).toBe('validation.displayName.control');
  });
});

describe('reason', () => {
  it('is 3 to 1000 characters once trimmed', () => {
    expect(checkReason('  ab  ')).toEqual({ key: 'validation.reason.tooShort', vars: { min: 3 } });
    expect(checkReason('abc')).toBeUndefined();
    expect(checkReason('x'.repeat(1001))?.key).toBe('validation.reason.tooLong');
  });
});

describe('optional UUID', () => {
  it('is empty or a whole UUID', () => {
    expect(checkOptionalUuid('')).toBeUndefined();
    expect(checkOptionalUuid('6F1C2F0E-8A4B-4C52-9A59-1B2F3C4D5E6F')).toBeUndefined();
    expect(checkOptionalUuid('6f1c2f0e')?.key).toBe('validation.uuid.invalid');
    expect(validateAuditFilters({ actorId: 'nope' })).toHaveProperty('actorId');
  });
});

describe('forms', () => {
  it('sign-up reports every bad field at once', () => {
    const errors = validateSignup({ email: 'x', password: 'short', displayName: '', role: '' });
    expect(Object.keys(errors).sort()).toEqual(['displayName', 'email', 'password', 'role']);
  });
  it('sign-up refuses the admin role', () => {
    const errors = validateSignup({ email: 'a@b.co', password: 'x'.repeat(10), displayName: 'A', role: 'ADMIN' });
    expect(errors.role?.key).toBe('validation.role.required');
  });
  it('a good sign-up has no errors', () => {
    expect(hasErrors(validateSignup({ email: 'a@b.co', password: 'x'.repeat(10), displayName: 'A', role: 'LAWYER' }))).toBe(false);
  });
  it('login checks presence only for the password', () => {
    expect(validateLogin({ email: 'a@b.co', password: 'short' })).toEqual({});
    expect(validateLogin({ email: '', password: '' })).toEqual({
      email: { key: 'validation.email.required' },
      password: { key: 'validation.password.required' },
    });
  });
});
