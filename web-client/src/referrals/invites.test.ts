import { describe, expect, it } from 'vitest';
import { inviteStatus, parseMaxUses } from './invites';

const NOW = new Date('2026-11-21T12:00:00Z');
const base = { revoked_at: null, expires_at: null, max_uses: null, uses: 0 };

describe('invite status', () => {
  it('is active by default', () => expect(inviteStatus(base, NOW)).toBe('active'));
  it('revoked wins over everything', () =>
    expect(inviteStatus({ ...base, revoked_at: '2026-11-01T00:00:00Z', expires_at: '2026-01-01T00:00:00Z' }, NOW)).toBe('revoked'));
  it('expires at its instant', () => {
    expect(inviteStatus({ ...base, expires_at: '2026-11-21T12:00:00Z' }, NOW)).toBe('expired');
    expect(inviteStatus({ ...base, expires_at: '2026-11-21T12:00:01Z' }, NOW)).toBe('active');
  });
  it('is used up at its limit', () => {
    expect(inviteStatus({ ...base, max_uses: 2, uses: 2 }, NOW)).toBe('used_up');
    expect(inviteStatus({ ...base, max_uses: 2, uses: 1 }, NOW)).toBe('active');
  });
});

describe('max uses field', () => {
  it('reads blank as no limit and whole numbers in range', () => {
    expect(parseMaxUses('  ')).toBeNull();
    expect(parseMaxUses('10')).toBe(10);
  });
  it('refuses anything else', () => {
    for (const bad of ['0', '-1', '1.5', 'abc', '100001']) expect(parseMaxUses(bad), bad).toBeUndefined();
  });
});
