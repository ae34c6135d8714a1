/**
 * One area's message catalogue: the English texts and the Danish ones, key by key. Texts are ICU
 * MessageFormat (intl-messageformat): `{count, plural, one {# ordre fejlede} other {# ordrer fejlede}}`,
 * `{name}`; a literal brace is written '{'. Tags are not parsed, so chat markup such as
 * `<https://…|label>` and `<@U123>` stays text.
 *
 * The Danish side is typed from the English one, so a key missing in either fails the type check.
 */
export interface Catalogue<K extends string> {
  readonly en: Readonly<Record<K, string>>;
  readonly da: Readonly<Record<K, string>>;
}

export function defineMessages<const E extends Record<string, string>>(
  en: E,
  da: { readonly [K in keyof E]: string },
): Catalogue<keyof E & string> {
  return { en, da };
}
