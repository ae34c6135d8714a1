import { z } from 'zod';
import { MODULE_OF } from '../../domain/holds';
import { namingOf } from '../../domain/platform-naming';
import { formatDay } from '../../chat/format-time';
import { encodeAction } from '../../chat/actions';
import {
  changed,
  defineAction,
  defineCommand,
  type ActionDefinition,
  type CommandContext,
  type Outcome,
} from '../define';
import { UserError } from '../errors';
import { callerMention, memberMention, mention, parseMention } from '../mentions';
import { pageControls, pageOf } from '../paging';
import type { GoneBindingView, MemberView, Module, SettingsView } from '../ports/settings';
import {
  actions,
  button,
  context,
  header,
  notice,
  reply,
  text,
  type Block,
  type Button,
  type Reply,
} from '../../chat/reply';
import { flag, word } from '../options';

const MODULES = Object.values(MODULE_OF) as Module[];
/** What each module carries, for sentences. */
const CARRIES: Record<Module, string> = { orders: 'orders', products: 'products', stock: 'stock levels' };
const MEMBERS_PAGE_SIZE = 20;
const USAGE = '/iex settings [invite @user admin|viewer | remove @user] [--platform slack|discord]';

const integrationButton = (active: boolean): Button =>
  active
    ? button('Deactivate the integration', encodeAction('settings.integration', { on: 0 }), {
        style: 'danger',
        confirm: {
          title: 'Deactivate the whole integration?',
          text: 'Nothing is transferred while it is off. Transfers that arrive meanwhile are held — kept, not lost — and are sent when you activate it again.',
          confirm: 'Deactivate',
          deny: 'Cancel',
        },
      })
    : button('Activate the integration', encodeAction('settings.integration', { on: 1 }), { style: 'primary' });

const moduleButton = (module: Module, on: boolean): Button =>
  on
    ? button(`Switch ${module} off`, encodeAction('settings.module', { module, on: 0 }), {
        confirm: {
          title: `Switch the ${module} module off?`,
          text: `No ${CARRIES[module]} are transferred while it is off. Those that arrive meanwhile are held — kept, not lost — and are sent when you switch it back on.`,
          confirm: 'Switch off',
          deny: 'Cancel',
        },
      })
    : button(`Switch ${module} on`, encodeAction('settings.module', { module, on: 1 }), { style: 'primary' });

/** A member as the caller's platform can show them: a mention there, an id from the other platform. */
const memberName = (ctx: CommandContext, member: Pick<MemberView, 'platform' | 'userId'>): string =>
  memberMention(ctx.caller, member);

function memberBlocks(ctx: CommandContext, view: SettingsView, page: number): Block[] {
  const shownPage = pageOf(view.members, page, MEMBERS_PAGE_SIZE);
  const lines = shownPage.items.map((member) => `• ${memberName(ctx, member)} — ${member.role}`);
  return [
    text(`*Members*\n${lines.length > 0 ? lines.join('\n') : '_none yet_'}`),
    ...pageControls(shownPage, 'settings.members'),
    context(
      'Viewers read; admins change settings; the owner also manages members: `/iex settings invite @user admin|viewer`, `/iex settings remove @user`.',
    ),
  ];
}

/** "Discord server `123`" / "Slack workspace `T1` (channel `C1`)": where a gone binding was. */
function goneWhere(binding: GoneBindingView): string {
  const naming = namingOf(binding.platform);
  const channel = binding.channelId ? ` (channel \`${binding.channelId}\`)` : '';
  return `${naming.title} ${naming.workspace ?? 'workspace'} \`${binding.workspaceId}\`${channel}`;
}

/** The workspaces the bot was removed from, first: alerts there stopped until they are linked again. */
function goneBlocks(view: SettingsView): Block[] {
  if (view.gone.length === 0) return [];
  const lines = view.gone.map((binding) => {
    const relink = binding.channelId ? '`/iex link CODE --channel` in that channel' : '`/iex link CODE` there';
    return `• ${goneWhere(binding)} — the bot was removed on ${formatDay(binding.goneAt, view.timezone)}; add it again and run ${relink}.`;
  });
  return [
    text(`*No longer linked*\n${lines.join('\n')}`),
    context(
      'Nothing is sent there until it is linked again; your other channels keep getting alerts. Your IEX operator gives you a new link code.',
    ),
  ];
}

function settingsReply(ctx: CommandContext, view: SettingsView): Reply {
  const off = MODULES.filter((module) => !view.modules[module]);
  const blocks: Block[] = [header(`${view.tenantName} — Settings`), ...goneBlocks(view)];
  if (view.active) blocks.push(text('*Integration:* active'));
  else {
    const held = view.held.integrationOff
      ? ` ${view.held.integrationOff} transfers are held until it is active again.`
      : '';
    blocks.push(text(`*Integration: deactivated* — nothing is transferred.${held}`));
  }
  blocks.push(actions(integrationButton(view.active)));

  const moduleHeld =
    off.length > 0 && view.held.moduleOff ? ` · ${view.held.moduleOff} transfers held by switched-off modules` : '';
  blocks.push(
    text(
      `*Modules:* ${MODULES.map((module) => (view.modules[module] ? `${module} on` : `*${module} off*`)).join(' · ')}${moduleHeld}`,
    ),
    actions(...MODULES.map((module) => moduleButton(module, view.modules[module]))),
    ...memberBlocks(ctx, view, 1),
  );
  const gone = view.gone.map((binding) => `; the bot was removed from ${goneWhere(binding)}`).join('');
  const fallback = `${view.tenantName}: integration ${view.active ? 'active' : 'DEACTIVATED'}; ${MODULES.map((module) => `${module} ${view.modules[module] ? 'on' : 'off'}`).join(', ')}; ${view.members.length} members${gone}`;
  return reply(fallback, blocks);
}

