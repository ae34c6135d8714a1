import { z } from 'zod';
import { defineCommand, type CommandDefinition } from '../define';
import { word } from '../options';
import { context, fields, header, reply, text } from '../../chat/reply';
import type { Role } from '../../domain/closed-lists';
import type { RoleRule } from '../options';
import type { Translator } from '../../i18n';

const WHO = { viewer: 'help.who.viewer', admin: 'help.who.admin', owner: 'help.who.owner' } as const satisfies Record<
  Role,
  string
>;

/** "everyone; `run`, `schedule`: admins and the owner", from the command's and its parts' declared roles. */
export function whoMay(t: Translator, command: CommandDefinition<unknown>): string {
  const parts: Array<[string, RoleRule]> = [
    ...Object.entries(command.verbs).map(([verb, rule]): [string, RoleRule] => [`\`${verb}\``, rule]),
    ...Object.entries(command.flags).flatMap(([name, option]): Array<[string, RoleRule]> =>
      option.needs ? [[`\`--${name}\``, option.needs]] : [],
    ),
  ];
  const byRole = new Map<Role, string[]>();
  for (const [part, rule] of parts) byRole.set(rule.role, [...(byRole.get(rule.role) ?? []), part]);
  return [t.t(WHO[command.role]), ...[...byRole].map(([role, names]) => `${names.join(', ')}: ${t.t(WHO[role])}`)].join(
    '; ',
  );
}

/** Each declared word and flag with what it does and the values it takes. */
export function optionLines(t: Translator, command: CommandDefinition<unknown>): string {
  const values = (choices: readonly { name: string; value: string | number }[] | undefined) =>
    choices?.length ? ` (${choices.map((choice) => String(choice.value)).join(', ')})` : '';
  const lines = [
    ...command.words.map(
      (option) => `• \`${option.name.toUpperCase()}\`${values(option.choices)} — ${t.declared(option.description)}`,
    ),
    ...Object.entries(command.flags).map(
      ([name, option]) =>
        `• \`--${name}${option.type === 'boolean' ? '' : option.type === 'integer' ? ' N' : ' VALUE'}\`${values(option.choices)} — ${t.declared(option.description)}`,
    ),
  ];
  return lines.length ? `${t.t('help.options')}\n${lines.join('\n')}` : '';
}

/** `/iex help [command]`: every command with one line, or one command in full. */
export function helpCommand(catalog: () => readonly CommandDefinition<unknown>[]) {
  return defineCommand({
    name: 'help',
    summary: 'help.summary',
    usage: '/iex help [command]',
    role: 'viewer',
    unlinked: true,
    words: [
      {
        ...word.text('command', 'help.word.command'),
        // The catalog is complete only once every command is defined, this one included.
        get choices() {
          return catalog().map((command) => ({ name: command.name, value: command.name }));
        },
      },
    ],
    positional: z.array(z.string()).max(1, 'help.args.one'),
    async run({ t }, { _: [name] }) {
      const commands = catalog();
      if (name) {
        const command = commands.find((candidate) => candidate.name === name.toLowerCase());
        if (!command) return reply(t.t('help.noCommand', { name }), [text(t.t('common.noSuchCommand', { name }))]);
        const summary = t.declared(command.summary);
        const options = optionLines(t, command);
        return reply(`${command.usage} — ${summary}`, [
          header(`/iex ${command.name}`),
          text(summary),
          fields([
            [t.t('help.usage'), `\`${command.usage}\``],
            [t.t('help.whoMay'), whoMay(t, command)],
          ]),
          ...(command.help ? [text(t.declared(command.help))] : []),
          ...(options ? [text(options)] : []),
        ]);
      }
      return reply(t.t('help.fallback', { names: commands.map(({ name: n }) => n).join(', ') }), [
        header(t.t('help.header')),
        text(t.t('help.intro')),
        text(commands.map((command) => `\`${command.usage}\` — ${t.declared(command.summary)}`).join('\n')),
        context(t.t('help.footer')),
      ]);
    },
  });
}
