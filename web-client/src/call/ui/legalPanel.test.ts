import { describe, expect, it } from 'vitest';
import { mediaTime } from './LegalPanel';

describe('media time', () => {
  it('is mm:ss, with hours when there are any', () => {
    expect(mediaTime(0)).toBe('00:00');
    expect(mediaTime(75_999)).toBe('01:15');
    expect(mediaTime(3_725_000)).toBe('1:02:05');
  });
});
