import { en } from './messages/en.js';
import { hi } from './messages/hi.js';

export const languages = ['en', 'hi'] as const;
export type Language = (typeof languages)[number];

export type Messages = { readonly [K in keyof typeof en]: string };
export type MessageKey = keyof Messages;

/** Every page's words, by language. Hindi has every key English has: the type says so. */
const catalogues: Record<Language, Messages> = { en, hi };

const locales: Record<Language, string> = { en: 'en-IN', hi: 'hi-IN' };

/** The words, numbers and dates of one language. */
export interface Speech {
  readonly lang: Language;
  t(key: MessageKey, values?: Record<string, string | number>): string;
  number(value: number): string;
  date(iso: string): string;
}

const dateFormats = new Map<Language, Intl.DateTimeFormat>();
const numberFormats = new Map<Language, Intl.NumberFormat>();

/**
 * Formatted numbers and dates, remembered per language: a dashboard writes the same weeks and counts hundreds of
 * times, and Intl's formatting costs microseconds each. Bounded, so no page can grow it without limit.
 */
const datesSeen = new Map<string, string>();
const numbersSeen = new Map<string, string>();
const rememberedAtMost = 20_000;

function remembered(
  seen: Map<string, string>,
  lang: Language,
  value: string | number,
  make: () => string,
): string {
  const key = `${lang}\u0000${value}`;
  let text = seen.get(key);
  if (text === undefined) {
    if (seen.size >= rememberedAtMost) seen.clear();
    text = make();
    seen.set(key, text);
  }
  return text;
}

export function speech(lang: Language): Speech {
  const messages = catalogues[lang];
  const numbers = numberFormats.get(lang) ?? new Intl.NumberFormat(locales[lang]);
  numberFormats.set(lang, numbers);
  const dates =
    dateFormats.get(lang) ??
    new Intl.DateTimeFormat(locales[lang], { dateStyle: 'medium', timeZone: 'Asia/Kolkata' });
  dateFormats.set(lang, dates);
  return {
    lang,
    t: (key, values) =>
      values
        ? messages[key].replace(/\{(\w+)\}/g, (whole, name: string) => {
            const value = values[name];
            return value === undefined ? whole : typeof value === 'number' ? numbers.format(value) : value;
          })
        : messages[key],
    number: (value) => remembered(numbersSeen, lang, value, () => numbers.format(value)),
    date: (iso) =>
      remembered(datesSeen, lang, iso, () => {
        const time = Date.parse(iso);
        return Number.isNaN(time) ? iso : dates.format(time);
      }),
  };
}

/** The language asked for: `?lang=`, then the cookie the switch sets, then the browser's first choice of ours. */
export function languageOf(
  query: string | undefined,
  cookie: string | undefined,
  accept: string | undefined,
): Language {
  for (const asked of [query, cookie]) if (asked === 'en' || asked === 'hi') return asked;
  for (const part of (accept ?? '').split(',')) {
    const tag = part.split(';')[0]?.trim().toLowerCase() ?? '';
    if (tag.startsWith('hi')) return 'hi';
    if (tag.startsWith('en')) return 'en';
  }
  return 'en';
}
