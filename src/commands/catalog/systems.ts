import { formatWhen } from '../../chat/format-time';
import { z } from 'zod';
import { looksSecret, readSettingValue } from '../../domain/system-settings';
import { encodeAction } from '../../chat/actions';
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
import type { SystemConnection, SystemDetail, SystemView } from '../ports/systems';
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

const ROLE_WORDS = { source: 'source (data comes from it)', target: 'target (data goes to it)' } as const;

const stateWord = (system: SystemView) => (system.connected ? 'connected' : '*disconnected*');

/** A setting's value as one line: strings as they are, anything else as JSON, long ones cut. */
function shown(value: unknown): string {
  const raw = typeof value === 'string' ? value : JSON.stringify(value);
  return raw.length > 80 ? `${raw.slice(0, 79)}…` : raw;
}

function connectButton(system: SystemView): Button {
  return system.connected
    ? button(`Disconnect ${system.name}`, encodeAction('systems.connect', { id: system.systemId, on: 0 }), {
        style: 'danger',
        confirm: {
          title: `Disconnect ${system.name}?`,
          text: `${system.name} stops exchanging data. Transfers from it are held — kept, not lost — and the engines stop sending to it, until you reconnect it.`,
          confirm: 'Disconnect',
          deny: 'Cancel',
        },
      })
    : button(`Reconnect ${system.name}`, encodeAction('systems.connect', { id: system.systemId, on: 1 }), {
        style: 'primary',
      });
}

function removeButton(system: SystemView): Button {
  return button(`Remove ${system.name}`, encodeAction('systems.remove', { id: system.systemId }), {
    style: 'danger',
    confirm: {
      title: `Remove ${system.name}?`,
      text: `This deletes ${system.name} with its settings and credentials, and cannot be undone from chat. Its connections must be switched off first; they are kept, switched off, with their log. To pause it instead, disconnect it.`,
      confirm: 'Remove',
      deny: 'Cancel',
    },
  });
}

async function listReply(ctx: CommandContext, page: number, replaceOriginal = false): Promise<Reply> {
  const systems = await ctx.ports.systems.list(ctx.tenantId);
  if (systems.length === 0)
    return notice('This integration has no systems yet. Your IEX contact adds them when the integration is set up.');
  const shownPage = pageOf(systems, page, PAGE_SIZE);
  const blocks: Block[] = [header('Systems')];
  for (const system of shownPage.items) {
    blocks.push(
      text(`*${system.name}* · ${system.kind} · ${ROLE_WORDS[system.role]} · ${stateWord(system)}`),
      actions(button(`Open ${system.name}`, encodeAction('systems.open', { id: system.systemId }))),
    );
  }
  blocks.push(
    ...pageControls(shownPage, 'systems.page'),
    context('`/iex systems NAME` opens one: its settings, its latest transfers, disconnect or remove.'),
  );
  return reply(
    systems
      .map(
        (system) =>
          `${system.name} (${system.kind}, ${system.role}): ${system.connected ? 'connected' : 'disconnected'}`,
      )
      .join('; '),
    blocks,
    { replaceOriginal },
  );
}

