import { describe, expect, it } from 'vitest';
import { bpsToPercentInput, formatPercent, parsePercentToBps } from './rules';

describe('commission percentage', () => {
  it('shows basis points as a percentage', () => {
    expect(bpsToPercentInput(2000, 'pt-BR')).toBe('20');
    expect(bpsToPercentInput(1250, 'pt-BR')).toBe('12,5');
    expect(bpsToPercentInput(1205, 'en')).toBe('12.05');
    expect(formatPercent(2000, 'pt-BR').replace(/\s/g, '')).toBe('20%');
    expect(formatPercent(1250, 'en')).toBe('12.5%');
  });
  it('reads what people type', () => {
    expect(parsePercentToBps('20')).toBe(2000);
    expect(parsePercentToBps('12,5')).toBe(1250);
    expect(parsePercentToBps('12.05 %')).toBe(1205);
    expect(parsePercentToBps('0')).toBe(0);
    expect(parsePercentToBps('100')).toBe(10_000);
  });
  it('refuses the rest', () => {
    for (const bad of ['', 'abc', '100,01', '101', '1,234', '-5', '12.345']) expect(parsePercentToBps(bad), bad).toBeNull();
  });
  it('round-trips', () => {
    for (const bps of [0, 1, 10, 99, 1250, 2000, 10_000]) expect(parsePercentToBps(bpsToPercentInput(bps, 'pt-BR'))).toBe(bps);
  });
});
