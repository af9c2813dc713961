import { describe, expect, it } from 'vitest';
import { dictionaries, initialLocale, LOCALE_STORAGE_KEY, placeholders, translate } from './messages';

const pt = dictionaries['pt-BR'];
const en = dictionaries.en;

describe('dictionaries', () => {
  it('have the same keys', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(pt).sort());
  });

  it('have no empty messages', () => {
    for (const [locale, dict] of Object.entries(dictionaries)) {
      for (const [key, message] of Object.entries(dict)) {
        expect(message.trim(), `${locale} ${key}`).not.toBe('');
      }
    }
  });

  it('use the same placeholders for each key', () => {
    for (const key of Object.keys(pt) as (keyof typeof pt)[]) {
      expect(placeholders(en[key]), key).toEqual(placeholders(pt[key]));
    }
  });
});

describe('translate', () => {
  it('fills placeholders', () => {
    expect(translate('pt-BR', 'validation.password.tooShort', { min: 10 })).toBe('A senha precisa ter pelo menos 10 caracteres.');
    expect(translate('en', 'home.greeting', { name: 'Ana' })).toBe('Hello, Ana');
  });

  it('leaves an unknown placeholder visible rather than blank', () => {
    expect(translate('en', 'home.greeting', {})).toBe('Hello, {name}');
  });
});

describe('initial locale', () => {
  const storage = (v: string | null) => ({ getItem: (k: string) => (k === LOCALE_STORAGE_KEY ? v : null) });
  it('is Portuguese unless English was chosen', () => {
    expect(initialLocale(null)).toBe('pt-BR');
    expect(initialLocale(storage(null))).toBe('pt-BR');
    expect(initialLocale(storage('fr'))).toBe('pt-BR');
    expect(initialLocale(storage('en'))).toBe('en');
  });
  it('survives a storage that throws', () => {
    expect(initialLocale({ getItem: () => { throw new Error('denied'); } })).toBe('pt-BR');
  });
});
