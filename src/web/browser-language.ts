import type { Request } from 'express';
import { DEFAULT_LANGUAGE, pickLanguage, translator, type Translator } from '../i18n';

/**
 * The language the browser asks for (Accept-Language), for what a page says before it knows
 * whose it is (a refused link, an integration that is gone); the product's default otherwise.
 */
export function browserTranslator(req: Request): Translator {
  return translator(pickLanguage(req.acceptsLanguages('da', 'en') || undefined, DEFAULT_LANGUAGE));
}
