import { translator } from '../../src/i18n';
import {
  ApplicationCommandOptionType,
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandSubcommandOption,
} from 'discord-api-types/v10';
import { autocompleteKind, IEX_COMMAND, offeredOptions, optionValues } from '../../bots/discord/slash-command';
import { checkArgs } from '../../src/commands/args';
import { COMMANDS } from '../../src/commands/catalog';
import type { CommandDefinition } from '../../src/commands/define';
import { parseMention } from '../../src/commands/mentions';
import { argsFromValues } from '../../src/commands/option-values';
import { parseRecipient } from '../../src/domain/notifications';

const NAME = /^[-_\p{Ll}\p{N}]{1,32}$/u;
const subcommands = (IEX_COMMAND.options ?? []) as APIApplicationCommandSubcommandOption[];
const optionsOf = (name: string) =>
  (subcommands.find((subcommand) => subcommand.name === name)?.options ?? []) as APIApplicationCommandBasicOption[];

/**
 * Discord counts the names, descriptions and values of a command, its options and their choices
 * together, and refuses a command over 8000 characters.
 */
function countedCharacters(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((total: number, item) => total + countedCharacters(item), 0);
  if (value === null || typeof value !== 'object') return 0;
  return Object.entries(value).reduce((total, [key, inner]) => {
    if (key === 'name' || key === 'description' || key === 'value') return total + String(inner).length;
    return total + countedCharacters(inner);
  }, 0);
}

describe('/iex on Discord: the command definition', () => {
  it('has one subcommand per core command, in the order of /iex help, and nothing else', () => {
    expect(subcommands.map((subcommand) => subcommand.name)).toEqual(COMMANDS.map((command) => command.name));
    expect(subcommands.every((subcommand) => subcommand.type === ApplicationCommandOptionType.Subcommand)).toBe(true);
  });

  it('stays within Discord limits: names, descriptions, option and choice counts, 8000 characters', () => {
    expect(IEX_COMMAND.name).toMatch(NAME);
    expect(IEX_COMMAND.description.length).toBeLessThanOrEqual(100);
    expect(subcommands.length).toBeLessThanOrEqual(25);
    for (const subcommand of subcommands) {
      expect(subcommand.name).toMatch(NAME);
      expect(subcommand.description.length).toBeGreaterThan(0);
      expect(subcommand.description.length).toBeLessThanOrEqual(100);
      const options = optionsOf(subcommand.name);
      expect(options.length).toBeLessThanOrEqual(25);
      expect(new Set(options.map((option) => option.name)).size).toBe(options.length);
      // Required options come first, or Discord refuses the command.
      const firstOptional = options.findIndex((option) => !option.required);
      if (firstOptional >= 0) expect(options.slice(firstOptional).some((option) => option.required)).toBe(false);
      for (const option of options) {
        expect(option.name).toMatch(NAME);
        expect(option.description.length).toBeGreaterThan(0);
        expect(option.description.length).toBeLessThanOrEqual(100);
        const choices = 'choices' in option ? (option.choices ?? []) : [];
        expect(choices.length).toBeLessThanOrEqual(25);
        for (const choice of choices) {
          expect(choice.name.length).toBeLessThanOrEqual(100);
          expect(String(choice.value).length).toBeLessThanOrEqual(100);
        }
      }
    }
    expect(countedCharacters(IEX_COMMAND)).toBeLessThanOrEqual(8000);
  });

  it('autocompletes systems, connections and transfers, and says which kind each option names', () => {
    const kind = (subcommand: string, option: string) => autocompleteKind(COMMANDS, subcommand, option);
    expect(kind('systems', 'system')).toBe('system');
    expect([kind('log', 'transfer'), kind('log', 'system'), kind('log', 'connection')]).toEqual([
      'transfer',
      'system',
      'connection',
    ]);
    expect([kind('retry', 'transfer'), kind('retry', 'system'), kind('retry', 'connection')]).toEqual([
      'transfer',
      'system',
      'connection',
    ]);
    const autocompleted = subcommands.flatMap((subcommand) =>
      optionsOf(subcommand.name)
        .filter((option) => 'autocomplete' in option && option.autocomplete)
        .map((option) => `${subcommand.name}.${option.name}`),
    );
    expect(autocompleted.every((key) => kind(...(key.split('.') as [string, string])))).toBe(true);
    expect(kind('log', 'since')).toBeUndefined();
    expect(kind('nope', 'system')).toBeUndefined();
  });

  it('offers the choices of the core: statuses, entities, triggers, packs, commands', () => {
    const choiceValues = (subcommand: string, option: string) => {
      const found = optionsOf(subcommand).find((candidate) => candidate.name === option);
      return found && 'choices' in found ? found.choices?.map((choice) => choice.value) : undefined;
    };
    expect(choiceValues('log', 'status')).toEqual(['failed', 'held', 'succeeded', 'started']);
    expect(choiceValues('log', 'entity')).toEqual(['order', 'product', 'stock']);
    expect(choiceValues('retry', 'status')).toEqual(['failed', 'held']);
    expect(choiceValues('topup', 'pack')).toEqual([100, 500, 1000]);
    expect(choiceValues('notify', 'trigger')).toContain('transfer.failed');
    expect(choiceValues('settings', 'role')).toEqual(['admin', 'viewer']);
    expect(choiceValues('help', 'command')).toEqual(COMMANDS.map((command) => command.name));
  });
});

