import { STATUS_WORDS } from '../../src/chat/log-link';
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
import { ENTITIES } from '../../src/domain/events';
import { NOTIFICATION_TRIGGERS } from '../../src/domain/notifications';
import { formatOrders, MAX_AUTO_TOP_UPS_PER_PERIOD, TOP_UP_PACKS } from '../../src/domain/plans';
import { shorten } from '../../src/chat/text';

/**
 * `/iex` for Discord: one subcommand per command of the core, with typed options that mirror the
 * words and `--flags` its text takes (see each command's `usage`). The core still parses text:
 * `optionsToText` (options-to-text.ts) writes the options back as that text, so Discord and Slack
 * run exactly the same parser. This definition is what `npm run discord:register` registers.
 */

/** What an autocompleted option names; the adapter answers with that kind's names or ids. */
export type AutocompleteKind = 'system' | 'connection' | 'transfer';

/**
 * One option of a subcommand and where its value goes in the core's text: a word in order
 * (`log failed`), or a flag (`--since 2h`; a true boolean is the bare `--channel`).
 */
export interface OptionSpec {
  option: APIApplicationCommandBasicOption;
  placement: 'word' | 'flag';
  autocomplete?: AutocompleteKind;
}

/** What one subcommand takes. */
export interface SubcommandSpec {
  options: readonly OptionSpec[];
  /** Words the core needs that Discord cannot express as an option's default. */
  complete?: (words: string[], values: ReadonlyMap<string, unknown>) => string[];
}

const DISCORD_NAME = /^[-_\p{Ll}\p{N}]{1,32}$/u;
const DESCRIPTION_MAX = 100;

type Choices = ReadonlyArray<string | { name: string; value: string }>;

function text(
  name: string,
  description: string,
  placement: OptionSpec['placement'],
  options: { choices?: Choices; autocomplete?: AutocompleteKind; required?: boolean } = {},
): OptionSpec {
  const base = {
    type: ApplicationCommandOptionType.String as const,
    name,
    description,
    ...(options.required ? { required: true } : {}),
  };
  const choices = options.choices?.map((choice) =>
    typeof choice === 'string' ? { name: choice, value: choice } : choice,
  );
  const option: APIApplicationCommandBasicOption = options.autocomplete
    ? { ...base, autocomplete: true }
    : { ...base, ...(choices ? { choices } : {}) };
  return { option, placement, ...(options.autocomplete ? { autocomplete: options.autocomplete } : {}) };
}

const page = (what: string): OptionSpec => ({
  option: { type: ApplicationCommandOptionType.Integer, name: 'page', description: `Page of ${what}`, min_value: 1 },
  placement: 'flag',
});

/** The filters `log` and `retry` share (the core's `filterFlags`). */
const FILTERS = {
  entity: text('entity', 'Only orders, products or stock', 'flag', { choices: ENTITIES }),
  system: text('system', 'Only transfers from or to this system', 'flag', { autocomplete: 'system' }),
  connection: text('connection', 'Only this connection', 'flag', { autocomplete: 'connection' }),
  ref: text('ref', 'An order number, e.g. 1001', 'flag'),
  code: text('code', 'An error code, e.g. economic.vat_zone_unknown', 'flag'),
  since: text('since', 'From this time: 30m, 2h, 3d, 13:05 or 2026-11-27', 'flag'),
  until: text('until', 'Until this time: 30m, 2h, 3d, 13:05 or 2026-11-27', 'flag'),
};

/**
 * Options per core command. Every command of the core must have an entry (a test checks), so a new
 * command cannot silently miss from Discord.
 */
