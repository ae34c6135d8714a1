import { z } from 'zod';
import { encodeAction } from '../../chat/actions';
import { changed, defineAction, defineCommand, type CommandContext } from '../define';
import { UserError } from '../errors';
import { entityWord } from '../entity-word';
import type { ConnectionView } from '../ports/connections';
import type { Translator } from '../../i18n';
import { actions, button, context, header, notice, reply, text, type Block, type Button } from '../../chat/reply';

function describe(t: Translator, connection: ConnectionView): string {
  const how =
    connection.mode === 'webhook'
      ? t.t('connections.byWebhook')
      : t.t('connections.onSchedule', { cron: connection.cron ?? '?' });
  return t.t('connections.line', {
    label: connection.label,
    entity: entityWord(t, connection.entity),
    how,
    active: connection.active ? 'yes' : 'no',
  });
}

/** The on/off switch of a connection, in the reader's language; switching off asks first. */
export function toggleButton(
  connection: Pick<ConnectionView, 'connectionId' | 'label' | 'entity' | 'active'>,
  t: Translator,
): Button {
  const named = { label: connection.label, entity: entityWord(t, connection.entity) };
  return connection.active
    ? button(
        t.t('connections.switchOff', named),
        encodeAction('connection.toggle', { id: connection.connectionId, on: 0 }),
        {
          style: 'danger',
          confirm: {
            title: t.t('connections.confirm.title'),
            text: t.t('connections.confirm.text', named),
            confirm: t.t('connections.confirm.confirm'),
            deny: t.t('common.cancel'),
          },
        },
      )
    : button(
        t.t('connections.switchOn', named),
        encodeAction('connection.toggle', { id: connection.connectionId, on: 1 }),
        { style: 'primary' },
      );
}

async function connectionsReply(ctx: CommandContext, replaceOriginal = false) {
  const { t } = ctx;
  const connections = await ctx.ports.connections.list(ctx.tenantId);
  if (connections.length === 0) return notice(t.t('connections.none'));
  const blocks: Block[] = [header(t.t('connections.header'))];
  for (const connection of connections)
    blocks.push(text(describe(t, connection)), actions(toggleButton(connection, t)));
  blocks.push(context(t.t('connections.note')));
  return reply(
    connections
      .map((connection) =>
        t.t('connections.fallback', {
          label: connection.label,
          entity: entityWord(t, connection.entity),
          active: connection.active ? 'yes' : 'no',
        }),
      )
      .join('; '),
    blocks,
    { replaceOriginal },
  );
}

export const connectionsCommand = defineCommand({
  name: 'connections',
  summary: 'connections.summary',
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
    if (!connection) throw new UserError('not_found', ctx.t.t('connections.err.gone'));
    if (connection === 'system_removed') throw new UserError('conflict', ctx.t.t('connections.err.systemRemoved'));
    return changed(async () => {
      const released = active ? await ctx.ports.connections.releaseHeld(ctx.tenantId, id, ctx.caller) : 0;
      const updated = await connectionsReply(ctx, true);
      const summary = ctx.t.t('connections.now', {
        label: connection.label,
        entity: entityWord(ctx.t, connection.entity),
        active: active ? 'yes' : 'no',
        released,
      });
      return { ...updated, fallback: summary, blocks: [text(summary), ...updated.blocks] };
    }, connection);
  },
});
