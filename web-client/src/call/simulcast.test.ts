import { describe, expect, test } from 'vitest';
import { qualityForWidth, simulcastEncodings, wantedQuality } from './simulcast';

describe('simulcast', () => {
  test('a 720p camera goes out in three sizes, smallest first', () => {
    const e = simulcastEncodings(720, false)!;
    expect(e.map((x) => x.rid)).toEqual(['q', 'h', 'f']);
    expect(e.map((x) => x.scaleResolutionDownBy)).toEqual([4, 2, 1]);
    expect(e[0]!.maxBitrate).toBeLessThan(e[2]!.maxBitrate!);
  });

  test('a small camera or a Legal Mode call sends one encoding', () => {
    expect(simulcastEncodings(240, false)).toBeNull();
    expect(simulcastEncodings(undefined, false)).toBeNull();
    expect(simulcastEncodings(720, true)).toBeNull();
  });

  test('a tile asks for the size that fills it, unless the viewer chose one', () => {
    expect(qualityForWidth(200)).toBe('low');
    expect(qualityForWidth(640)).toBe('medium');
    expect(qualityForWidth(1100)).toBe('high');
    expect(wantedQuality('auto', null)).toBe('high');
    expect(wantedQuality('auto', 300)).toBe('low');
    expect(wantedQuality('low', 2000)).toBe('low');
    expect(wantedQuality('high', 100)).toBe('high');
  });
});
