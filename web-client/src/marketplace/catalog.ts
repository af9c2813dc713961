// Fixed lists the server validates against (api/src/domain/lawyer.rs), with their labels.
// Area, weekday and time-zone labels live in the dictionaries; UF names are proper nouns.
import type { Locale, MessageKey } from '../i18n/messages';

export const PRACTICE_AREAS = [
  'civil',
  'criminal',
  'labor',
  'family',
  'consumer',
  'tax',
  'business',
  'social_security',
  'real_estate',
  'digital',
  'administrative',
  'environmental',
  'succession',
  'immigration',
] as const;
export type PracticeArea = (typeof PRACTICE_AREAS)[number];

export function areaLabel(area: string): MessageKey {
  return `area.${area}` as MessageKey;
}

export function isPracticeArea(v: string): v is PracticeArea {
  return (PRACTICE_AREAS as readonly string[]).includes(v);
}

/** The 27 federative units and their names. */
export const UFS: readonly (readonly [string, string])[] = [
  ['AC', 'Acre'],
  ['AL', 'Alagoas'],
  ['AP', 'Amapá'],
  ['AM', 'Amazonas'],
  ['BA', 'Bahia'],
  ['CE', 'Ceará'],
  ['DF', 'Distrito Federal'],
  ['ES', 'Espírito Santo'],
  ['GO', 'Goiás'],
  ['MA', 'Maranhão'],
  ['MT', 'Mato Grosso'],
  ['MS', 'Mato Grosso do Sul'],
  ['MG', 'Minas Gerais'],
  ['PA', 'Pará'],
  ['PB', 'Paraíba'],
  ['PR', 'Paraná'],
  ['PE', 'Pernambuco'],
  ['PI', 'Piauí'],
  ['RJ', 'Rio de Janeiro'],
  ['RN', 'Rio Grande do Norte'],
  ['RS', 'Rio Grande do Sul'],
  ['RO', 'Rondônia'],
  ['RR', 'Roraima'],
  ['SC', 'Santa Catarina'],
  ['SP', 'São Paulo'],
  ['SE', 'Sergipe'],
  ['TO', 'Tocantins'],
];

/** Languages offered in forms and filters (tags as the server expects them). */
export const LANGUAGES = ['pt-BR', 'en', 'es', 'fr', 'it', 'de', 'ja', 'zh', 'ar'] as const;

/** A language tag's name in the reader's language, e.g. `Português (Brasil)`. */
export function languageName(tag: string, locale: Locale): string {
  try {
    const name = new Intl.DisplayNames([locale], { type: 'language' }).of(tag);
    return name ? name.charAt(0).toLocaleUpperCase(locale) + name.slice(1) : tag;
  } catch {
    return tag;
  }
}

/** Time zones lawyers pick from: Brazil's, then some where Brazilians abroad live. */
export const TIME_ZONES = [
  'America/Sao_Paulo',
  'America/Bahia',
  'America/Fortaleza',
  'America/Recife',
  'America/Belem',
  'America/Noronha',
  'America/Cuiaba',
  'America/Campo_Grande',
  'America/Manaus',
  'America/Porto_Velho',
  'America/Rio_Branco',
  'Europe/Lisbon',
  'Europe/London',
  'Europe/Madrid',
  'Europe/Paris',
  'Europe/Berlin',
  'America/New_York',
  'America/Chicago',
  'America/Los_Angeles',
  'America/Argentina/Buenos_Aires',
  'Asia/Tokyo',
  'UTC',
] as const;

export function timeZoneLabel(zone: string): MessageKey | null {
  return (TIME_ZONES as readonly string[]).includes(zone) ? (`tz.${zone}` as MessageKey) : null;
}

export const DEFAULT_TIME_ZONE = 'America/Sao_Paulo';

/** Consultation lengths the server accepts: 15 to 240 minutes in steps of 5. */
export const CONSULTATION_MINUTES: readonly number[] = Array.from({ length: (240 - 15) / 5 + 1 }, (_, i) => 15 + i * 5);
