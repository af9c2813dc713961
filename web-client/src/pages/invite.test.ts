import { describe, expect, it } from 'vitest';
import { normaliseInvite } from './invite';

describe('invite code from ?invite=', () => {
  it('keeps a plain code, trimmed', () => {
    expect(normaliseInvite(' PARCEIRO-42 ')).toBe('PARCEIRO-42');
    expect(normaliseInvite('abc_123')).toBe('abc_123');
  });
  it('drops empty, odd or oversized values', () => {
    for (const bad of [null, undefined, '', '   ', '<script>', 'a b', 'x'.repeat(65)]) {
      expect(normaliseInvite(bad), String(bad)).toBeNull();
    }
  });
});
