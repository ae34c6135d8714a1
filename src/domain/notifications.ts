import { z } from 'zod';
// The lists live with the store's other closed value lists; re-exported so the command core,
// which may not import the store, builds its choices from the same lists.
import { NOTIFICATION_TRIGGERS, type NotificationTrigger, type RecipientKind } from './closed-lists';
import { channelPlatforms, namingOf } from './platform-naming';

/** Who gets a notification: a Slack or Discord channel (by id) or an e-mail address. */
export interface Recipient {
  kind: RecipientKind;
  target: string;
}

/**
 * What each trigger sends, as the message key of its words (src/i18n/messages/triggers.ts), said
 * to follow "when": `t.declared(TRIGGER_DESCRIPTIONS[trigger])`.
 */
export const TRIGGER_DESCRIPTIONS: Record<NotificationTrigger, `triggers.${NotificationTrigger}`> = {
  'transfer.failed': 'triggers.transfer.failed',
  'quota.threshold': 'triggers.quota.threshold',
  'topup.auto': 'triggers.topup.auto',
  digest: 'triggers.digest',
  'job.missed': 'triggers.job.missed',
};

export function parseTrigger(word: string): NotificationTrigger | undefined {
  const lower = word.toLowerCase();
  return NOTIFICATION_TRIGGERS.find((trigger) => trigger === lower);
}

// Slack turns an address typed into a command into a link: <mailto:a@b.dk|a@b.dk>.
const MAILTO = /^<mailto:([^|>]+)(?:\|[^>]*)?>$/i;
const email = z.email();

/**
 * Why a word is no recipient, for the reader's language: `here` where there is no channel, an
 * e-mail address that is not one, a channel name that arrived without its id, anything else.
 */
export type RecipientProblem = 'here_without_channel' | 'bad_email' | 'channel_without_id' | 'unknown';

export interface RecipientError {
  /** The reason in English, for logs and tools. */
  error: string;
  problem: RecipientProblem;
  /** What the message quotes: the address or the word as typed. */
  input: string;
}

/**
 * Reads a recipient as people type it in chat: a channel mention as a platform sends it (Slack
 * `<#C123|name>`, Discord `<#123…>`; see platform-naming.ts), a bare channel id, `here` (the channel the command was typed in) or an e-mail
 * address. Returns the reason when it is none of these.
 */
export function parseRecipient(
  word: string,
  here: { platform: string; channelId?: string | undefined },
): Recipient | RecipientError {
  const input = word.trim();
  const platforms = channelPlatforms();
  if (input.toLowerCase() === 'here') {
    if (here.platform !== 'console' && here.channelId) return { kind: here.platform, target: here.channelId };
    const titles = platforms.map(([, naming]) => naming.title).join(' or ');
    return {
      error: `\`here\` means the ${titles} channel you type the command in; name a channel id or an e-mail address instead.`,
      problem: 'here_without_channel',
      input,
    };
  }
  for (const [platform, naming] of platforms) {
    const channelId = naming.channelIdIn(input);
    if (channelId) return { kind: platform, target: channelId };
  }
  const address = MAILTO.exec(input)?.[1] ?? input;
  if (address.includes('@')) {
    const parsed = email.safeParse(address);
    if (parsed.success) return { kind: 'email', target: parsed.data.toLowerCase() };
    return { error: `\`${address}\` is not a valid e-mail address.`, problem: 'bad_email', input: address };
  }
  if (input.startsWith('#')) {
    return {
      error: `\`${input}\` arrived as plain text, without the channel's id. Pick the channel from the suggestions as you type # so it becomes a link, or give its id.`,
      problem: 'channel_without_id',
      input,
    };
  }
  return {
    error: `\`${input}\` is not a channel or an e-mail address. Give #channel, a channel id, \`here\` or an e-mail address.`,
    problem: 'unknown',
    input,
  };
}

/** A recipient as the person reading sees it: a channel mention on its own platform, else its id. */
export function describeRecipient(recipient: Recipient, viewerPlatform: string): string {
  if (recipient.kind === 'email') return recipient.target;
  const naming = namingOf(recipient.kind);
  return recipient.kind === viewerPlatform
    ? naming.channel(recipient.target)
    : `${naming.title} channel \`${recipient.target}\``;
}

/** A recipient in a button label, where mentions do not render. */
export function shortRecipient(recipient: Recipient): string {
  return recipient.kind === 'email' ? recipient.target : `#${recipient.target}`;
}
