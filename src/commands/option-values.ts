import type { CommandDefinition } from './define';

const isGiven = (value: unknown): boolean => value !== undefined && value !== null && value !== '' && value !== false;

/**
 * A structured client's options (Discord's slash command) as the command's raw arguments: the
 * declared words in their order as `_`, every other option as a flag. Values arrive as the text
 * parser gives them — a word or a flag's text, `true` for a bare flag — so one schema checks both
 * ways in with the same messages. An option the command does not declare stays a flag, for the
 * schema to point out. Users and channels come as the mentions the command parses (the platform
 * writes them).
 */
export function argsFromValues(
  command: Pick<CommandDefinition, 'words' | 'complete'>,
  values: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const given = new Map(Object.entries(values).filter(([, value]) => isGiven(value)));
  const present: ReadonlySet<string> = new Set(given.keys());
  const words: string[] = [];
  for (const option of command.words) {
    const value = given.get(option.name);
    if (value === undefined) continue;
    words.push(String(value));
    given.delete(option.name);
  }
  const flags = Object.fromEntries([...given].map(([name, value]) => [name, value === true ? true : String(value)]));
  return { _: command.complete ? command.complete(words, present) : words, ...flags };
}
