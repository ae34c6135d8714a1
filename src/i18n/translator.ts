import { IntlMessageFormat } from 'intl-messageformat';
import { wallClock } from '../domain/zoned-time';
import { INTL_LOCALE, type Language } from './language';
import { MESSAGES, type MessageKey } from './messages';

export type MessageValue = string | number | Date | boolean;
export type MessageValues = Readonly<Record<string, MessageValue>>;

/**
 * Everything a person reads, in one language: catalogue texts and numbers, money and dates
 * formatted for it (`1.234,50 kr.`, `1. december 2026 kl. 08.00` in Danish).
 */
export interface Translator {
  readonly language: Language;
  /** The Intl locale of the language, e.g. `da-DK`. */
  readonly locale: string;
  /** The catalogue text of `key`, with its placeholders filled. A missing value throws. */
  t(key: MessageKey, values?: MessageValues): string;
  /**
   * A text declared as a key (an option's description, a role rule's words), translated. A text that
   * is no key is returned as it is; tests/unit/i18n-catalogue.test.ts holds every declaration to keys.
   */
  declared(key: string, values?: MessageValues): string;
  number(value: number, fractionDigits?: number): string;
  /** An amount in øre as kroner: `1.234,50 kr.` / `DKK 1,234.50`. */
  money(ore: number): string;
  /** "1. december 2026" on the time zone's wall clock. */
  date(at: Date, timeZone: string): string;
  /** "1. december 2026 kl. 08.00". */
  dateTime(at: Date, timeZone: string): string;
  /** Compact, relative to now: "13.05" today, "27. nov. 13.05" this year, with the year before. */
  when(at: Date, now: Date, timeZone: string, options?: { seconds?: boolean }): string;
  /** "2. dec. 2026": a day with its year, short. */
  day(at: Date, timeZone: string): string;
  /** A usage period (`2026-12`) by name: "december 2026" / "December 2026". */
  period(period: string): string;
  /** "a, b og c" / "a, b and c"; `or` for alternatives. */
  list(items: readonly string[], kind?: 'and' | 'or'): string;
}

/** The calendar day of an instant on a time zone's wall clock. */
function zoneDay(at: Date, timeZone: string): string {
  return new Date(wallClock(at.getTime(), timeZone)).toISOString().slice(0, 10);
}

const formats = new Map<string, IntlMessageFormat>();
const intlCache = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat | Intl.ListFormat>();

function cached<T extends Intl.DateTimeFormat | Intl.NumberFormat | Intl.ListFormat>(key: string, make: () => T): T {
  let found = intlCache.get(key) as T | undefined;
  if (!found) {
    found = make();
    intlCache.set(key, found);
  }
  return found;
}

export const isMessageKey = (key: string): key is MessageKey => Object.hasOwn(MESSAGES.en, key);

function createTranslator(language: Language): Translator {
  const locale = INTL_LOCALE[language];
  const dateFormat = (timeZone: string, options: Intl.DateTimeFormatOptions) =>
    cached(
      `${locale}|${timeZone}|${JSON.stringify(options)}`,
      () => new Intl.DateTimeFormat(locale, { timeZone, hourCycle: 'h23', ...options }),
    ) as Intl.DateTimeFormat;
  const t = (key: MessageKey, values?: MessageValues): string => {
    const cacheKey = `${language}|${key}`;
    let format = formats.get(cacheKey);
    if (!format) {
      format = new IntlMessageFormat(MESSAGES[language][key], locale, undefined, { ignoreTag: true });
      formats.set(cacheKey, format);
    }
    return String(format.format(values as Record<string, MessageValue> | undefined));
  };
  const time = (at: Date, timeZone: string, seconds: boolean) =>
    dateFormat(timeZone, { hour: '2-digit', minute: '2-digit', ...(seconds ? { second: '2-digit' } : {}) }).format(at);
  return {
    language,
    locale,
    t,
    declared: (key, values) => (isMessageKey(key) ? t(key, values) : key),
    number: (value, fractionDigits) =>
      (
        cached(
          `${locale}|n|${fractionDigits ?? ''}`,
          () =>
            new Intl.NumberFormat(
              locale,
              fractionDigits === undefined
                ? {}
                : { minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits },
            ),
        ) as Intl.NumberFormat
      ).format(value),
    money: (ore) =>
      (
        cached(
          `${locale}|dkk`,
          () => new Intl.NumberFormat(locale, { style: 'currency', currency: 'DKK' }),
        ) as Intl.NumberFormat
      ).format(ore / 100),
    date: (at, timeZone) => dateFormat(timeZone, { dateStyle: 'long' }).format(at),
    dateTime: (at, timeZone) => dateFormat(timeZone, { dateStyle: 'long', timeStyle: 'short' }).format(at),
    when(at, now, timeZone, { seconds = false } = {}) {
      const clock = time(at, timeZone, seconds);
      const [a, b] = [zoneDay(at, timeZone), zoneDay(now, timeZone)];
      if (a === b) return clock;
      const day = dateFormat(timeZone, {
        day: 'numeric',
        month: 'short',
        ...(a.slice(0, 4) === b.slice(0, 4) ? {} : { year: 'numeric' }),
      }).format(at);
      return `${day} ${clock}`;
    },
    day: (at, timeZone) => dateFormat(timeZone, { day: 'numeric', month: 'short', year: 'numeric' }).format(at),
    period(period) {
      const [year, month] = period.split('-').map(Number) as [number, number];
      // Without hourCycle: with it, ICU capitalises the Danish month ("December 2026").
      const format = cached(
        `${locale}|period`,
        () => new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' }),
      ) as Intl.DateTimeFormat;
      return format.format(new Date(Date.UTC(year, month - 1, 1)));
    },
    list: (items, kind = 'and') =>
      (
        cached(
          `${locale}|list|${kind}`,
          () => new Intl.ListFormat(locale, { type: kind === 'and' ? 'conjunction' : 'disjunction' }),
        ) as Intl.ListFormat
      ).format(items),
  };
}

const translators = new Map<Language, Translator>();

/** The translator of a language; one per language, shared. */
export function translator(language: Language): Translator {
  let found = translators.get(language);
  if (!found) {
    found = createTranslator(language);
    translators.set(language, found);
  }
  return found;
}
