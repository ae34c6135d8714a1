import { z } from 'zod';
import { looksSecret, readSettingValue } from '../../domain/system-settings';
import { encodeAction } from '../../chat/actions';
import type { Translator } from '../../i18n';
import { toggleButton } from './connections';
import {
  changed,
  defineAction,
  defineCommand,
  type ActionDefinition,
  type CommandContext,
  type Outcome,
} from '../define';
import { UserError } from '../errors';
import { callerMention } from '../mentions';
import { pageControls, pageOf } from '../paging';
import type { SystemDetail, SystemView } from '../ports/systems';
import {
  actions,
  button,
  context,
  fields,
  header,
  notice,
  reply,
  text,
  type Block,
  type Button,
  type Reply,
} from '../../chat/reply';
import { flag, pageFlag, word } from '../options';
import { sentAgain } from './settings';

const PAGE_SIZE = 10;
const USAGE = '/iex systems [NAME_OR_ID] [--set key=value]';

const stateWord = (t: Translator, system: SystemView) =>
  t.t(system.connected ? 'systems.connected' : 'systems.disconnected');

/** "e-conomic (e-conomic, target): connected", for a plain-text fallback. */
const fallbackLine = (t: Translator, system: SystemView) =>
  t.t('systems.fallbackLine', {
    name: system.name,
    kind: system.kind,
    role: t.t(`systems.roleShort.${system.role}`),
    connected: system.connected,
  });

/** A setting's value as one line: strings as they are, anything else as JSON, long ones cut. */
function shown(value: unknown): string {
  const raw = typeof value === 'string' ? value : JSON.stringify(value);
  return raw.length > 80 ? `${raw.slice(0, 79)}…` : raw;
}

function connectButton(t: Translator, system: SystemView): Button {
  const { name, kind } = system;
  return system.connected
    ? button(
        t.t('systems.button.disconnect', { name }),
        encodeAction('systems.connect', { id: system.systemId, on: 0 }),
        {
          style: 'danger',
          confirm: {
            title: t.t('systems.confirm.disconnect.title', { name }),
            text: t.t('systems.confirm.disconnect.text', { name, kind }),
            confirm: t.t('systems.confirm.disconnect.confirm'),
            deny: t.t('common.cancel'),
          },
        },
      )
    : button(
        t.t('systems.button.reconnect', { name }),
        encodeAction('systems.connect', { id: system.systemId, on: 1 }),
        {
          style: 'primary',
        },
      );
}

function removeButton(t: Translator, system: SystemView): Button {
  const { name } = system;
  return button(t.t('systems.button.remove', { name }), encodeAction('systems.remove', { id: system.systemId }), {
    style: 'danger',
    confirm: {
      title: t.t('systems.confirm.remove.title', { name }),
      text: t.t('systems.confirm.remove.text', { name }),
      confirm: t.t('systems.confirm.remove.confirm'),
      deny: t.t('common.cancel'),
    },
  });
}

async function listReply(ctx: CommandContext, page: number, replaceOriginal = false): Promise<Reply> {
  const { t } = ctx;
  const systems = await ctx.ports.systems.list(ctx.tenantId);
  if (systems.length === 0) return notice(t.t('systems.none'));
  const shownPage = pageOf(systems, page, PAGE_SIZE);
  const blocks: Block[] = [header(t.t('systems.title'))];
  for (const system of shownPage.items) {
    blocks.push(
      text(
        t.t('systems.listLine', {
          name: system.name,
          kind: system.kind,
          role: t.t(`systems.role.${system.role}`),
          state: stateWord(t, system),
        }),
      ),
      actions(
        button(t.t('systems.open', { name: system.name }), encodeAction('systems.open', { id: system.systemId })),
      ),
    );
  }
  blocks.push(...pageControls(shownPage, 'systems.page', {}, t), context(t.t('systems.listHint')));
  return reply(systems.map((system) => fallbackLine(t, system)).join('; '), blocks, { replaceOriginal });
}