/**
 * The person an owner's `invite` or `remove` is about: on the caller's platform, or the one
 * `--platform` names from the console (which has no users of its own).
 */
function memberTarget(ctx: CommandContext, word: string | undefined, platformFlag: 'slack' | 'discord' | undefined) {
  const platform = platformFlag ?? (ctx.caller.platform === 'console' ? undefined : ctx.caller.platform);
  if (!platform) {
    throw new UserError(
      'bad_input',
      `Say which chat the person is in: add \`--platform slack\` or \`--platform discord\`. Usage: ${USAGE}`,
    );
  }
  const userId = word ? parseMention(word, platform) : undefined;
  if (!userId) {
    throw new UserError(
      'bad_input',
      `Mention the person (type @ and pick them from the list) or give their ${platform} user id${word ? `; \`${word}\` is neither` : ''}. Usage: ${USAGE}`,
    );
  }
  return { platform, userId, name: memberName(ctx, { platform, userId }) };
}

/** A change to the members, as it is audited and announced. */
type MemberChange =
  { kind: 'invite' | 'role'; member: string; role: string; previous?: string } | { kind: 'remove'; member: string };

const memberEffects = {
  audit: (_args: unknown, change: MemberChange) =>
    change.kind === 'remove'
      ? { action: 'member.remove', target: change.member }
      : {
          action: change.kind === 'invite' ? 'member.invite' : 'member.role',
          target: change.member,
          details: { role: change.role, ...(change.previous !== undefined ? { previous: change.previous } : {}) },
        },
};

async function invite(
  ctx: CommandContext,
  words: string[],
  platformFlag: 'slack' | 'discord' | undefined,
): Promise<Reply | Outcome<MemberChange>> {
  const { platform, userId, name } = memberTarget(ctx, words[0], platformFlag);
  const role = words[1]?.toLowerCase();
  if (role !== 'admin' && role !== 'viewer') {
    throw new UserError(
      'bad_input',
      `Give the role: admin (changes settings) or viewer (reads)${role === 'owner' ? '; an integration has one owner, set by your IEX operator' : ''}. Usage: ${USAGE}`,
    );
  }
  const teamId = platform === ctx.caller.platform ? ctx.caller.workspaceId : undefined;
  const result = await ctx.ports.settings.invite(ctx.tenantId, {
    platform,
    userId,
    role,
    ...(teamId ? { teamId } : {}),
  });
  if (result.outcome === 'is_owner') return notice(`${name} is an owner; owners keep their role.`);
  if (result.outcome === 'unchanged')
    return notice(`${name} is already ${role === 'admin' ? 'an admin' : 'a viewer'}.`);
  const who = callerMention(ctx.caller);
  const what = role === 'admin' ? 'an admin: they can change settings' : 'a viewer: they can read everything';
  const member = `${platform}:${userId}`;
  return changed(
    notice(
      result.outcome === 'added'
        ? `${who} invited ${name} as ${what}.`
        : `${who} made ${name} ${what} (was ${result.previous}).`,
      { visibility: 'in_channel' },
    ),
    result.outcome === 'added'
      ? { kind: 'invite', member, role }
      : { kind: 'role', member, role, previous: result.previous },
  );
}

async function removeMember(
  ctx: CommandContext,
  words: string[],
  platformFlag: 'slack' | 'discord' | undefined,
): Promise<Outcome<MemberChange>> {
  const { platform, userId, name } = memberTarget(ctx, words[0], platformFlag);
  const result = await ctx.ports.settings.removeMember(ctx.tenantId, platform, userId);
  if (result === 'not_member')
    throw new UserError('not_found', `${name} is not a member. \`/iex settings\` lists the members.`);
  if (result === 'last_owner') {
    throw new UserError(
      'conflict',
      `${name} is the only owner, and an integration needs one to manage its members. Ask your IEX operator to make someone else owner first.`,
    );
  }
  return changed(
    notice(
      `${callerMention(ctx.caller)} removed ${name} from the members. They can still read, as everyone here can.`,
      {
        visibility: 'in_channel',
      },
    ),
    { kind: 'remove', member: `${platform}:${userId}` },
  );
}

