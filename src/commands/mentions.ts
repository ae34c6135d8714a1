import { namingOf } from '../domain/platform-naming';
import type { Caller } from './ports/tenancy';

/**
 * A person in a reply, as the platform of the person reading writes one (domain/platform-naming):
 * Slack and Discord both render `<@id>` as the person's name; the console has no mentions, so it
 * shows the name the caller gave.
 */
export function mention(platform: Caller['platform'], userId: string, displayName?: string): string {
  return namingOf(platform).mention(userId, displayName);
}

/** A member as the reader's platform can show them: a mention there, an id from another platform. */
export function memberMention(reader: Pick<Caller, 'platform'>, member: { platform: string; userId: string }): string {
  return member.platform === reader.platform
    ? mention(member.platform as Caller['platform'], member.userId)
    : `\`${member.userId}\` (${member.platform})`;
}

/** What the caller's platform calls the place a bot is added to: "workspace" (Slack), "server" (Discord). */
export const workspaceWord = (caller: Pick<Caller, 'platform'>): string =>
  namingOf(caller.platform).workspace ?? 'workspace';

/** Who did it, for a confirmation the channel sees. */
export const callerMention = (caller: Caller): string => mention(caller.platform, caller.userId, caller.displayName);

/**
 * The user id in a mention as the platform sends it — Slack `<@U123>` or `<@U123|name>`, Discord
 * `<@123>` or `<@!123>` — or a bare id. Undefined for anything else, e.g. a plain `@name` that
 * the platform did not turn into a mention.
 */
export function parseMention(word: string, platform: string): string | undefined {
  return namingOf(platform).userIdIn(word);
}
