import { NOTIFICATION_TRIGGERS, type NotificationTrigger } from '../../domain/closed-lists';
import { z } from 'zod';
import {
  describeRecipient,
  parseRecipient,
  parseTrigger,
  shortRecipient,
  TRIGGER_DESCRIPTIONS,
  type Recipient,
} from '../../domain/notifications';
import { encodeAction } from '../../chat/actions';
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

function triggerOf(word: string): NotificationTrigger {
  const trigger = parseTrigger(word);
  if (!trigger) throw new UserError('bad_input', `There is no trigger \`${word}\`. The triggers are ${TRIGGER_LIST}.`);
  return trigger;
}

function recipientOf(ctx: CommandContext, word: string): Recipient {
  const parsed = parseRecipient(word, { platform: ctx.caller.platform, channelId: ctx.caller.channelId });
  if ('error' in parsed) throw new UserError('bad_input', `${parsed.error} Usage: \`${USAGE}\``);
  return parsed;
}

function removeButton(rule: NotificationRuleView, page: number): Button {
  const who = shortRecipient(rule.recipient);
  // Button labels are short on both platforms (Slack 75 characters).
  const label = `Remove ${who.length > 40 ? `${who.slice(0, 39)}…` : who} · ${rule.trigger}`;
  return button(label, encodeAction('notify.remove', { id: rule.ruleId, page }));
}

async function listReply(
  ctx: CommandContext,
  requestedPage: number,
  options: { summary?: string; replaceOriginal?: boolean } = {},
): Promise<Reply> {
  const rules = await ctx.ports.notifications.list(ctx.tenantId);
  // A removal can empty the last page: pageOf then shows the one before it.
  const current = pageOf(rules, requestedPage, RULES_PER_PAGE);
  const { items: shown, page } = current;
  const blocks: Block[] = [header('Notifications'), ...(options.summary ? [text(options.summary)] : [])];
  if (rules.length === 0) blocks.push(text('Nobody gets notifications yet.'));
  for (const trigger of NOTIFICATION_TRIGGERS) {
    const recipients = shown.filter((rule) => rule.trigger === trigger);
    if (recipients.length === 0) continue;
    blocks.push(
      text(
        `*${trigger}* — when ${TRIGGER_DESCRIPTIONS[trigger]}\n` +
          recipients.map((rule) => `• ${describeRecipient(rule.recipient, ctx.caller.platform)}`).join('\n'),
      ),
    );
  }
  if (shown.length > 0) blocks.push(actions(...shown.map((rule) => removeButton(rule, page))));
  blocks.push(...pageControls(current, 'notify.page'));
  const nobody = NOTIFICATION_TRIGGERS.filter((trigger) => !rules.some((rule) => rule.trigger === trigger));
  if (rules.length > 0 && nobody.length > 0) blocks.push(context(`Nobody gets: ${nobody.join(', ')}.`));
  blocks.push(context(`Add one: \`/iex notify add TRIGGER #channel|email|here\`. Triggers: ${TRIGGER_LIST}.`));
  const fallback =
    options.summary ??
    (rules.length === 0
      ? 'Nobody gets notifications yet.'
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
  summary: 'Who gets which notifications: list, add or remove a channel or an e-mail address per trigger',
  usage: USAGE,
  help:
    `Triggers: ${NOTIFICATION_TRIGGERS.map((trigger) => `\`${trigger}\` (when ${TRIGGER_DESCRIPTIONS[trigger]})`).join(', ')}.\n` +
    'Recipients: a channel (#channel, or its id), `here` for the channel you type in, or an e-mail address.\n' +
    'Examples: `/iex notify add transfer.failed #shop-alerts`, `/iex notify add quota.threshold finance@shop.dk`, `/iex notify remove digest here`. Adding and removing needs an admin.',
  role: 'viewer',
  words: [
    word.text('action', 'Add or remove a recipient (admins); leave out to list them', { choices: ['add', 'remove'] }),
    word.text('trigger', 'What the recipient gets', { choices: NOTIFICATION_TRIGGERS }),
    word.channel('channel', 'The channel (leave out, and no email, for this channel)'),
    word.text('email', 'Or an e-mail address'),
  ],
  positional: z.array(z.string()).max(3, 'too many words'),
  verbs: {
    add: { role: 'admin', doing: 'change who gets notified' },
    remove: { role: 'admin', doing: 'change who gets notified' },
  },
  // The core's `here` is this channel: what someone means when they pick no recipient.
  complete: (words, given) =>
    given.has('action') && !given.has('channel') && !given.has('email') ? [...words, 'here'] : words,
  effects: recipientEffects,
  async run(ctx, { _: words }) {
    const [verb = 'list', ...rest] = words;
    const action = verb.toLowerCase();
    if (action === 'list' && rest.length === 0) return listReply(ctx, 1);
    if ((action !== 'add' && action !== 'remove') || rest.length !== 2) {
      throw new UserError('bad_input', `Usage: \`${USAGE}\`, e.g. \`/iex notify add transfer.failed #shop-alerts\`.`);
    }
    const trigger = triggerOf(rest[0]!);
    const recipient = recipientOf(ctx, rest[1]!);
    const who = describeRecipient(recipient, ctx.caller.platform);
    if (action === 'add') {
      if ((await ctx.ports.notifications.add(ctx.tenantId, trigger, recipient)) === 'exists') {
        return notice(`${who} already gets *${trigger}* notifications.`);
      }
      return changed(
        notice(
          `${callerMention(ctx.caller)} added ${who} to *${trigger}*: it is notified when ${TRIGGER_DESCRIPTIONS[trigger]}.`,
          { visibility: 'in_channel' },
        ),
        { kind: 'add' as const, trigger, recipient },
      );
    }
    const removed = await ctx.ports.notifications.remove(ctx.tenantId, { trigger, recipient });
    if (!removed)
      throw new UserError(
        'not_found',
        `${who} does not get *${trigger}* notifications. \`/iex notify\` lists who gets what.`,
      );
    return changed(
      notice(`${callerMention(ctx.caller)} removed ${who} from *${trigger}*: it is no longer notified.`, {
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
    const removed = await ctx.ports.notifications.remove(ctx.tenantId, { ruleId: id });
    if (!removed)
      return listReply(ctx, page, { summary: 'That recipient was already removed.', replaceOriginal: true });
    const summary =
      `${describeRecipient(removed.recipient, ctx.caller.platform)} no longer gets *${removed.trigger}* notifications. ` +
      `To add it back: \`/iex notify add ${removed.trigger} ${removed.recipient.target}\``;
    return changed(await listReply(ctx, page, { summary, replaceOriginal: true }), {
      kind: 'remove' as const,
      trigger: removed.trigger,
      recipient: removed.recipient,
    });
  },
});

export const notifyActions = [pageAction, removeAction];
