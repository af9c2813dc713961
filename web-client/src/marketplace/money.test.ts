import { describe, expect, it } from 'vitest';
import { centsToInput, formatBRL, parseReais } from './money';

const nbsp = (s: string) => s.replace(/\u00a0/g, ' ');

describe('formatBRL', () => {
  it('formats centavos as reais in each language', () => {
    expect(nbsp(formatBRL(123456, 'pt-BR'))).toBe('R$ 1.234,56');
    expect(nbsp(formatBRL(500, 'pt-BR'))).toBe('R$ 5,00');
    expect(nbsp(formatBRL(0, 'pt-BR'))).toBe('R$ 0,00');
    expect(formatBRL(123456, 'en')).toBe('R$1,234.56');
  });
});

describe('parseReais (R$ → centavos)', () => {
  it.each([
    ['1.234,56', 123456],
    ['1234,56', 123456],
    ['R$ 1.234,56', 123456],
    ['R$\u00a01.234,56', 123456],
    ['1234.56', 123456],
    ['1,234.56', 123456],
    ['1.234.567,89', 123456789],
    ['200', 20000],
    ['200,5', 20050],
    ['0,99', 99],
    [',50', 50],
    ['1.234', 123400],
    ['1,234', 123400],
    ['10,999', 1099900],
    ['12.5', 1250],
    ['12,50', 1250],
    [' 150 ', 15000],
    ['0', 0],
  ])('%s → %i', (input, cents) => {
    expect(parseReais(input)).toBe(cents);
  });

  it.each(['', 'abc', '-10', '1,2,3', '12,345,6', '1.23.4', '10,9999', '1.2345', '1.234,5,6', '1,234,56', 'R$', '1e3', '12.34.56,7'])(
    'refuses %j',
    (input) => {
      expect(parseReais(input)).toBeNull();
    },
  );

  it('round-trips with centsToInput', () => {
    for (const cents of [500, 12345, 123456, 10_000_000, 99, 100]) {
      expect(parseReais(centsToInput(cents, 'pt-BR'))).toBe(cents);
      expect(parseReais(centsToInput(cents, 'en'))).toBe(cents);
    }
    expect(centsToInput(123456, 'pt-BR')).toBe('1234,56');
    expect(centsToInput(20000, 'pt-BR')).toBe('200');
    expect(centsToInput(20050, 'en')).toBe('200.50');
  });
});