function detailReply(ctx: CommandContext, system: SystemDetail): Reply {
  const blocks: Block[] = [
    header(system.name),
    fields([
      ['Kind', system.kind],
      ['Role', ROLE_WORDS[system.role]],
      ['State', system.connected ? 'Connected' : 'Disconnected: transfers from it are held'],
      ['Id', `\`${system.systemId}\``],
    ]),
  ];

  const settings = system.settings.map(({ key, value, hidden }) => `\`${key}\`: ${hidden ? '_hidden_' : shown(value)}`);
  blocks.push(text(`*Settings*\n${settings.length > 0 ? settings.join('\n') : '_none_'}`));

  if (system.connections.length > 0) {
    blocks.push(
      text(
        `*Connections*\n${system.connections
          .map((connection) => `• ${connection.label} · ${connection.entity} · ${connection.active ? 'on' : '*off*'}`)
          .join('\n')}`,
      ),
    );
  }

  const transfers = system.recentTransfers.map((transfer) => {
    const what = transfer.reference
      ? `${transfer.entity} ${transfer.reference}`
      : `${transfer.entity} \`${transfer.transferId}\``;
    const status =
      transfer.status === 'failed' || transfer.status === 'held' ? `*${transfer.status}*` : transfer.status;
    const reason = transfer.reason ? ` — ${transfer.reason}` : '';
    return `• ${formatWhen(transfer.at, ctx.now, system.timezone)} · ${what} (${transfer.operation}) · ${transfer.connectionLabel} · ${status}${reason}`;
  });
  blocks.push(text(`*Latest transfers*\n${transfers.length > 0 ? transfers.join('\n') : '_none yet_'}`));

  blocks.push(
    actions(
      ...(system.connections.length > 0
        ? [button('Open its log', encodeAction('log.page', { system: system.systemId, page: 1 }))]
        : []),
      connectButton(system),
      removeButton(system),
    ),
    context(
      'Disconnect pauses a system and keeps what arrives as held; Remove deletes it for good, once no active connection uses it. Admins change a setting with `/iex systems ' +
        `${system.systemId} --set key=value\`.`,
    ),
  );
  return reply(
    `${system.name} (${system.kind}, ${system.role}): ${system.connected ? 'connected' : 'disconnected'}`,
    blocks,
  );
}

