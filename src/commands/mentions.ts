import type { Caller } from './ports/tenancy';

/**
 * A person in a reply. Slack and Discord both render `<@id>` as the person's name; the console
 * has no mentions, so it shows the name the caller gave.
 */
export function mention(platform: Caller['platform'], userId: string, displayName?: string): string {
  return platform === 'console' ? (displayName ?? userId) : `<@${userId}>`;
}

/** Who did it, for a confirmation the channel sees. */
export const callerMention = (caller: Caller): string => mention(caller.platform, caller.userId, caller.displayName);

/** What a user id looks like on each platform, when typed bare. */
const BARE_ID: Record<'slack' | 'discord', RegExp> = {
  slack: /^[UW][A-Z0-9]{4,}$/,
  discord: /^\d{15,22}$/,
};

/**
 * The user id in a mention as each platform sends it — Slack `<@U123>` or `<@U123|name>`, Discord
 * `<@123>` or `<@!123>` — or a bare id. Undefined for anything else, e.g. a plain `@name` that
 * the platform did not turn into a mention.
 */
export function parseMention(word: string, platform: 'slack' | 'discord'): string | undefined {
  const match = /^<@!?([A-Za-z0-9]+)(?:\|[^>]*)?>$/.exec(word.trim());
  const id = match?.[1] ?? word.trim();
  return BARE_ID[platform].test(id) ? id : undefined;
}
