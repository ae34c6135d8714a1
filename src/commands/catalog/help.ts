import { z } from 'zod';
import { defineCommand, type CommandDefinition } from '../define';
import { context, fields, header, reply, text } from '../../chat/reply';

/** `/iex help [command]`: every command with one line, or one command in full. */
export function helpCommand(catalog: () => readonly CommandDefinition<unknown>[]) {
  return defineCommand({
    name: 'help',
    summary: 'List the commands, or explain one',
    usage: '/iex help [command]',
    role: 'viewer',
    unlinked: true,
    args: z.object({ _: z.array(z.string()).max(1, 'name at most one command') }),
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
            [
              'Who may',
              command.role === 'viewer' ? 'everyone' : command.role === 'admin' ? 'admins and the owner' : 'the owner',
            ],
          ]),
          ...(command.help ? [text(command.help)] : []),
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