describe("/iex on Discord: options straight into the command's arguments", () => {
  const user = '123456789012345678';
  const channel = '223456789012345678';
  const commandNamed = (name: string) => COMMANDS.find((candidate) => candidate.name === name)!;
  /** What the core hands the command: Discord's options as values, then checked by the command's schema. */
  const argsOf = (name: string, options: Record<string, unknown>) => {
    const command = commandNamed(name);
    const values = optionValues(
      command,
      Object.entries(options).map(([option, value]) => ({ name: option, value })),
    );
    return checkArgs(translator('en'), command.args, argsFromValues(command, values), command.usage);
  };
  // [subcommand, options, the arguments its run gets]
  const examples: Array<[string, Record<string, unknown>, Record<string, unknown>]> = [
    ['status', {}, { _: [] }],
    ['log', { status: 'failed', entity: 'order', since: '2h' }, { _: ['failed'], entity: 'order', since: '2h' }],
    ['log', { transfer: 'tr-1042', page: 2 }, { _: ['tr-1042'], page: 2 }],
    ['log', { system: 'My Shop', until: '2026-11-27 13:05' }, { _: [], system: 'My Shop', until: '2026-11-27 13:05' }],
    [
      'retry',
      { status: 'failed', since: '2h', connection: 'orders', code: 'economic.vat_zone_unknown' },
      { _: ['failed'], since: '2h', connection: 'orders', code: 'economic.vat_zone_unknown' },
    ],
    ['retry', { transfer: '#1001' }, { _: ['#1001'] }],
    ['systems', { system: 'e-conomic', set: 'vatZone=domestic' }, { _: ['e-conomic'], set: 'vatZone=domestic' }],
    ['jobs', { page: 3 }, { _: [], page: 3 }],
    ['topup', { pack: 500 }, { _: ['500'] }],
    [
      'subscription',
      { action: 'autotopup', state: 'on', pack: 500, max: 3 },
      { _: ['autotopup', 'on'], pack: '500', max: '3' },
    ],
    ['settings', { action: 'invite', user, role: 'admin' }, { _: ['invite', `<@${user}>`, 'admin'] }],
    [
      'notify',
      { action: 'add', trigger: 'transfer.failed', channel },
      { _: ['add', 'transfer.failed', `<#${channel}>`] },
    ],
    ['notify', { action: 'remove', trigger: 'digest' }, { _: ['remove', 'digest', 'here'] }],
    [
      'notify',
      { action: 'add', trigger: 'quota.threshold', email: 'finance@shop.dk' },
      { _: ['add', 'quota.threshold', 'finance@shop.dk'] },
    ],
    ['notify', {}, { _: [] }],
    ['link', { code: 'ABCD-1234', channel: true }, { _: ['ABCD-1234'], channel: true }],
    ['link', { code: 'ABCD-1234', channel: false }, { _: ['ABCD-1234'] }],
    ['help', { command: 'log' }, { _: ['log'] }],
  ];

  it.each(examples)('%s %j → %j', (subcommand, options, expected) => {
    expect(argsOf(subcommand, options)).toEqual(expected);
  });

  it('offers no option the core does not take: each one alone passes its command’s schema', () => {
    // What a command needs besides the option under test (retry a status, link a code).
    const needs: Record<string, Record<string, unknown>> = { retry: { status: 'failed' }, link: { code: 'ABCD-1234' } };
    const sample = (option: APIApplicationCommandBasicOption): unknown => {
      const choices = 'choices' in option ? option.choices : undefined;
      if (choices?.length) return choices[0]!.value;
      if (option.type === ApplicationCommandOptionType.Integer) return 1;
      if (option.type === ApplicationCommandOptionType.Boolean) return true;
      if (option.type === ApplicationCommandOptionType.User || option.type === ApplicationCommandOptionType.Channel)
        return user;
      if (option.name === 'period') return '2026-11';
      return option.name === 'code' && option.required ? 'ABCD-1234' : 'x';
    };
    for (const command of COMMANDS as readonly CommandDefinition<unknown>[]) {
      const flags = new Set(Object.keys(command.flags));
      for (const option of optionsOf(command.name)) {
        const base = flags.has(option.name) ? (needs[command.name] ?? {}) : {};
        expect(() => argsOf(command.name, { ...base, [option.name]: sample(option) })).not.toThrow();
      }
    }
  });

  it('writes users and channels as mentions the core parses', () => {
    const settings = argsOf('settings', { action: 'remove', user }) as { _: string[] };
    expect(parseMention(settings._[1]!, 'discord')).toBe(user);
    const notify = argsOf('notify', { action: 'add', trigger: 'digest', channel }) as { _: string[] };
    expect(parseRecipient(notify._[2]!, { platform: 'discord', channelId: channel })).toEqual({
      kind: 'discord',
      target: channel,
    });
  });

  it('keeps a value with spaces and quotes as it was given', () => {
    expect(argsOf('log', { ref: 'A "big" order' })).toEqual({ _: [], ref: 'A "big" order' });
  });

  it('points out an option the command does not know, as the text parser does', () => {
    expect(() => argsOf('status', { verbose: true, since: '2h' })).toThrow(
      'unknown option --verbose, --since. Usage: /iex status',
    );
  });

  it('offers text-only flags to Slack and the console, not Discord', () => {
    // `--status` is the same as the status word, which Discord offers.
    expect(offeredOptions(commandNamed('log')).filter((option) => option.name === 'status')).toHaveLength(1);
    expect(optionsOf('settings').map((option) => option.name)).toEqual(['action', 'user', 'role', 'language']);
    expect(Object.keys(commandNamed('settings').flags)).toEqual(['platform']);
  });
});
