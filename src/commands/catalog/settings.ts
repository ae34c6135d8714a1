import { z } from 'zod';
import { MODULE_OF } from '../../domain/holds';
import { namingOf } from '../../domain/platform-naming';
import { encodeAction } from '../../chat/actions';
import { LANGUAGES, translator, type Language, type Translator } from '../../i18n';
import {
  changed,
  defineAction,
  defineCommand,
  type ActionDefinition,
  type CommandContext,
  type Outcome,
} from '../define';
import { UserError } from '../errors';
import { callerMention, memberMention, parseMention } from '../mentions';
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
const MEMBERS_PAGE_SIZE = 20;
const USAGE = '/iex settings [invite @user admin|viewer | remove @user | language da|en] [--platform slack|discord]';

const moduleName = (t: Translator, module: Module) => t.t(`settings.module.${module}`);
/** What each module carries, for sentences: "stock levels". */
const carries = (t: Translator, module: Module) => t.t(`settings.carries.${module}`);
const languageName = (t: Translator, language: Language) => t.t(`settings.language.${language}`);
const roleName = (t: Translator, role: MemberView['role']) => t.t(`common.role.${role}`);

const integrationButton = (t: Translator, active: boolean): Button =>
  active
    ? button(t.t('settings.button.deactivate'), encodeAction('settings.integration', { on: 0 }), {
        style: 'danger',
        confirm: {
          title: t.t('settings.confirm.deactivate.title'),
          text: t.t('settings.confirm.deactivate.text'),
          confirm: t.t('settings.confirm.deactivate.confirm'),
          deny: t.t('common.cancel'),
        },
      })
    : button(t.t('settings.button.activate'), encodeAction('settings.integration', { on: 1 }), { style: 'primary' });

const moduleButton = (t: Translator, module: Module, on: boolean): Button =>
  on
    ? button(
        t.t('settings.button.moduleOff', { module: moduleName(t, module) }),
        encodeAction('settings.module', { module, on: 0 }),
        {
          confirm: {
            title: t.t('settings.confirm.moduleOff.title', { module: moduleName(t, module) }),
            text: t.t('settings.confirm.moduleOff.text', { carries: carries(t, module) }),
            confirm: t.t('settings.confirm.moduleOff.confirm'),
            deny: t.t('common.cancel'),
          },
        },
      )
    : button(
        t.t('settings.button.moduleOn', { module: moduleName(t, module) }),
        encodeAction('settings.module', { module, on: 1 }),
        { style: 'primary' },
      );

/** A member as the caller's platform can show them: a mention there, an id from the other platform. */
const memberName = (ctx: CommandContext, member: Pick<MemberView, 'platform' | 'userId'>): string =>
  memberMention(ctx.caller, member);

function memberBlocks(ctx: CommandContext, view: SettingsView, page: number): Block[] {
  const { t } = ctx;
  const shownPage = pageOf(view.members, page, MEMBERS_PAGE_SIZE);
  const lines = shownPage.items.map((member) =>
    t.t('settings.memberLine', { name: memberName(ctx, member), role: roleName(t, member.role) }),
  );
  return [
    text(`${t.t('settings.members')}\n${lines.length > 0 ? lines.join('\n') : t.t('settings.noMembers')}`),
    ...pageControls(shownPage, 'settings.members', {}, t),
    context(t.t('settings.membersHint')),
  ];
}

/** "Discord server `123`" / "Slack workspace `T1` (channel `C1`)": where a gone binding was. */
function goneWhere(t: Translator, binding: GoneBindingView): string {
  const naming = namingOf(binding.platform);
  const values = {
    platform: naming.title,
    workspace: t.t(naming.workspace === 'server' ? 'common.workspace.discord' : 'common.workspace.slack'),
    id: binding.workspaceId,
  };
  return binding.channelId
    ? t.t('settings.goneWhereChannel', { ...values, channel: binding.channelId })
    : t.t('settings.goneWhere', values);
}