function detailReply(ctx: CommandContext, system: SystemDetail): Reply {
  const { t } = ctx;
  const blocks: Block[] = [
    header(system.name),
    fields([
      [t.t('systems.field.kind'), system.kind],
      [t.t('systems.field.role'), t.t(`systems.role.${system.role}`)],
      [
        t.t('systems.field.state'),
        system.connected ? t.t('systems.state.connected') : t.t('systems.state.disconnected', { kind: system.kind }),
      ],
      [t.t('systems.field.id'), `\`${system.systemId}\``],
    ]),
  ];

  const settings = system.settings.map(
    ({ key, value, hidden }) => `\`${key}\`: ${hidden ? t.t('systems.hidden') : shown(value)}`,
  );
  blocks.push(
    text(`${t.t('systems.settings')}\n${settings.length > 0 ? settings.join('\n') : t.t('systems.noSettingsShown')}`),
  );

  if (system.connections.length > 0) {
    const lines = system.connections.map((connection) =>
      t.t('systems.connectionLine', {
        label: connection.label,
        entity: t.t(`common.entity.${connection.entity}`),
        on: connection.active,
      }),
    );
    blocks.push(text(`${t.t('systems.connections')}\n${lines.join('\n')}`));
  }

  const transfers = system.recentTransfers.map((transfer) => {
    const entity = t.t(`common.entity.${transfer.entity}`);
    const line = t.t('systems.transferLine', {
      when: t.when(transfer.at, ctx.now, system.timezone),
      what: transfer.reference ? `${entity} ${transfer.reference}` : `${entity} \`${transfer.transferId}\``,
      operation: t.t('systems.operation', { operation: transfer.operation }),
      connection: transfer.connectionLabel,
      status: t.t('systems.status', { status: transfer.status }),
    });
    return transfer.reason ? t.t('systems.transferReason', { line, reason: transfer.reason }) : line;
  });
  blocks.push(
    text(`${t.t('systems.latest')}\n${transfers.length > 0 ? transfers.join('\n') : t.t('systems.noTransfers')}`),
  );

  blocks.push(
    actions(
      ...(system.connections.length > 0
        ? [button(t.t('systems.openLog'), encodeAction('log.page', { system: system.systemId, page: 1 }))]
        : []),
      connectButton(t, system),
      removeButton(t, system),
    ),
    context(t.t('systems.detailHint', { id: system.systemId })),
  );
  return reply(fallbackLine(t, system), blocks);
}

async function findSystem(ctx: CommandContext, idOrName: string): Promise<SystemDetail> {
  const system = await ctx.ports.systems.find(ctx.tenantId, idOrName);
  if (system) return system;
  const known = await ctx.ports.systems.list(ctx.tenantId);
  const names = known.map((candidate) => `${candidate.name} (\`${candidate.systemId}\`)`).join(', ');
  throw new UserError(
    'not_found',
    names
      ? ctx.t.t('systems.notFound', { name: idOrName, names })
      : ctx.t.t('systems.notFoundNone', { name: idOrName }),
  );
}

/** `--set key=value`: only settings the system has, never one that looks secret, in the type it has. */
interface SettingChange {
  system: SystemDetail;
  key: string;
  from: unknown;
  to: unknown;
}

async function changeSetting(
  ctx: CommandContext,
  system: SystemDetail,
  assignment: string,
): Promise<Reply | Outcome<SettingChange>> {
  const { t } = ctx;
  const { name } = system;
  const split = assignment.indexOf('=');
  const key = split > 0 ? assignment.slice(0, split).trim() : '';
  const raw = split > 0 ? assignment.slice(split + 1).trim() : '';
  if (!key) throw new UserError('bad_input', t.t('systems.setFormat', { usage: USAGE }));
  if (looksSecret(key)) throw new UserError('forbidden', t.t('systems.secret', { key }));
  const editable = system.settings.filter((setting) => !setting.hidden).map((setting) => `\`${setting.key}\``);
  const setting = system.settings.find((candidate) => candidate.key === key && !candidate.hidden);
  if (!setting) {
    throw new UserError(
      'bad_input',
      editable.length
        ? t.t('systems.noSuchSetting', { name, key, keys: editable.join(', ') })
        : t.t('systems.noSettings', { name, key }),
    );
  }
  if (setting.value !== null && typeof setting.value === 'object')
    throw new UserError('bad_input', t.t('systems.structure', { key, value: shown(setting.value) }));
  const value = readSettingValue(raw, setting.value);
  if (value === undefined)
    throw new UserError('bad_input', t.t('systems.wrongType', { key, type: typeof setting.value, raw }));
  if (value === setting.value) return notice(t.t('systems.alreadySet', { key, name, value: shown(value) }));
  const stored = await ctx.ports.systems.setSetting(ctx.tenantId, system.systemId, key, value);
  if (!stored) throw new UserError('not_found', t.t('systems.gone', { name }));
  return changed(
    notice(
      t.t('systems.set', {
        who: callerMention(ctx.caller),
        key,
        name,
        value: shown(value),
        previous: shown(setting.value),
      }),
      { visibility: 'in_channel' },
    ),
    { system, key, from: setting.value, to: value },
  );
}

