export { DEFAULT_LANGUAGE, LANGUAGES, languageOfLocale, pickLanguage, type Language } from './language';
export { defineMessages, type Catalogue } from './define-messages';
export { AREAS, MESSAGES, type MessageKey } from './messages';
export { isMessageKey, translator, type MessageValues, type Translator } from './translator';
