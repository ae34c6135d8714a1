import { z } from 'zod';
import { defineCommand, type CommandDefinition } from '../define';
import { word } from '../options';
import { context, fields, header, reply, text } from '../../chat/reply';
import type { Role } from '../../domain/closed-lists';
import type { RoleRule } from '../options';

const WHO: Record<Role, string> = { viewer: 'everyone', admin: 'admins and the owner', owner: 'the owner' };

/** "everyone; `run`, `schedule`: admins and the owner", from the command's and its parts' declared roles. */
export function whoMay(command: CommandDefinition<unknown>): string {
  const parts: Array<[string, RoleRule]> = [
    ...Object.entries(command.verbs).map(([verb, rule]): [string, RoleRule] => [`\`${verb}\``, rule]),
    ...Object.entries(command.flags).flatMap(([name, option]): Array<[string, RoleRule]> =>
      option.needs ? [[`\`--${name}\``, option.needs]] : [],
    ),
  ];
  const byRole = new Map<Role, string[]>();
  for (const [part, rule] of parts) byRole.set(rule.role, [...(byRole.get(rule.role) ?? []), part]);
  return [WHO[command.role], ...[...byRole].map(([role, names]) => `${names.join(', ')}: ${WHO[role]}`)].join('; ');
}

/** Each declared word and flag with what it does and the values it takes. */
export function optionLines(command: CommandDefinition<unknown>): string {
  const values = (choices: readonly { name: string; value: string | number }[] | undefined) =>
    choices?.length ? ` (${choices.map((choice) => String(choice.value)).join(', ')})` : '';
  const lines = [
    ...command.words.map(
      (option) => `• \`${option.name.toUpperCase()}\`${values(option.choices)} — ${option.description}`,
    ),
    ...Object.entries(command.flags).map(
      ([name, option]) =>
        `• \`--${name}${option.type === 'boolean' ? '' : option.type === 'integer' ? ' N' : ' VALUE'}\`${values(option.choices)} — ${option.description}`,
    ),
  ];
  return lines.length ? `*Options*\n${lines.join('\n')}` : '';
}

/** `/iex help [command]`: every command with one line, or one command in full. */
export function helpCommand(catalog: () => readonly CommandDefinition<unknown>[]) {
  return defineCommand({
    name: 'help',
    summary: 'List the commands, or explain one',
    usage: '/iex help [command]',
    role: 'viewer',
    unlinked: true,
    words: [
      {
        ...word.text('command', 'Explain one command'),
        // The catalog is complete only once every command is defined, this one included.
        get choices() {
          return catalog().map((command) => ({ name: command.name, value: command.name }));
        },
      },
    ],
    positional: z.array(z.string()).max(1, 'name at most one command'),
    async run(_ctx, { _: [name] }) {
      const commands = catalog();
      if (name) {
        const command = commands.find((candidate) => candidate.name === name.toLowerCase());
        if (!command)
          return reply(`No command ${name}`, [text(`There is no \`/iex ${name}\`. \`/iex help\` lists the commands.`)]);
        return reply(`${command.usage} — ${command.summary}`, [
          header(`/iex ${command.name}`),
          text(command.summary),
          fields([
            ['Usage', `\`${command.usage}\``],
            ['Who may', whoMay(command)],
          ]),
          ...(command.help ? [text(command.help)] : []),
          ...(optionLines(command) ? [text(optionLines(command))] : []),
        ]);
      }
      return reply('IEX commands: ' + commands.map(({ name: n }) => n).join(', '), [
        header('IEX ChatOps'),
        text('Run your integration from here. Each command answers only you unless it says otherwise.'),
        text(commands.map((command) => `\`${command.usage}\` — ${command.summary}`).join('\n')),
        context('`/iex help COMMAND` explains one command with examples.'),
      ]);
    },
  });
}
