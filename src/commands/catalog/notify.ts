import { NOTIFICATION_TRIGGERS, type NotificationTrigger } from '../../domain/closed-lists';
import { z } from 'zod';
import {
  describeRecipient,
  parseRecipient,
  parseTrigger,
  shortRecipient,
  TRIGGER_DESCRIPTIONS,
  type Recipient,
  type RecipientError,
} from '../../domain/notifications';
import { channelPlatforms, namingOf } from '../../domain/platform-naming';
import { encodeAction } from '../../chat/actions';
import type { Translator } from '../../i18n';
import { changed, defineAction, defineCommand, type CommandContext } from '../define';
import { UserError } from '../errors';
import { callerMention } from '../mentions';
import { pageControls, pageOf } from '../paging';
import type { NotificationRuleView } from '../ports/notifications';
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
import { word } from '../options';

/** Few enough that the Remove buttons fit one row on Discord (5) as well as on Slack. */
const RULES_PER_PAGE = 5;
const USAGE = '/iex notify [add|remove TRIGGER #channel|email|here]';
const TRIGGER_LIST = NOTIFICATION_TRIGGERS.map((trigger) => `\`${trigger}\``).join(', ');

/** What a trigger sends, said to follow "when" / "når". */
const description = (t: Translator, trigger: NotificationTrigger) => t.declared(TRIGGER_DESCRIPTIONS[trigger]);

/** A recipient as the reader sees it: a channel mention on their own platform, else the platform's channel by id. */
function recipientName(ctx: CommandContext, recipient: Recipient): string {
  if (recipient.kind === 'email' || recipient.kind === ctx.caller.platform)
    return describeRecipient(recipient, ctx.caller.platform);
  return ctx.t.t('notify.otherChannel', { platform: namingOf(recipient.kind).title, id: recipient.target });
}

function triggerOf(t: Translator, word: string): NotificationTrigger {
  const trigger = parseTrigger(word);
  if (!trigger) throw new UserError('bad_input', t.t('notify.noTrigger', { word, triggers: TRIGGER_LIST }));
  return trigger;
}

function problemText(t: Translator, { problem, input }: RecipientError): string {
  switch (problem) {
    case 'here_without_channel':
      return t.t('notify.problem.hereWithoutChannel', {
        platforms: t.list(
          channelPlatforms().map(([, naming]) => naming.title),
          'or',
        ),
      });
    case 'bad_email':
      return t.t('notify.problem.badEmail', { input });
    case 'channel_without_id':
      return t.t('notify.problem.channelWithoutId', { input });
    default:
      return t.t('notify.problem.unknown', { input });
  }
}

function recipientOf(ctx: CommandContext, word: string): Recipient {
  const parsed = parseRecipient(word, { platform: ctx.caller.platform, channelId: ctx.caller.channelId });
  if ('problem' in parsed)
    throw new UserError(
      'bad_input',
      ctx.t.t('notify.recipientUsage', { problem: problemText(ctx.t, parsed), usage: USAGE }),
    );
  return parsed;
}

function removeButton(t: Translator, rule: NotificationRuleView, page: number): Button {
  const who = shortRecipient(rule.recipient);
  // Button labels are short on both platforms (Slack 75 characters).
  const label = t.t('notify.removeButton', {
    who: who.length > 40 ? `${who.slice(0, 39)}…` : who,
    trigger: rule.trigger,
  });
  return button(label, encodeAction('notify.remove', { id: rule.ruleId, page }));
}

async function listReply(
  ctx: CommandContext,
  requestedPage: number,
  options: { summary?: string; replaceOriginal?: boolean } = {},
): Promise<Reply> {
  const { t } = ctx;
  const rules = await ctx.ports.notifications.list(ctx.tenantId);
  // A removal can empty the last page: pageOf then shows the one before it.
  const current = pageOf(rules, requestedPage, RULES_PER_PAGE);
  const { items: shown, page } = current;
  const blocks: Block[] = [header(t.t('notify.title')), ...(options.summary ? [text(options.summary)] : [])];
  if (rules.length === 0) blocks.push(text(t.t('notify.nobody')));
  for (const trigger of NOTIFICATION_TRIGGERS) {
    const recipients = shown.filter((rule) => rule.trigger === trigger);
    if (recipients.length === 0) continue;
    blocks.push(
      text(
        `${t.t('notify.triggerLine', { trigger, description: description(t, trigger) })}\n` +
          recipients.map((rule) => `• ${recipientName(ctx, rule.recipient)}`).join('\n'),
      ),
    );
  }
  if (shown.length > 0) blocks.push(actions(...shown.map((rule) => removeButton(t, rule, page))));
  blocks.push(...pageControls(current, 'notify.page', {}, t));
  const nobody = NOTIFICATION_TRIGGERS.filter((trigger) => !rules.some((rule) => rule.trigger === trigger));
  if (rules.length > 0 && nobody.length > 0)
    blocks.push(context(t.t('notify.nobodyGets', { triggers: nobody.join(', ') })));
  blocks.push(context(t.t('notify.addOne', { triggers: TRIGGER_LIST })));
  const fallback =
    options.summary ??
    (rules.length === 0
      ? t.t('notify.nobody')
      : rules.map((rule) => `${rule.trigger} → ${shortRecipient(rule.recipient)}`).join('; '));
  return reply(fallback, blocks, { replaceOriginal: options.replaceOriginal ?? false });
}

