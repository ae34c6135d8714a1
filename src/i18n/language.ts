import { DEFAULT_LANGUAGE, LANGUAGES, type Language } from '../domain/tenant-spec';

export { DEFAULT_LANGUAGE, LANGUAGES, type Language };

/** The Intl locale each language formats numbers, money and dates with. */
export const INTL_LOCALE: Readonly<Record<Language, string>> = { da: 'da-DK', en: 'en-GB' };

/**
 * The language of a platform's locale tag (Discord's `locale`, Slack's user locale): `da`, `da-DK`
 * → da; `en-US`, `en-GB` → en. A language we have no catalogue for says nothing: the tenant's
 * language answers then, which a Danish shop's staff read more surely than a guess.
 */
export function languageOfLocale(locale: string | undefined): Language | undefined {
  const primary = locale?.trim().toLowerCase().split(/[-_]/)[0];
  return LANGUAGES.find((language) => language === primary);
}

/** The person's language where the platform says it, else the tenant's, else the product's default. */
export function pickLanguage(personLocale: string | undefined, tenantLanguage: string | undefined): Language {
  return languageOfLocale(personLocale) ?? languageOfLocale(tenantLanguage) ?? DEFAULT_LANGUAGE;
}