export const SUBCOMMANDS: Readonly<Record<string, SubcommandSpec>> = {
  status: { options: [] },
  systems: {
    options: [
      text('system', 'One system, by name or id (leave out for all)', 'word', { autocomplete: 'system' }),
      text('set', "Change one of the system's settings (admins): key=value, e.g. vatZone=domestic", 'flag'),
      page('the list of systems'),
    ],
  },
  jobs: {
    options: [
      text('action', 'Run a job now, or change its schedule (admins); leave out to list the jobs', 'word', {
        choices: ['run', 'schedule'],
      }),
      text('connection', 'The scheduled connection', 'word', { autocomplete: 'connection' }),
      text('cron', 'schedule: five cron fields, e.g. 0 6 * * 1-5 (06:00 on weekdays)', 'word'),
      text('timezone', "schedule: a time zone, e.g. Europe/Copenhagen (default: the integration's)", 'flag'),
      page('the scheduled jobs'),
    ],
  },
  connections: { options: [] },
  subscription: {
    options: [
      text('action', 'Automatic top-up or billing details (admins), one invoice, or all invoices', 'word', {
        choices: ['autotopup', 'billing', 'invoice', 'invoices'],
      }),
      text('state', 'autotopup: on or off', 'word', { choices: ['on', 'off'] }),
      text('number', 'invoice: the invoice number, e.g. IEX-20261120-3AB7D8', 'word'),
      {
        option: {
          type: ApplicationCommandOptionType.Integer,
          name: 'pack',
          description: 'autotopup: the pack it buys',
          choices: TOP_UP_PACKS.map((pack) => ({ name: formatOrders(pack.orders), value: pack.orders })),
        },
        placement: 'flag',
      },
      {
        option: {
          type: ApplicationCommandOptionType.Integer,
          name: 'max',
          description: 'autotopup: at most this many packs a period',
          min_value: 0,
          max_value: MAX_AUTO_TOP_UPS_PER_PERIOD,
        },
        placement: 'flag',
      },
      text('company', 'billing: the company invoices are made out to', 'flag'),
      text('vat', 'billing: VAT number, e.g. DK12345678', 'flag'),
      text('email', 'billing: the e-mail address invoices go to', 'flag'),
      text('address', 'billing: the postal address', 'flag'),
    ],
  },
  topup: {
    options: [
      {
        option: {
          type: ApplicationCommandOptionType.Integer,
          name: 'pack',
          description: 'The pack to buy; leave out to see the packs and their prices',
          choices: TOP_UP_PACKS.map((pack) => ({ name: formatOrders(pack.orders), value: pack.orders })),
        },
        placement: 'word',
      },
    ],
  },
  settings: {
    options: [
      text('action', 'Invite a member or remove one (the owner)', 'word', { choices: ['invite', 'remove'] }),
      {
        option: {
          type: ApplicationCommandOptionType.User,
          name: 'user',
          description: 'The member to invite or remove',
        },
        placement: 'word',
      },
      text('role', 'The role of an invited member', 'word', { choices: ['admin', 'viewer'] }),
    ],
  },
  log: {
    options: [
      text('status', 'Only transfers with this status', 'word', { choices: STATUS_WORDS }),
      text('transfer', 'One transfer through all its stages: its id or order number', 'word', {
        autocomplete: 'transfer',
      }),
      FILTERS.entity,
      FILTERS.system,
      FILTERS.connection,
      FILTERS.ref,
      FILTERS.code,
      FILTERS.since,
      FILTERS.until,
      page('the log'),
    ],
  },
  retry: {
    options: [
      text('transfer', 'Retry one transfer: its id or order number', 'word', { autocomplete: 'transfer' }),
      text('status', 'Or retry all failed or held transfers that match the filters (asks first)', 'word', {
        choices: ['failed', 'held'],
      }),
      FILTERS.since,
      FILTERS.until,
      FILTERS.connection,
      FILTERS.system,
      FILTERS.entity,
      FILTERS.code,
    ],
  },
  notify: {
    options: [
      text('action', 'Add or remove a recipient (admins); leave out to list them', 'word', {
        choices: ['add', 'remove'],
      }),
      text('trigger', 'What the recipient gets', 'word', { choices: NOTIFICATION_TRIGGERS }),
      {
        option: {
          type: ApplicationCommandOptionType.Channel,
          name: 'channel',
          description: 'The channel (leave out, and no email, for this channel)',
          channel_types: [ChannelType.GuildText, ChannelType.GuildAnnouncement],
        },
        placement: 'word',
      },
      text('email', 'Or an e-mail address', 'word'),
    ],
    // The core's `here` is this channel: what Discord users mean when they name no recipient.
    complete: (words, values) =>
      values.has('action') && !values.has('channel') && !values.has('email') ? [...words, 'here'] : words,
  },
  link: {
    options: [
      text('code', 'The one-time code your IEX operator gave you', 'word', { required: true }),
      {
        option: {
          type: ApplicationCommandOptionType.Boolean,
          name: 'channel',
          description: 'Link only this channel, not the whole server',
        },
        placement: 'flag',
      },
    ],
  },
  help: {
    options: [text('command', 'Explain one command', 'word', { choices: COMMANDS.map((command) => command.name) })],
  },
};

function subcommand(command: (typeof COMMANDS)[number]): APIApplicationCommandSubcommandOption {
  const spec = SUBCOMMANDS[command.name];
  if (!spec) throw new Error(`/iex ${command.name} has no Discord options in SUBCOMMANDS`);
  if (!DISCORD_NAME.test(command.name)) throw new Error(`/iex ${command.name} is not a Discord command name`);
  return {
    type: ApplicationCommandOptionType.Subcommand,
    name: command.name,
    description: shorten(command.summary, DESCRIPTION_MAX),
    options: spec.options.map(({ option }) => option),
  };
}

/** The JSON body that registers `/iex` (an array of one, with PUT, replaces what was registered). */
export const IEX_COMMAND: RESTPostAPIChatInputApplicationCommandsJSONBody = {
  name: 'iex',
  type: ApplicationCommandType.ChatInput,
  description: 'Your IEX integration: status, log, retries, connections, billing and settings',
  // A server is the workspace a tenant is linked to; a DM has none.
  contexts: [InteractionContextType.Guild],
  options: COMMANDS.map(subcommand),
};

/** Per subcommand, its autocompleted options and what each names, e.g. `AUTOCOMPLETE.log.system`. */
export const AUTOCOMPLETE: Readonly<Record<string, Readonly<Record<string, AutocompleteKind>>>> = Object.fromEntries(
  Object.entries(SUBCOMMANDS).map(([name, spec]) => [
    name,
    Object.fromEntries(
      spec.options.flatMap((entry) => (entry.autocomplete ? [[entry.option.name, entry.autocomplete]] : [])),
    ),
  ]),
);

/** What the focused option of an autocomplete interaction names, or undefined when it is not autocompleted. */
export function autocompleteKind(subcommandName: string, optionName: string): AutocompleteKind | undefined {
  return AUTOCOMPLETE[subcommandName]?.[optionName];
}