/** Who was added to or removed from a trigger: what it audits and announces. */
interface RecipientChange {
  kind: 'add' | 'remove';
  trigger: string;
  recipient: object;
}

const recipientEffects = {
  audit: (_args: unknown, change: RecipientChange) => ({
    action: `notify.${change.kind}`,
    target: change.trigger,
    details: { ...change.recipient },
  }),
};

export const notifyCommand = defineCommand({
  name: 'notify',
  summary: 'notify.summary',
  usage: USAGE,
  help: 'notify.help',
  role: 'viewer',
  words: [
    word.text('action', 'notify.opt.action', { choices: ['add', 'remove'] }),
    word.text('trigger', 'notify.opt.trigger', { choices: NOTIFICATION_TRIGGERS }),
    word.channel('channel', 'notify.opt.channel'),
    word.text('email', 'notify.opt.email'),
  ],
  positional: z.array(z.string()).max(3, 'notify.arg.tooManyWords'),
  verbs: {
    add: { role: 'admin', doing: 'notify.doing.change' },
    remove: { role: 'admin', doing: 'notify.doing.change' },
  },
  // The core's `here` is this channel: what someone means when they pick no recipient.
  complete: (words, given) =>
    given.has('action') && !given.has('channel') && !given.has('email') ? [...words, 'here'] : words,
  effects: recipientEffects,
  async run(ctx, { _: words }) {
    const { t } = ctx;
    const [verb = 'list', ...rest] = words;
    const action = verb.toLowerCase();
    if (action === 'list' && rest.length === 0) return listReply(ctx, 1);
    if ((action !== 'add' && action !== 'remove') || rest.length !== 2)
      throw new UserError('bad_input', t.t('notify.usage', { usage: USAGE }));
    const trigger = triggerOf(t, rest[0]!);
    const recipient = recipientOf(ctx, rest[1]!);
    const who = recipientName(ctx, recipient);
    if (action === 'add') {
      if ((await ctx.ports.notifications.add(ctx.tenantId, trigger, recipient)) === 'exists')
        return notice(t.t('notify.alreadyGets', { who, trigger }));
      return changed(
        notice(
          t.t('notify.added', {
            who: callerMention(ctx.caller),
            recipient: who,
            trigger,
            description: description(t, trigger),
          }),
          { visibility: 'in_channel' },
        ),
        { kind: 'add' as const, trigger, recipient },
      );
    }
    const removed = await ctx.ports.notifications.remove(ctx.tenantId, { trigger, recipient });
    if (!removed) throw new UserError('not_found', t.t('notify.doesNotGet', { who, trigger }));
    return changed(
      notice(t.t('notify.removed', { who: callerMention(ctx.caller), recipient: who, trigger }), {
        visibility: 'in_channel',
      }),
      { kind: 'remove' as const, trigger, recipient },
    );
  },
});

const pageAction = defineAction({
  id: 'notify.page',
  role: 'viewer',
  values: z.object({ page: z.coerce.number().int().min(1) }),
  run: (ctx, { page }) => listReply(ctx, page, { replaceOriginal: true }),
});

const removeAction = defineAction({
  id: 'notify.remove',
  role: 'admin',
  values: z.object({ id: z.string().min(1), page: z.coerce.number().int().min(1).default(1) }),
  effects: recipientEffects,
  async run(ctx, { id, page }) {
    const { t } = ctx;
    const removed = await ctx.ports.notifications.remove(ctx.tenantId, { ruleId: id });
    if (!removed) return listReply(ctx, page, { summary: t.t('notify.alreadyRemoved'), replaceOriginal: true });
    const summary = t.t('notify.noLongerGets', {
      recipient: recipientName(ctx, removed.recipient),
      trigger: removed.trigger,
      target: removed.recipient.target,
    });
    return changed(await listReply(ctx, page, { summary, replaceOriginal: true }), {
      kind: 'remove' as const,
      trigger: removed.trigger,
      recipient: removed.recipient,
    });
  },
});

export const notifyActions = [pageAction, removeAction];