/** `/iex link` as the platform of the gone binding takes it: Discord's options are named. */
function relinkCommand(binding: GoneBindingView): string {
  const discord = binding.platform === 'discord';
  if (!binding.channelId) return discord ? '/iex link code:CODE' : '/iex link CODE';
  return discord ? '/iex link code:CODE channel:True' : '/iex link CODE --channel';
}

/** The workspaces the bot was removed from, first: alerts there stopped until they are linked again. */
function goneBlocks(t: Translator, view: SettingsView): Block[] {
  if (view.gone.length === 0) return [];
  const lines = view.gone.map((binding) =>
    t.t('settings.goneLine', {
      where: goneWhere(t, binding),
      day: t.day(binding.goneAt, view.timezone),
      relink: t.t(binding.channelId ? 'settings.relinkChannel' : 'settings.relinkThere', {
        command: relinkCommand(binding),
      }),
    }),
  );
  return [text(`${t.t('settings.goneTitle')}\n${lines.join('\n')}`), context(t.t('settings.goneHint'))];
}

function settingsReply(ctx: CommandContext, view: SettingsView): Reply {
  const { t } = ctx;
  const off = MODULES.filter((module) => !view.modules[module]);
  const blocks: Block[] = [header(t.t('settings.title', { tenant: view.tenantName })), ...goneBlocks(t, view)];
  blocks.push(
    text(
      view.active
        ? t.t('settings.integrationActive')
        : t.t('settings.integrationOff', { held: view.held.integrationOff }),
    ),
    actions(integrationButton(t, view.active)),
  );

  const modules = MODULES.map((module) =>
    t.t(view.modules[module] ? 'settings.moduleOn' : 'settings.moduleOff', { module: moduleName(t, module) }),
  );
  if (off.length > 0 && view.held.moduleOff) modules.push(t.t('settings.moduleHeld', { count: view.held.moduleOff }));
  blocks.push(
    text(t.t('settings.modules', { modules: modules.join(' · ') })),
    actions(...MODULES.map((module) => moduleButton(t, module, view.modules[module]))),
    text(t.t('settings.languageLine', { language: languageName(t, view.language) })),
    ...memberBlocks(ctx, view, 1),
  );
  const fallback = t.t('settings.fallback', {
    tenant: view.tenantName,
    active: view.active,
    modules: MODULES.map((module) =>
      t.t('settings.fallbackModule', { module: moduleName(t, module), on: view.modules[module] }),
    ).join(', '),
    members: t.t('common.members', { count: view.members.length }),
    language: languageName(t, view.language),
    gone: view.gone.map((binding) => t.t('settings.fallbackGone', { where: goneWhere(t, binding) })).join(''),
  });
  return reply(fallback, blocks);
}

/**
 * The person an owner's `invite` or `remove` is about: on the caller's platform, or the one
 * `--platform` names from the console (which has no users of its own).
 */
function memberTarget(ctx: CommandContext, word: string | undefined, platformFlag: 'slack' | 'discord' | undefined) {
  const platform = platformFlag ?? (ctx.caller.platform === 'console' ? undefined : ctx.caller.platform);
  if (!platform) throw new UserError('bad_input', ctx.t.t('settings.whichChat', { usage: USAGE }));
  const userId = word ? parseMention(word, platform) : undefined;
  if (!userId) {
    const title = namingOf(platform).title;
    throw new UserError(
      'bad_input',
      word
        ? ctx.t.t('settings.mentionNeither', { platform: title, word, usage: USAGE })
        : ctx.t.t('settings.mentionThem', { platform: title, usage: USAGE }),
    );
  }
  return { platform, userId, name: memberName(ctx, { platform, userId }) };
}

/** A change to the members or the language, as it is audited and announced. */
type SettingsChange =
  | { kind: 'invite' | 'role'; member: string; role: string; previous?: string }
  | { kind: 'remove'; member: string }
  | { kind: 'language'; language: Language; previous: Language };