export const systemsCommand = defineCommand({
  name: 'systems',
  summary: 'systems.summary',
  usage: USAGE,
  help: 'systems.help',
  role: 'viewer',
  words: [word.text('system', 'systems.opt.system', { autocomplete: 'system' })],
  positional: z.array(z.string()),
  flags: {
    set: flag.text('systems.opt.set', {
      schema: z.string({ message: 'systems.arg.set' }).optional(),
      needs: { role: 'admin', doing: 'systems.doing.set' },
    }),
    page: pageFlag('systems.opt.page'),
  },
  effects: {
    audit: (_args, { system, key, from, to }: SettingChange) => ({
      action: 'system.setting',
      target: system.systemId,
      details: { name: system.name, key, from, to },
    }),
  },
  async run(ctx, { _: words, set, page }) {
    const idOrName = words.join(' ').trim();
    if (!idOrName) {
      if (set !== undefined) throw new UserError('bad_input', ctx.t.t('systems.nameFirst', { usage: USAGE }));
      return listReply(ctx, page ?? 1);
    }
    const system = await findSystem(ctx, idOrName);
    return set !== undefined ? changeSetting(ctx, system, set) : detailReply(ctx, system);
  },
});

const systemId = z.string().min(1).max(80);

const openAction = defineAction({
  id: 'systems.open',
  role: 'viewer',
  values: z.object({ id: systemId }),
  run: async (ctx, { id }) => detailReply(ctx, await findSystem(ctx, id)),
});

const pageAction = defineAction({
  id: 'systems.page',
  role: 'viewer',
  values: z.object({ page: z.coerce.number().int().min(1) }),
  run: (ctx, { page }) => listReply(ctx, page, true),
});

const connectAction = defineAction({
  id: 'systems.connect',
  role: 'admin',
  values: z.object({ id: systemId, on: z.enum(['0', '1']) }),
  effects: {
    audit: ({ on }, system: { systemId: string; name: string; kind: string }) => ({
      action: on === '1' ? 'system.connect' : 'system.disconnect',
      target: system.systemId,
      details: { name: system.name, kind: system.kind },
    }),
  },
  async run(ctx, { id, on }) {
    const { t } = ctx;
    const connected = on === '1';
    const before = await findSystem(ctx, id);
    if (before.connected === connected)
      return notice(t.t('systems.alreadyConnected', { name: before.name, connected }));
    const system = await ctx.ports.systems.setConnected(ctx.tenantId, before.systemId, connected);
    if (!system) throw new UserError('not_found', t.t('systems.gone', { name: before.name }));
    const who = callerMention(ctx.caller);
    if (!connected) {
      const summary = t.t('systems.disconnectedBy', { who, name: system.name, kind: system.kind });
      return changed(
        reply(summary, [text(summary), actions(connectButton(t, system))], { visibility: 'in_channel' }),
        system,
      );
    }
    return changed(async () => {
      const released = await ctx.ports.systems.releaseHeld(ctx.tenantId, system.systemId, ctx.caller);
      return notice(t.t('systems.reconnectedBy', { who, name: system.name, after: sentAgain(t, released) }), {
        visibility: 'in_channel',
      });
    }, system);
  },
});

const removeAction = defineAction({
  id: 'systems.remove',
  role: 'admin',
  values: z.object({ id: systemId }),
  effects: {
    audit: (_values, system: SystemDetail) => ({
      action: 'system.remove',
      target: system.systemId,
      // What an operator needs to add it back: everything but the credentials.
      details: {
        name: system.name,
        kind: system.kind,
        role: system.role,
        settings: Object.fromEntries(
          system.settings.filter((setting) => !setting.hidden).map((setting) => [setting.key, setting.value]),
        ),
        connections: system.connections.map((connection) => connection.connectionId),
      },
    }),
  },
  async run(ctx, { id }) {
    const { t } = ctx;
    const result = await ctx.ports.systems.remove(ctx.tenantId, id);
    if (result.outcome === 'not_found') throw new UserError('not_found', t.t('systems.goneUnnamed'));
    if (result.outcome === 'in_use') {
      const summary = t.t('systems.inUse', { name: result.system.name, count: result.connections.length });
      return reply(summary, [
        text(summary),
        actions(...result.connections.map((connection) => toggleButton(connection, t))),
      ]);
    }
    const { system } = result;
    return changed(
      notice(
        t.t('systems.removedBy', {
          who: callerMention(ctx.caller),
          name: system.name,
          kind: system.kind,
          kept: system.connections.length > 0,
        }),
        { visibility: 'in_channel' },
      ),
      system,
    );
  },
});

export const systemsActions: ActionDefinition<any>[] = [openAction, pageAction, connectAction, removeAction];