async function findSystem(ctx: CommandContext, idOrName: string): Promise<SystemDetail> {
  const system = await ctx.ports.systems.find(ctx.tenantId, idOrName);
  if (system) return system;
  const known = await ctx.ports.systems.list(ctx.tenantId);
  const names = known.map((candidate) => `${candidate.name} (\`${candidate.systemId}\`)`).join(', ');
  throw new UserError(
    'not_found',
    `There is no system "${idOrName}". ${names ? `The systems are: ${names}.` : 'This integration has no systems yet.'}`,
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
  const split = assignment.indexOf('=');
  const key = split > 0 ? assignment.slice(0, split).trim() : '';
  const raw = split > 0 ? assignment.slice(split + 1).trim() : '';
  if (!key)
    throw new UserError('bad_input', `Give the setting as key=value, e.g. \`--set vatZone=domestic\`. Usage: ${USAGE}`);
  if (looksSecret(key)) {
    throw new UserError(
      'forbidden',
      `\`${key}\` looks like a secret: secrets are not set from chat, where the history would keep them. Your IEX contact sets them.`,
    );
  }
  const editable = system.settings.filter((setting) => !setting.hidden).map((setting) => `\`${setting.key}\``);
  const setting = system.settings.find((candidate) => candidate.key === key && !candidate.hidden);
  if (!setting) {
    throw new UserError(
      'bad_input',
      `${system.name} has no setting \`${key}\`. ${editable.length ? `Its settings: ${editable.join(', ')}.` : 'It has no settings to change.'}`,
    );
  }
  if (setting.value !== null && typeof setting.value === 'object') {
    throw new UserError(
      'bad_input',
      `\`${key}\` holds a structure (${shown(setting.value)}) and cannot be changed from chat; ask your IEX contact.`,
    );
  }
  const value = readSettingValue(raw, setting.value);
  if (value === undefined)
    throw new UserError('bad_input', `\`${key}\` is a ${typeof setting.value}; \`${raw}\` is not.`);
  if (value === setting.value) return notice(`\`${key}\` of ${system.name} is already \`${shown(value)}\`.`);
  const stored = await ctx.ports.systems.setSetting(ctx.tenantId, system.systemId, key, value);
  if (!stored) throw new UserError('not_found', `${system.name} no longer exists. Run \`/iex systems\` again.`);
  return changed(
    notice(
      `${callerMention(ctx.caller)} set \`${key}\` of *${system.name}* to \`${shown(value)}\` (was \`${shown(setting.value)}\`).`,
      { visibility: 'in_channel' },
    ),
    { system, key, from: setting.value, to: value },
  );
}

export const systemsCommand = defineCommand({
  name: 'systems',
  summary: 'The systems of the integration; one system: its settings, latest transfers, disconnect, remove',
  usage: USAGE,
  help: [
    '`/iex systems` lists the systems: kind, source or target, connected or not.',
    '`/iex systems e-conomic` opens one (by name or id): its settings (never its credentials), the latest transfers of its connections, and buttons.',
    '*Disconnect* (admins) pauses a system: transfers from it are held, kept rather than lost, and the engines stop sending to it; *Reconnect* sends what it held again.',
    '*Remove* (admins) deletes a system with its settings and credentials. It is refused while an active connection uses the system: switch those connections off first (the reply offers buttons). The connections are kept, switched off, with their log — switch a connection off rather than delete it.',
    '`/iex systems e-conomic --set vatZone=domestic` (admins) changes one setting, keeping its type (a number stays a number). Secrets are never set from chat.',
  ].join('\n'),
  role: 'viewer',
  words: [word.text('system', 'One system, by name or id (leave out for all)', { autocomplete: 'system' })],
  positional: z.array(z.string()),
  flags: {
    set: flag.text("Change one of the system's settings (admins): key=value, e.g. vatZone=domestic", {
      schema: z.string({ message: 'give key=value' }).optional(),
      needs: { role: 'admin', doing: "change a system's settings" },
    }),
    page: pageFlag('the list of systems'),
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
      if (set !== undefined)
        throw new UserError('bad_input', `Name the system whose setting you change. Usage: ${USAGE}`);
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
    const connected = on === '1';
    const before = await findSystem(ctx, id);
    if (before.connected === connected)
      return notice(`${before.name} is already ${connected ? 'connected' : 'disconnected'}.`);
    const system = await ctx.ports.systems.setConnected(ctx.tenantId, before.systemId, connected);
    if (!system) throw new UserError('not_found', `${before.name} no longer exists. Run \`/iex systems\` again.`);
    const who = callerMention(ctx.caller);
    if (!connected) {
      const summary = `${who} disconnected *${system.name}*. Transfers from it are held until it is reconnected.`;
      return changed(
        reply(summary, [text(summary), actions(connectButton(system))], { visibility: 'in_channel' }),
        system,
      );
    }
    return changed(async () => {
      const released = await ctx.ports.systems.releaseHeld(ctx.tenantId, system.systemId, ctx.caller);
      return notice(`${who} reconnected *${system.name}*.${sentAgain(released)}`, { visibility: 'in_channel' });
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
    const result = await ctx.ports.systems.remove(ctx.tenantId, id);
    if (result.outcome === 'not_found')
      throw new UserError('not_found', 'That system no longer exists. Run `/iex systems` again.');
    if (result.outcome === 'in_use') {
      const count = result.connections.length;
      const summary = `*${result.system.name}* is still used by ${count} active connection${count === 1 ? '' : 's'}. Switch ${count === 1 ? 'it' : 'them'} off first — what arrives meanwhile is kept as held — then remove ${result.system.name}.`;
      return reply(summary, [
        text(summary),
        actions(...result.connections.map((connection) => toggleButton(connection))),
      ]);
    }
    const { system } = result;
    const kept = system.connections.length > 0 ? ' Its connections stay, switched off, with their log.' : '';
    return changed(
      notice(
        `${callerMention(ctx.caller)} removed *${system.name}* (${system.kind}) with its settings and credentials.${kept}`,
        { visibility: 'in_channel' },
      ),
      system,
    );
  },
});

export const systemsActions: ActionDefinition<any>[] = [openAction, pageAction, connectAction, removeAction];