const settingsEffects = {
  audit: (_args: unknown, change: SettingsChange) => {
    switch (change.kind) {
      case 'remove':
        return { action: 'member.remove', target: change.member };
      case 'language':
        return { action: 'language.change', target: change.language, details: { previous: change.previous } };
      default:
        return {
          action: change.kind === 'invite' ? 'member.invite' : 'member.role',
          target: change.member,
          details: { role: change.role, ...(change.previous !== undefined ? { previous: change.previous } : {}) },
        };
    }
  },
};

async function invite(
  ctx: CommandContext,
  words: string[],
  platformFlag: 'slack' | 'discord' | undefined,
): Promise<Reply | Outcome<SettingsChange>> {
  const { t } = ctx;
  const { platform, userId, name } = memberTarget(ctx, words[0], platformFlag);
  const role = words[1]?.toLowerCase();
  if (role !== 'admin' && role !== 'viewer')
    throw new UserError('bad_input', t.t('settings.giveRole', { owner: role === 'owner', usage: USAGE }));
  const teamId = platform === ctx.caller.platform ? ctx.caller.workspaceId : undefined;
  const result = await ctx.ports.settings.invite(ctx.tenantId, {
    platform,
    userId,
    role,
    ...(teamId ? { teamId } : {}),
  });
  if (result.outcome === 'is_owner') return notice(t.t('settings.isOwner', { name }));
  if (result.outcome === 'unchanged') return notice(t.t('settings.alreadyRole', { name, role }));
  const who = callerMention(ctx.caller);
  const member = `${platform}:${userId}`;
  return changed(
    notice(
      result.outcome === 'added'
        ? t.t('settings.invited', { who, name, role })
        : t.t('settings.roleChanged', { who, name, role, previous: roleName(t, result.previous) }),
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
): Promise<Outcome<SettingsChange>> {
  const { t } = ctx;
  const { platform, userId, name } = memberTarget(ctx, words[0], platformFlag);
  const result = await ctx.ports.settings.removeMember(ctx.tenantId, platform, userId);
  if (result === 'not_member') throw new UserError('not_found', t.t('settings.notMember', { name }));
  if (result === 'last_owner') throw new UserError('conflict', t.t('settings.lastOwner', { name }));
  return changed(
    notice(t.t('settings.removed', { who: callerMention(ctx.caller), name }), { visibility: 'in_channel' }),
    { kind: 'remove', member: `${platform}:${userId}` },
  );
}

/**
 * `/iex settings language da|en`: the tenant's language. The confirmation speaks the new language,
 * so whoever set it sees at once what the others will read.
 */
async function setLanguage(ctx: CommandContext, value: string | undefined): Promise<Reply | Outcome<SettingsChange>> {
  if (value === undefined) throw new UserError('bad_input', ctx.t.t('settings.languageMissing'));
  const language = LANGUAGES.find((candidate) => candidate === value.trim().toLowerCase());
  if (!language) throw new UserError('bad_input', ctx.t.t('settings.languageUnknown', { value }));
  const previous = await ctx.ports.settings.setLanguage(ctx.tenantId, language);
  const t = translator(language);
  if (previous === undefined) return notice(t.t('settings.languageAlready', { language: languageName(t, language) }));
  return changed(
    notice(t.t('settings.languageSet', { who: callerMention(ctx.caller), language: languageName(t, language) }), {
      visibility: 'in_channel',
    }),
    { kind: 'language', language, previous },
  );
}

export const settingsCommand = defineCommand({
  name: 'settings',
  summary: 'settings.summary',
  usage: USAGE,
  help: 'settings.help',
  role: 'viewer',
  words: [
    word.text('action', 'settings.opt.action', { choices: ['invite', 'remove', 'language'] }),
    word.user('user', 'settings.opt.user'),
    word.text('role', 'settings.opt.role', { choices: ['admin', 'viewer'] }),
    word.text('language', 'settings.opt.language', { choices: [...LANGUAGES] }),
  ],
  positional: z.array(z.string()).max(3, 'settings.arg.tooManyWords'),
  flags: {
    // Text only: the console has no users of its own, so it says whose chat the member is in.
    platform: flag.text('settings.opt.platform', {
      schema: z.enum(['slack', 'discord'], { message: 'settings.arg.platform' }).optional(),
      textOnly: true,
    }),
  },
  verbs: {
    invite: { role: 'owner', doing: 'settings.doing.invite' },
    remove: { role: 'owner', doing: 'settings.doing.remove' },
    language: { role: 'admin', doing: 'settings.doing.language' },
  },
  effects: settingsEffects,
  async run(ctx, { _: [subcommand, ...words], platform }) {
    switch (subcommand?.toLowerCase()) {
      case undefined:
        return settingsReply(ctx, await ctx.ports.settings.get(ctx.tenantId));
      case 'invite':
        return invite(ctx, words, platform);
      case 'remove':
        return removeMember(ctx, words, platform);
      case 'language':
        return setLanguage(ctx, words[0]);
      default:
        throw new UserError('bad_input', ctx.t.t('settings.notACommand', { word: subcommand ?? '', usage: USAGE }));
    }
  },
});

const onValue = z.enum(['0', '1']);

/** " 3 held transfers were sent again." for a confirmation; empty for none. */
export const sentAgain = (t: Translator, released: number): string =>
  released > 0 ? ` ${t.t('settings.sentAgain', { count: released })}` : '';

/** What switching something back on sent again, for the confirmation. */
async function releaseAfterSwitchOn(ctx: CommandContext): Promise<string> {
  const released = await ctx.ports.settings.releaseHeld(ctx.tenantId, ctx.caller);
  if (released > 0) return sentAgain(ctx.t, released);
  const { active } = await ctx.ports.settings.get(ctx.tenantId);
  return active ? '' : ` ${ctx.t.t('settings.stillDeactivated')}`;
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
    const { t } = ctx;
    const active = on === '1';
    if (!(await ctx.ports.settings.setActive(ctx.tenantId, active))) {
      return notice(t.t('settings.integrationAlready', { active }));
    }
    const who = callerMention(ctx.caller);
    if (active)
      return changed(
        async () =>
          notice(t.t('settings.activated', { who, after: await releaseAfterSwitchOn(ctx) }), {
            visibility: 'in_channel',
          }),
        true as const,
      );
    const summary = t.t('settings.deactivated', { who });
    return changed(
      reply(summary, [text(summary), actions(integrationButton(t, false))], { visibility: 'in_channel' }),
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
    const { t } = ctx;
    const active = on === '1';
    const name = moduleName(t, module);
    if (!(await ctx.ports.settings.setModule(ctx.tenantId, module, active))) {
      return notice(t.t('settings.moduleAlready', { module: name, on: active }));
    }
    const who = callerMention(ctx.caller);
    if (active)
      return changed(
        async () =>
          notice(t.t('settings.moduleSwitchedOn', { who, module: name, after: await releaseAfterSwitchOn(ctx) }), {
            visibility: 'in_channel',
          }),
        true as const,
      );
    const summary = t.t('settings.moduleSwitchedOff', { who, module: name, carries: carries(t, module) });
    return changed(
      reply(summary, [text(summary), actions(moduleButton(t, module, false))], { visibility: 'in_channel' }),
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
      ctx.t.t('common.members', { count: view.members.length }),
      [header(ctx.t.t('settings.membersTitle', { tenant: view.tenantName })), ...memberBlocks(ctx, view, page)],
      { replaceOriginal: true },
    );
  },
});

export const settingsActions: ActionDefinition<any>[] = [integrationAction, moduleAction, membersAction];
