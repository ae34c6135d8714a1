import { z } from 'zod';
import { UserError } from './errors';
import { isMessageKey, type Translator } from '../i18n';

/** The words of a command after its name: positional words and `--flag value` / `--flag` options. */
export interface Tokens {
  positional: string[];
  flags: Record<string, string | true>;
}

/** Splits command text into words; "double quotes" keep spaces together. */
export function tokenize(input: string): Tokens {
  // Phones and Slack's editor turn straight quotes into curly ones; both quote a value.
  const straight = input.replace(/[\u201c\u201d\u201e\u201f\u00ab\u00bb]/g, '"');
  const words = [...straight.matchAll(/"([^"]*)"|(\S+)/g)].map((match) => match[1] ?? match[2] ?? '');
  const tokens: Tokens = { positional: [], flags: {} };
  for (let i = 0; i < words.length; i += 1) {
    const word = words[i]!;
    if (word.startsWith('--') && word.length > 2) {
      const [name, inline] = word.slice(2).split('=', 2) as [string, string | undefined];
      const next = words[i + 1];
      if (inline !== undefined) tokens.flags[name] = inline;
      else if (next !== undefined && !next.startsWith('--')) {
        tokens.flags[name] = next;
        i += 1;
      } else tokens.flags[name] = true;
    } else tokens.positional.push(word);
  }
  return tokens;
}

/** zod's own messages in each language, for checks whose schema gives none of ours. */
const ZOD_LOCALES = { da: z.locales.da(), en: z.locales.en() } as const;

/**
 * Validates `{ _: words, ...flags }` however they arrived (typed text, a structured client's
 * options), so both get the same messages. A schema's message is a message key, translated here
 * with the values `command` and `n` (an argument's number); zod's defaults come in the language too.
 */
export function checkArgs<T>(t: Translator, schema: z.ZodType<T>, raw: Record<string, unknown>, usage: string): T {
  // An option a command does not know is a typo to point out, not something to ignore silently.
  const strict = schema instanceof z.ZodObject ? (schema.strict() as unknown as z.ZodType<T>) : schema;
  const parsed = strict.safeParse(raw, { error: ZOD_LOCALES[t.language].localeError });
  if (parsed.success) return parsed.data;
  const command = usage.split(' ')[1] ?? '';
  const problems = parsed.error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys')
      return t.t('common.args.unknownOption', { options: issue.keys.map((key) => `--${key}`).join(', ') });
    const [first, index] = issue.path;
    const where =
      first === '_'
        ? index === undefined
          ? t.t('common.args.arguments')
          : t.t('common.args.argument', { n: Number(index) + 1 })
        : `--${String(first)}`;
    const message = isMessageKey(issue.message)
      ? t.t(issue.message, { command, n: Number(index ?? 0) + 1 })
      : issue.message;
    return `${where}: ${message}`;
  });
  throw new UserError('bad_input', t.t('common.args.problems', { problems: problems.join('; '), usage }));
}
