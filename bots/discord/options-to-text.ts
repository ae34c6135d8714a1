import { ApplicationCommandOptionType } from 'discord-api-types/v10';
import { SUBCOMMANDS } from './command-definition';

/**
 * The options of an `/iex` subcommand as Discord delivers them: the `options` array of the
 * interaction's subcommand (`{ name, value }`, from the HTTP payload or discord.js), or a plain
 * object of name → value.
 */
export type OptionValues = ReadonlyArray<{ name: string; value?: unknown }> | Readonly<Record<string, unknown>>;

function valuesOf(options: OptionValues): Map<string, unknown> {
  const entries = Array.isArray(options)
    ? options.map(({ name, value }) => [name, value] as const)
    : Object.entries(options as Readonly<Record<string, unknown>>);
  return new Map(
    entries.filter(([, value]) => value !== undefined && value !== null && value !== '' && value !== false),
  );
}

/**
 * A word as the core's tokenizer reads it back: "double quotes" keep spaces together. Such a word
 * cannot hold a double quote itself, so one inside a value with spaces becomes a single quote.
 */
function word(value: string): string {
  return /\s/.test(value) ? `"${value.replace(/"/g, "'")}"` : value;
}

/**
 * The core's text for a subcommand and its options, e.g. `log failed --entity order --since 2h`.
 * A user becomes `<@id>` and a channel `<#id>`, as typed mentions arrive, so the core's mention
 * parsers read them. An option this code does not know (a registration older than the code) goes
 * as a flag, so the core says it does not know it rather than it being dropped unseen.
 */
export function optionsToText(subcommand: string, options: OptionValues = []): string {
  const spec = SUBCOMMANDS[subcommand];
  const values = valuesOf(options);
  const words = [subcommand];
  const flags: string[] = [];
  for (const { option, placement } of spec?.options ?? []) {
    const value = values.get(option.name);
    if (value === undefined) continue;
    const text =
      option.type === ApplicationCommandOptionType.User
        ? `<@${String(value)}>`
        : option.type === ApplicationCommandOptionType.Channel
          ? `<#${String(value)}>`
          : String(value);
    if (placement === 'word') words.push(word(text));
    else flags.push(value === true ? `--${option.name}` : `--${option.name} ${word(text)}`);
  }
  const known = new Set(spec?.options.map(({ option }) => option.name));
  for (const [name, value] of values) {
    if (!known.has(name)) flags.push(value === true ? `--${name}` : `--${name} ${word(String(value))}`);
  }
  return [...(spec?.complete ? spec.complete(words, values) : words), ...flags].join(' ');
}
