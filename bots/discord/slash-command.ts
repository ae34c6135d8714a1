import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ChannelType,
  InteractionContextType,
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandSubcommandOption,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord-api-types/v10';
import { COMMANDS } from '../../src/commands/catalog';
import type { CommandDefinition } from '../../src/commands/define';
import type { AutocompleteKind, OptionType, WordOption } from '../../src/commands/options';
import { shorten } from '../../src/chat/text';
import { translator } from '../../src/i18n';

/**
 * `/iex` as Discord knows it, read from the commands' own declarations (src/commands/options.ts):
 * one subcommand per command, its words then its flags as typed options. What is Discord's alone
 * lives here: the JSON shape, its name and description limits, and how users and channels arrive.
 */

const DISCORD_NAME = /^[-_\p{Ll}\p{N}]{1,32}$/u;
const DESCRIPTION_MAX = 100;

const en = translator('en');
const da = translator('da');

/**
 * A declared text (a message key) as Discord shows it: English as the description, Danish as its
 * `da` localization, each within Discord's limit. Command and option names stay English words.
 */
function described(key: string): { description: string; description_localizations: { da: string } } {
  return {
    description: shorten(en.declared(key), DESCRIPTION_MAX),
    description_localizations: { da: shorten(da.declared(key), DESCRIPTION_MAX) },
  };
}

const OPTION_TYPES = {
  string: ApplicationCommandOptionType.String,
  integer: ApplicationCommandOptionType.Integer,
  boolean: ApplicationCommandOptionType.Boolean,
  user: ApplicationCommandOptionType.User,
  channel: ApplicationCommandOptionType.Channel,
} as const satisfies Record<OptionType, ApplicationCommandOptionType>;

type Declared = Omit<WordOption, 'name'> & { name: string };

/** The options Discord offers for a command: its words in order, then its flags (text-only ones left out). */
export function offeredOptions(command: CommandDefinition<unknown>): Declared[] {
  const flags = Object.entries(command.flags)
    .filter(([, option]) => !option.textOnly)
    .map(([name, { schema: _schema, textOnly: _textOnly, needs: _needs, ...option }]) => ({ name, ...option }));
  return [...command.words, ...flags];
}

function discordOption(option: Declared): APIApplicationCommandBasicOption {
  const { name, description, type, choices, required, autocomplete, min, max } = option;
  const base = {
    name,
    ...described(description),
    ...(required ? { required: true } : {}),
  };
  switch (type) {
    case 'string':
      // Discord takes either fixed choices or suggestions, never both.
      return autocomplete
        ? { type: OPTION_TYPES.string, ...base, autocomplete: true }
        : {
            type: OPTION_TYPES.string,
            ...base,
            ...(choices
              ? { choices: choices.map((choice) => ({ name: choice.name, value: String(choice.value) })) }
              : {}),
          };
    case 'integer':
      return {
        type: OPTION_TYPES.integer,
        ...base,
        ...(min !== undefined ? { min_value: min } : {}),
        ...(max !== undefined ? { max_value: max } : {}),
        ...(choices ? { choices: choices.map((choice) => ({ name: choice.name, value: Number(choice.value) })) } : {}),
      };
    case 'boolean':
      return { type: OPTION_TYPES.boolean, ...base };
    case 'user':
      return { type: OPTION_TYPES.user, ...base };
    case 'channel':
      // Where messages can be posted.
      return {
        type: OPTION_TYPES.channel,
        ...base,
        channel_types: [ChannelType.GuildText, ChannelType.GuildAnnouncement],
      };
  }
}

function subcommand(command: CommandDefinition<unknown>): APIApplicationCommandSubcommandOption {
  if (!DISCORD_NAME.test(command.name)) throw new Error(`/iex ${command.name} is not a Discord command name`);
  return {
    type: ApplicationCommandOptionType.Subcommand,
    name: command.name,
    ...described(command.summary),
    options: offeredOptions(command).map(discordOption),
  };
}

/** The JSON body that registers `/iex` (an array of one, with PUT, replaces what was registered). */
export function slashCommand(
  commands: readonly CommandDefinition<unknown>[],
): RESTPostAPIChatInputApplicationCommandsJSONBody {
  return {
    name: 'iex',
    type: ApplicationCommandType.ChatInput,
    ...described('help.iex'),
    // A server is the workspace a tenant is linked to; a DM has none.
    contexts: [InteractionContextType.Guild],
    options: commands.map(subcommand),
  };
}

/** What `npm run discord:register` registers: every command of the catalog. */
export const IEX_COMMAND = slashCommand(COMMANDS);

/** What the focused option of an autocomplete interaction names, or undefined when it is not autocompleted. */
export function autocompleteKind(
  commands: readonly CommandDefinition<unknown>[],
  subcommandName: string,
  optionName: string,
): AutocompleteKind | undefined {
  const command = commands.find((candidate) => candidate.name === subcommandName);
  if (!command) return undefined;
  return offeredOptions(command).find((option) => option.name === optionName)?.autocomplete;
}

/**
 * The values of a subcommand's options as the core takes them: a user as `<@id>` and a channel as
 * `<#id>`, as typed mentions arrive, so the commands' mention parsers read them.
 */
export function optionValues(
  command: CommandDefinition<unknown> | undefined,
  options: ReadonlyArray<{ name: string; value?: unknown }>,
): Record<string, unknown> {
  const types = new Map(command ? offeredOptions(command).map((option) => [option.name, option.type]) : []);
  return Object.fromEntries(
    options.map(({ name, value }) => {
      const type = types.get(name);
      if (value === undefined || value === null) return [name, value];
      return [name, type === 'user' ? `<@${String(value)}>` : type === 'channel' ? `<#${String(value)}>` : value];
    }),
  );
}