export const settingsCommand = defineCommand({
  name: 'settings',
  summary: 'The whole integration and each module on or off, and the members who manage it',
  usage: USAGE,
  help: [
    '`/iex settings` shows whether the integration is active, each module (orders, products, stock) on or off with a button (admins), and the members with their roles.',
    'If nothing is transferred, first check that the integration is active. Switching it or a module off holds what arrives — kept, not lost — and switching it back on sends the held transfers again.',
    '`/iex settings invite @user admin|viewer` (owner) adds a member or changes their role; `/iex settings remove @user` (owner) removes one. The last owner cannot be removed. From the console add `--platform slack|discord`.',
  ].join('\n'),
  role: 'viewer',
  words: [
    word.text('action', 'Invite a member or remove one (the owner)', { choices: ['invite', 'remove'] }),
    word.user('user', 'The member to invite or remove'),
    word.text('role', 'The role of an invited member', { choices: ['admin', 'viewer'] }),
  ],
  positional: z.array(z.string()).max(3, 'too many words'),
  flags: {
    // Text only: the console has no users of its own, so it says whose chat the member is in.
    platform: flag.text('The chat the member is in', {
      schema: z.enum(['slack', 'discord'], { message: 'must be slack or discord' }).optional(),
      textOnly: true,
    }),
  },
  verbs: { invite: { role: 'owner', doing: 'invite members' }, remove: { role: 'owner', doing: 'remove members' } },
  effects: memberEffects,
  async run(ctx, { _: [subcommand, ...words], platform }) {
    switch (subcommand?.toLowerCase()) {
      case undefined:
        return settingsReply(ctx, await ctx.ports.settings.get(ctx.tenantId));
      case 'invite':
        return invite(ctx, words, platform);
      case 'remove':
        return removeMember(ctx, words, platform);
      default:
        throw new UserError('bad_input', `\`${subcommand}\` is not a settings command. Usage: ${USAGE}`);
    }
  },
});

const onValue = z.enum(['0', '1']);

/** " 3 held transfers were sent again." for a confirmation; empty for none. */
export const sentAgain = (released: number): string =>
  released > 0 ? ` ${released} held transfer${released === 1 ? ' was' : 's were'} sent again.` : '';

/** What switching something back on sent again, for the confirmation. */
async function releaseAfterSwitchOn(ctx: CommandContext): Promise<string> {
  const released = await ctx.ports.settings.releaseHeld(ctx.tenantId, ctx.caller);
  if (released > 0) return sentAgain(released);
  const { active } = await ctx.ports.settings.get(ctx.tenantId);
  return active
    ? ''
    : ' The integration itself is still deactivated, so what is held stays held until it is activated.';
}

const integrationAction = defineAction({
  id: 'settings.integration',
  role: 'admin',
  values: z.object({ on: onValue }),
  effects: {
    // Run only says it changed something when it did: "already active" is no change.
    audit: ({ on }, _switched: true) => ({ action: on === '1' ? 'integration.activate' : 'integration.deactivate' }),
  },
  async run(ctx, { on }) {
    const active = on === '1';
    if (!(await ctx.ports.settings.setActive(ctx.tenantId, active))) {
      return notice(`The integration is already ${active ? 'active' : 'deactivated'}.`);
    }
    const who = callerMention(ctx.caller);
    if (active)
      return changed(
        async () =>
          notice(`${who} activated the integration.${await releaseAfterSwitchOn(ctx)}`, { visibility: 'in_channel' }),
        true as const,
      );
    const summary = `${who} deactivated the integration: nothing is transferred until it is activated again, and what arrives meanwhile is held.`;
    return changed(
      reply(summary, [text(summary), actions(integrationButton(false))], { visibility: 'in_channel' }),
      true as const,
    );
  },
});

const moduleAction = defineAction({
  id: 'settings.module',
  role: 'admin',
  values: z.object({ module: z.enum(MODULES as [Module, ...Module[]]), on: onValue }),
  effects: {
    audit: ({ module, on }, _switched: true) => ({
      action: on === '1' ? 'module.activate' : 'module.deactivate',
      target: module,
    }),
  },
  async run(ctx, { module, on }) {
    const active = on === '1';
    if (!(await ctx.ports.settings.setModule(ctx.tenantId, module, active))) {
      return notice(`The ${module} module is already ${active ? 'on' : 'off'}.`);
    }
    const who = callerMention(ctx.caller);
    if (active)
      return changed(
        async () =>
          notice(`${who} switched the ${module} module on.${await releaseAfterSwitchOn(ctx)}`, {
            visibility: 'in_channel',
          }),
        true as const,
      );
    const summary = `${who} switched the ${module} module off: ${CARRIES[module]} that arrive are held until it is back on.`;
    return changed(
      reply(summary, [text(summary), actions(moduleButton(module, false))], { visibility: 'in_channel' }),
      true as const,
    );
  },
});

const membersAction = defineAction({
  id: 'settings.members',
  role: 'viewer',
  values: z.object({ page: z.coerce.number().int().min(1) }),
  async run(ctx, { page }) {
    const view = await ctx.ports.settings.get(ctx.tenantId);
    return reply(
      `${view.members.length} members`,
      [header(`${view.tenantName} — Members`), ...memberBlocks(ctx, view, page)],
      { replaceOriginal: true },
    );
  },
});

export const settingsActions: ActionDefinition<any>[] = [integrationAction, moduleAction, membersAction];
