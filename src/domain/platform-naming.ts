/**
 * How each chat platform writes and reads people and channels. A platform brings its naming with
 * its ChatPlatform (bots/chat-platform.ts) and the composition root hands it to `namePlatform`, so
 * the command core and the notification rules name people and channels on a platform they do not
 * know of. Slack's, Discord's and the console's are built in, so that the core names them without
 * a running service (tests, tools): a table of pure rules, set once when the service is put together.
 */
export interface PlatformNaming {
  /** The platform in a sentence: "Slack channel `C1`". */
  title: string;
  /** What the platform calls the place a bot is added to ("workspace", Discord's "server"); default "workspace". */
  workspace?: string;
  /** A person in a reply, as the platform renders it. */
  mention(userId: string, displayName?: string): string;
  /**
   * The user id in a word as the platform sends a mention, or a bare id typed as it looks there.
   * Undefined for anything else, e.g. a plain `@name` that the platform did not turn into a mention.
   */
  userIdIn(word: string): string | undefined;
  /** A channel in a reply read on this platform, as a link to it. */
  channel(channelId: string): string;
  /** The channel id in a word as the platform sends a channel mention, or a bare channel id; else undefined. */
  channelIdIn(word: string): string | undefined;
}

/** Mentions as Slack and Discord write them: `<@user>` and `<#channel>`, with the ids each platform has. */
export function angleBracketNaming(
  title: string,
  ids: { user: RegExp; channel: RegExp; channelMention: RegExp },
): PlatformNaming {
  return {
    title,
    mention: (userId) => `<@${userId}>`,
    userIdIn(word) {
      // Slack `<@U123>` or `<@U123|name>`, Discord `<@123>` or `<@!123>`, or a bare id.
      const match = /^<@!?([A-Za-z0-9]+)(?:\|[^>]*)?>$/.exec(word.trim());
      const id = match?.[1] ?? word.trim();
      return ids.user.test(id) ? id : undefined;
    },
    channel: (channelId) => `<#${channelId}>`,
    channelIdIn(word) {
      const match = ids.channelMention.exec(word) ?? ids.channel.exec(word);
      return match ? (match[1] ?? match[0]) : undefined;
    },
  };
}

/** The console has no mentions and no channels: it shows the name the caller gave. */
const CONSOLE: PlatformNaming = {
  title: 'console',
  mention: (userId, displayName) => displayName ?? userId,
  userIdIn: () => undefined,
  channel: (channelId) => channelId,
  channelIdIn: () => undefined,
};

const namings = new Map<string, PlatformNaming>([
  ['console', CONSOLE],
  [
    'slack',
    angleBracketNaming('Slack', {
      user: /^[UW][A-Z0-9]{4,}$/,
      channel: /^[CGD][A-Z0-9]{8,}$/,
      // `<#C123|name>`, as Slack sends a channel picked while typing.
      channelMention: /^<#([A-Z][A-Z0-9]+)(?:\|[^>]*)?>$/,
    }),
  ],
  [
    'discord',
    {
      ...angleBracketNaming('Discord', {
        user: /^\d{15,22}$/,
        channel: /^\d{17,20}$/,
        channelMention: /^<#(\d{17,20})>$/,
      }),
      workspace: 'server',
    },
  ],
]);

/** Matches no id: a platform that brought no naming has none the core could read. */
const NOTHING = /(?!)/;

/** A platform that names people or channels its own way says so once, when the service is put together. */
export function namePlatform(platform: string, naming: PlatformNaming): void {
  namings.set(platform, naming);
}

/** The naming of a platform; one that brought none is written as Slack and Discord write theirs, with no ids read. */
export function namingOf(platform: string): PlatformNaming {
  return (
    namings.get(platform) ?? angleBracketNaming(platform, { user: NOTHING, channel: NOTHING, channelMention: NOTHING })
  );
}

/** The platforms whose channels can be named (not the console), with their namings. */
export function channelPlatforms(): Array<[string, PlatformNaming]> {
  return [...namings].filter(([, naming]) => naming !== CONSOLE);
}
