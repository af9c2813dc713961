import { describe, expect, it } from 'vitest';
import { isFresh, parseStoredVisit, shouldStoreVisit, visitToSend, type StoredVisit } from './visit';

const NOW = new Date('2026-11-21T12:00:00Z');
const visit = (at: string): StoredVisit => ({ visitId: 'v-1', code: 'ABC', partnerName: 'Parceira', kind: 'client', at });

describe('invite visit, first touch', () => {
  it('stores a visit when nothing is stored', () => {
    expect(shouldStoreVisit(null, NOW)).toBe(true);
  });
  it('keeps a visit younger than 30 days', () => {
    expect(shouldStoreVisit(visit('2026-11-20T12:00:00Z'), NOW)).toBe(false);
    expect(shouldStoreVisit(visit('2026-10-22T12:00:01Z'), NOW)).toBe(false); // 29 d 23:59:59
  });
  it('replaces a visit 30 days old or older', () => {
    expect(shouldStoreVisit(visit('2026-10-22T12:00:00Z'), NOW)).toBe(true); // exactly 30 d
    expect(shouldStoreVisit(visit('2026-01-01T00:00:00Z'), NOW)).toBe(true);
  });
  it('does not trust a visit dated in the future', () => {
    expect(isFresh(visit('2026-11-22T12:00:00Z'), NOW)).toBe(false);
  });
  it('sends only a fresh visit', () => {
    expect(visitToSend(visit('2026-11-21T11:59:00Z'), NOW)).toBe('v-1');
    expect(visitToSend(visit('2026-09-01T00:00:00Z'), NOW)).toBeNull();
    expect(visitToSend(null, NOW)).toBeNull();
  });
  it('reads back only what it wrote', () => {
    const v = visit('2026-11-21T11:00:00Z');
    expect(parseStoredVisit(JSON.stringify(v))).toEqual(v);
    for (const bad of [null, '', 'x', '{}', JSON.stringify({ ...v, at: 'yesterday' }), JSON.stringify({ ...v, visitId: 1 })]) {
      expect(parseStoredVisit(bad), String(bad)).toBeNull();
    }
  });
});
