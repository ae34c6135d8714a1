/**
 * Which settings of a system chat may show and change. Secrets live in the system's `secrets`,
 * which chat never reads; but a setting whose name looks secret is kept out of chat too, because
 * a chat history is not a safe place for a token and an older system may keep one among its
 * settings.
 */
const SECRET_NAME = /secret|token|passw|api[-_]?key|private|credential|signature|hmac/i;

export function looksSecret(key: string): boolean {
  return SECRET_NAME.test(key);
}

/**
 * A value typed in chat, read as the type the setting has now: `19` stays a number for a numeric
 * setting and `true` a boolean, so an engine reading the setting is not surprised by a string.
 * Undefined when the text does not fit that type.
 */
export function readSettingValue(text: string, current: unknown): string | number | boolean | undefined {
  if (typeof current === 'number') {
    const value = Number(text);
    return text.trim() !== '' && Number.isFinite(value) ? value : undefined;
  }
  if (typeof current === 'boolean') {
    const lower = text.toLowerCase();
    return ['true', 'yes', 'on'].includes(lower) ? true : ['false', 'no', 'off'].includes(lower) ? false : undefined;
  }
  return text;
}
