import type { Caller } from './ports/tenancy';

/**
 * How a chat platform writes a person in a message and reads one typed in a command. Each
 * platform brings its own (bots/<platform>/naming.ts, part of its ChatPlatform); the composition
 * root hands them to `nameMentionsOn`, so the core names people on a platform it does not know of.
 */
export interface PlatformNaming {
  /** A person in a reply, as the platform renders it. */
  mention(userId: string, displayName?: string): string;
  /**
   * The user id in a word as the platform sends a mention, or a bare id typed as it looks there.
   * Undefined for anything else, e.g. a plain `@name` that the platform did not turn into a mention.
   */
  userIdIn(word: string): string | undefined;
}

/**
 * A mention as Slack and Discord send it — Slack `<@U123>` or `<@U123|name>`, Discord `<@123>` or
 * `<@!123>` — or a bare id of the platform's form.
 */
export function angleMentions(bareId: RegExp): PlatformNaming {
  return {
    mention: (userId) => `<@${userId}>`,
    userIdIn(word) {
      const match = /^<@!?([A-Za-z0-9]+)(?:\|[^>]*)?>$/.exec(word.trim());
      const id = match?.[1] ?? word.trim();
      return bareId.test(id) ? id : undefined;
    },
  };
}

/** The console has no mentions: it shows the name the caller gave, and takes no user ids. */
const CONSOLE: PlatformNaming = { mention: (userId, displayName) => displayName ?? userId, userIdIn: () => undefined };

/**
 * The namings the core knows. Slack's and Discord's are here so that the core names people on
 * them without a running service (tests, tools); bots/slack and bots/discord hand the same ones.
 */
const namings = new Map<string, PlatformNaming>([
  ['console', CONSOLE],
  ['slack', angleMentions(/^[UW][A-Z0-9]{4,}$/)],
  ['discord', angleMentions(/^\d{15,22}$/)],
]);

/** A platform that names people its own way says so once, when the service is put together. */
export function nameMentionsOn(platform: string, naming: PlatformNaming): void {
  namings.set(platform, naming);
}

/** The naming of a platform; one that brought none is written as Slack and Discord write theirs. */
export function namingOf(platform: string): PlatformNaming {
  return namings.get(platform) ?? ANY;
}
const ANY = angleMentions(/^$/);

/**
 * A person in a reply. Slack and Discord both render `<@id>` as the person's name; the console
 * has no mentions, so it shows the name the caller gave.
 */
export function mention(platform: Caller['platform'], userId: string, displayName?: string): string {
  return namingOf(platform).mention(userId, displayName);
}

/** Who did it, for a confirmation the channel sees. */
export const callerMention = (caller: Caller): string => mention(caller.platform, caller.userId, caller.displayName);

/** The user id in a word typed on a platform (see `PlatformNaming.userIdIn`). */
export function parseMention(word: string, platform: string): string | undefined {
  return namingOf(platform).userIdIn(word);
}
