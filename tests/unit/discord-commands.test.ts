import {
  ApplicationCommandOptionType,
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandSubcommandOption,
} from 'discord-api-types/v10';
import { AUTOCOMPLETE, autocompleteKind, IEX_COMMAND, SUBCOMMANDS } from '../../bots/discord/command-definition';
import { optionsToText } from '../../bots/discord/options-to-text';
import { parseArgs, tokenize } from '../../src/commands/args';
import { COMMANDS } from '../../src/commands/catalog';
import { parseMention } from '../../src/commands/mentions';
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
    expect(Object.keys(SUBCOMMANDS).sort()).toEqual(COMMANDS.map((command) => command.name).sort());
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
    expect(AUTOCOMPLETE).toMatchObject({
      systems: { system: 'system' },
      log: { transfer: 'transfer', system: 'system', connection: 'connection' },
      retry: { transfer: 'transfer', system: 'system', connection: 'connection' },
    });
    for (const [name, kinds] of Object.entries(AUTOCOMPLETE)) {
      for (const optionName of Object.keys(kinds)) {
        const option = optionsOf(name).find((candidate) => candidate.name === optionName);
        expect(option).toMatchObject({ type: ApplicationCommandOptionType.String, autocomplete: true });
      }
    }
    const autocompleted = subcommands.flatMap((subcommand) =>
      optionsOf(subcommand.name)
        .filter((option) => 'autocomplete' in option && option.autocomplete)
        .map((option) => `${subcommand.name}.${option.name}`),
    );
    expect(autocompleted.every((key) => autocompleteKind(...(key.split('.') as [string, string])))).toBe(true);
    expect(autocompleteKind('log', 'since')).toBeUndefined();
    expect(autocompleteKind('nope', 'system')).toBeUndefined();
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

describe('/iex on Discord: options as the core text', () => {
  const user = '123456789012345678';
  const channel = '223456789012345678';
  // [subcommand, options, text, tokens the core reads back]
  const examples: Array<[string, Record<string, unknown>, string, ReturnType<typeof tokenize>]> = [
    ['status', {}, 'status', { positional: ['status'], flags: {} }],
    [
      'log',
      { status: 'failed', entity: 'order', since: '2h' },
      'log failed --entity order --since 2h',
      { positional: ['log', 'failed'], flags: { entity: 'order', since: '2h' } },
    ],
    [
      'log',
      { transfer: 'tr-1042', page: 2 },
      'log tr-1042 --page 2',
      { positional: ['log', 'tr-1042'], flags: { page: '2' } },
    ],
    [
      'log',
      { system: 'My Shop', until: '2026-11-27 13:05' },
      'log --system "My Shop" --until "2026-11-27 13:05"',
      { positional: ['log'], flags: { system: 'My Shop', until: '2026-11-27 13:05' } },
    ],
    [
      'retry',
      { status: 'failed', since: '2h', connection: 'orders', code: 'economic.vat_zone_unknown' },
      'retry failed --since 2h --connection orders --code economic.vat_zone_unknown',
      {
        positional: ['retry', 'failed'],
        flags: { since: '2h', connection: 'orders', code: 'economic.vat_zone_unknown' },
      },
    ],
    ['retry', { transfer: '#1001' }, 'retry #1001', { positional: ['retry', '#1001'], flags: {} }],
    [
      'systems',
      { system: 'e-conomic', set: 'vatZone=domestic' },
      'systems e-conomic --set vatZone=domestic',
      { positional: ['systems', 'e-conomic'], flags: { set: 'vatZone=domestic' } },
    ],
    ['jobs', { page: 3 }, 'jobs --page 3', { positional: ['jobs'], flags: { page: '3' } }],
    ['topup', { pack: 500 }, 'topup 500', { positional: ['topup', '500'], flags: {} }],
    [
      'settings',
      { action: 'invite', user, role: 'admin' },
      `settings invite <@${user}> admin`,
      { positional: ['settings', 'invite', `<@${user}>`, 'admin'], flags: {} },
    ],
    [
      'notify',
      { action: 'add', trigger: 'transfer.failed', channel },
      `notify add transfer.failed <#${channel}>`,
      { positional: ['notify', 'add', 'transfer.failed', `<#${channel}>`], flags: {} },
    ],
    [
      'notify',
      { action: 'remove', trigger: 'digest' },
      'notify remove digest here',
      { positional: ['notify', 'remove', 'digest', 'here'], flags: {} },
    ],
    [
      'notify',
      { action: 'add', trigger: 'quota.threshold', email: 'finance@shop.dk' },
      'notify add quota.threshold finance@shop.dk',
      { positional: ['notify', 'add', 'quota.threshold', 'finance@shop.dk'], flags: {} },
    ],
    ['notify', {}, 'notify', { positional: ['notify'], flags: {} }],
    [
      'link',
      { code: 'ABCD-1234', channel: true },
      'link ABCD-1234 --channel',
      { positional: ['link', 'ABCD-1234'], flags: { channel: true } },
    ],
    ['link', { code: 'ABCD-1234', channel: false }, 'link ABCD-1234', { positional: ['link', 'ABCD-1234'], flags: {} }],
    ['help', { command: 'log' }, 'help log', { positional: ['help', 'log'], flags: {} }],
  ];

  it.each(examples)(
    '%s %j → %s, which the core reads back and its command accepts',
    (subcommand, options, expected, tokens) => {
      const text = optionsToText(subcommand, options);
      expect(text).toBe(expected);
      expect(tokenize(text)).toEqual(tokens);
      const command = COMMANDS.find((candidate) => candidate.name === subcommand)!;
      const { positional, flags } = tokenize(text);
      expect(() => parseArgs(command.args, { positional: positional.slice(1), flags }, command.usage)).not.toThrow();
    },
  );

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
      return option.name === 'code' && option.required ? 'ABCD-1234' : 'x';
    };
    for (const command of COMMANDS) {
      for (const { option, placement } of SUBCOMMANDS[command.name]!.options) {
        const base = placement === 'flag' ? (needs[command.name] ?? {}) : {};
        const { positional, flags } = tokenize(optionsToText(command.name, { ...base, [option.name]: sample(option) }));
        expect(() => parseArgs(command.args, { positional: positional.slice(1), flags }, command.usage)).not.toThrow();
      }
    }
  });

  it('takes the options array of an interaction as well as a plain object', () => {
    expect(
      optionsToText('log', [
        { name: 'status', value: 'held' },
        { name: 'entity', value: 'product' },
      ]),
    ).toBe('log held --entity product');
  });

  it('writes users and channels as mentions the core parses', () => {
    const settings = tokenize(optionsToText('settings', { action: 'remove', user }));
    expect(parseMention(settings.positional[2]!, 'discord')).toBe(user);
    const notify = tokenize(optionsToText('notify', { action: 'add', trigger: 'digest', channel }));
    expect(parseRecipient(notify.positional[3]!, { platform: 'discord', channelId: channel })).toEqual({
      kind: 'discord',
      target: channel,
    });
  });

  it('keeps a value with spaces and quotes one word', () => {
    const text = optionsToText('log', { ref: 'A "big" order' });
    expect(tokenize(text).flags).toEqual({ ref: "A 'big' order" });
  });

  it('passes an option it does not know as a flag, for the core to point out', () => {
    expect(optionsToText('status', { verbose: true, since: '2h' })).toBe('status --verbose --since 2h');
  });
});
