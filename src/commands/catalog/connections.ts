import { z } from 'zod';
import { encodeAction } from '../../chat/actions';
import { changed, defineAction, defineCommand, type CommandContext } from '../define';
import { UserError } from '../errors';
import type { ConnectionView } from '../ports/connections';
import { actions, button, context, header, notice, reply, text, type Block, type Button } from '../../chat/reply';

function describe(connection: ConnectionView): string {
  const how = connection.mode === 'webhook' ? 'by webhook (event-driven)' : `on schedule \`${connection.cron ?? '?'}\``;
  return `*${connection.label}* · ${connection.entity} · ${how} · ${connection.active ? 'on' : '*off*'}`;
}

/** The on/off switch of a connection; switching off asks first. */
export function toggleButton(connection: Pick<ConnectionView, 'connectionId' | 'label' | 'entity' | 'active'>): Button {
  return connection.active
    ? button(
        `Switch off ${connection.label} (${connection.entity})`,
        encodeAction('connection.toggle', { id: connection.connectionId, on: 0 }),
        {
          style: 'danger',
          confirm: {
            title: 'Switch the connection off?',
            text: `${connection.label} (${connection.entity}) stops transferring. What arrives meanwhile is kept as held and can be released when you switch it back on.`,
            confirm: 'Switch off',
            deny: 'Cancel',
          },
        },
      )
    : button(
        `Switch on ${connection.label} (${connection.entity})`,
        encodeAction('connection.toggle', { id: connection.connectionId, on: 1 }),
        {
          style: 'primary',
        },
      );
}

async function connectionsReply(ctx: CommandContext, replaceOriginal = false) {
  const connections = await ctx.ports.connections.list(ctx.tenantId);
  if (connections.length === 0) return notice('This integration has no connections yet.');
  const blocks: Block[] = [header('Connections')];
  for (const connection of connections) blocks.push(text(describe(connection)), actions(toggleButton(connection)));
  blocks.push(
    context('Switch a connection off rather than deleting it: what arrives while it is off is kept as held.'),
  );
  return reply(
    connections
      .map((connection) => `${connection.label} ${connection.entity}: ${connection.active ? 'on' : 'off'}`)
      .join('; '),
    blocks,
    {
      replaceOriginal,
    },
  );
}

export const connectionsCommand = defineCommand({
  name: 'connections',
  summary: 'The data connections (e.g. Shopify > e-conomic) and a switch for each',
  usage: '/iex connections',
  role: 'viewer',
  run: (ctx) => connectionsReply(ctx),
});

export const toggleConnectionAction = defineAction({
  id: 'connection.toggle',
  role: 'admin',
  values: z.object({ id: z.string().min(1), on: z.enum(['0', '1']) }),
  effects: {
    audit: ({ id, on }, connection: { label: string; entity: string }) => ({
      action: on === '1' ? 'connection.activate' : 'connection.deactivate',
      target: id,
      details: { label: connection.label, entity: connection.entity },
    }),
  },
  async run(ctx, { id, on }) {
    const active = on === '1';
    const connection = await ctx.ports.connections.setActive(ctx.tenantId, id, active);
    if (!connection)
      throw new UserError('not_found', 'That connection no longer exists. Run `/iex connections` again.');
    if (connection === 'system_removed') {
      throw new UserError(
        'conflict',
        'One of the systems of this connection was removed, so it cannot run. Ask your IEX contact to add the system again.',
      );
    }
    return changed(async () => {
      const released = active ? await ctx.ports.connections.releaseHeld(ctx.tenantId, id, ctx.caller) : 0;
      const updated = await connectionsReply(ctx, true);
      const summary = `${connection.label} (${connection.entity}) is now ${active ? 'on' : 'off'}${released ? `; ${released} held transfers were sent again` : ''}.`;
      return { ...updated, fallback: summary, blocks: [text(summary), ...updated.blocks] };
    }, connection);
  },
});
