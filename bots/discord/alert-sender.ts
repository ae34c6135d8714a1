import {
  DiscordAPIError,
  MessageFlags,
  type APIChannel,
  REST,
  RESTEvents,
  RESTJSONErrorCodes,
  Routes,
  type RESTPatchAPIChannelMessageJSONBody,
  type RESTPostAPIChannelMessageJSONBody,
  type RESTPostAPIChannelMessageResult,
} from 'discord.js';
import { UndeliverableError, WorkspaceGoneError, type AlertChannel } from '../../src/services/alerts/channels';
import type { Reply } from '../../src/chat/reply';
import type { Logger } from '../../src/config/logger';
import { rememberChannelWorkspace, workspaceOfChannel, type Models } from '../../src/store';
import { createGoneServers, type GoneServers } from './gone-servers';
import { renderDiscordMessage } from './render';

export interface DiscordAlertSenderOptions {
  /** DISCORD_BOT_TOKEN; the bot needs View Channel and Send Messages in each alert channel. */
  token: string;
  /** DISCORD_API_URL: the REST base without the version (https://discord.com/api). */
  apiUrl: string;
  logger: Logger;
  /** Tries after the first one for a 5xx answer or a request that timed out. */
  retries?: number;
  /** Per request, in milliseconds. */
  timeoutMs?: number;
  /** A rate limit that asks to wait longer than this fails the call instead of waiting it out. */
  maxRateLimitWaitMs?: number;
  /** All of one call — queueing behind its rate-limit bucket, waits and tries — in milliseconds. */
  deadlineMs?: number;
  /**
   * The store, to follow the servers the bot was removed from: their bindings are marked gone and
   * their channels get nothing more. Without it every channel is simply tried.
   */
  models?: Pick<Models, 'Binding' | 'ChannelWorkspace'>;
  /** Shared with the gateway, which marks servers gone too; made from `models` when not given. */
  goneServers?: GoneServers;
}

/** Discord answers that trying again cannot change: the channel, not the moment, is the problem. */
const CHANNEL_ERRORS = new Set<number>([
  RESTJSONErrorCodes.UnknownChannel,
  RESTJSONErrorCodes.MissingAccess,
  RESTJSONErrorCodes.MissingPermissions,
  RESTJSONErrorCodes.CannotSendMessagesInNonTextChannel,
  RESTJSONErrorCodes.InvalidActionOnArchivedThread,
  RESTJSONErrorCodes.ThreadLocked,
  // The message itself was refused: a bug to fix here, not a reason to hold the alert stream.
  RESTJSONErrorCodes.InvalidFormBodyOrContentType,
  RESTJSONErrorCodes.CannotSendAnEmptyMessage,
]);
/** The message to edit no longer exists or can no longer be edited: post a new one. */
const GONE_ERRORS = new Set<number>([
  RESTJSONErrorCodes.UnknownMessage,
  RESTJSONErrorCodes.CannotEditMessageAuthoredByAnotherUser,
  RESTJSONErrorCodes.MaximumNumberOfEditsToMessagesOlderThanOneHourReached,
]);

/** Answers that may mean the bot is no longer in the channel's server: asked about the server then. */
const MAYBE_REMOVED = new Set<number>([
  RESTJSONErrorCodes.MissingAccess,
  RESTJSONErrorCodes.UnknownChannel,
  RESTJSONErrorCodes.UnknownGuild,
]);

/** Turns Discord's permanent refusals into UndeliverableError; anything else stays retriable. */
function classify(editing: boolean) {
  return (error: unknown): never => {
    if (error instanceof DiscordAPIError && typeof error.code === 'number') {
      const reason = `Discord: ${error.message} (${error.code})`;
      if (editing && GONE_ERRORS.has(error.code)) throw new UndeliverableError(reason, true);
      if (CHANNEL_ERRORS.has(error.code)) throw new UndeliverableError(reason);
    }
    throw error;
  };
}

/**
 * The alert as a channel message, rendered as every Discord reply is (with no pings). A channel
 * message is for everyone: the ephemeral flag of a reply left private by default is dropped.
 */
function channelMessage(message: Reply): RESTPostAPIChannelMessageJSONBody {
  const { flags, ...body } = renderDiscordMessage(message);
  const kept = (flags ?? 0) & ~MessageFlags.Ephemeral;
  return { ...body, ...(kept ? { flags: kept } : {}) };
}

/**
 * Discord as an alert channel: posts an alert message to a channel (POST /channels/{id}/messages)
 * and edits it in place (PATCH /channels/{id}/messages/{message id}), rendered by the Discord
 * renderer, with the bot token.
 *
 * Rate limits: @discordjs/rest keeps Discord's buckets (X-RateLimit-*) and waits before a request
 * that would exceed one; on a 429 it waits `retry_after` and tries again. Neither counts as a try,
 * so two bounds keep a consumer batch from waiting for ever: a wait longer than
 * `maxRateLimitWaitMs` rejects at once (RateLimitError), and each call has `deadlineMs` in all.
 * The error then reaches the consumer runner, which retries the batch with backoff without
 * committing: nothing is lost, and the notifier's saved state keeps channels already done from
 * being posted to twice.
 */
export function createDiscordAlertSender(options: DiscordAlertSenderOptions): AlertChannel {
  const log = options.logger.child({ component: 'discord-rest' });
  const maxWait = options.maxRateLimitWaitMs ?? 30_000;
  const deadlineMs = options.deadlineMs ?? 60_000;
  const client = new REST({
    api: options.apiUrl,
    retries: options.retries ?? 2,
    timeout: options.timeoutMs ?? 10_000,
    // Called for every rate limit, before waiting it out: the one place to log it and to give up.
    rejectOnRateLimit: ({ route, majorParameter, global, scope, retryAfter, timeToReset, sublimitTimeout }) => {
      const waitMs = Math.max(retryAfter, timeToReset, sublimitTimeout);
      const giveUp = waitMs > maxWait;
      log.info(
        { route, channelId: majorParameter, global, scope, waitMs },
        giveUp ? 'Discord rate limit longer than the sender waits: failing the call' : 'Discord rate limit: waiting',
      );
      return giveUp;
    },
  }).setToken(options.token);
  client.on(RESTEvents.Debug, (info) => log.debug(info));

  const models = options.models;
  const servers = options.goneServers ?? (models ? createGoneServers(models) : undefined);
  /** Channel → its server; null for a channel of none (a DM), so that it is not asked again. */
  const serverOf = new Map<string, string | null>();

  /**
   * The server that holds a channel: remembered in the store, else asked of Discord once, before
   * the first post there — after the bot is removed Discord no longer says.
   */
  async function serverOfChannel(channelId: string): Promise<string | undefined> {
    if (!models) return undefined;
    const cached = serverOf.get(channelId);
    if (cached !== undefined) return cached ?? undefined;
    const remembered = await workspaceOfChannel(models, 'discord', channelId);
    if (remembered) {
      serverOf.set(channelId, remembered);
      return remembered;
    }
    const channel = (await client
      .get(Routes.channel(channelId), { signal: AbortSignal.timeout(deadlineMs) })
      .catch((error: unknown) => {
        // The post that follows meets the same problem and says it; only the server stays unknown.
        log.debug({ err: error, channelId }, 'could not ask Discord which server holds the channel');
        return undefined;
      })) as APIChannel | undefined;
    if (!channel) return undefined;
    const serverId = 'guild_id' in channel && typeof channel.guild_id === 'string' ? channel.guild_id : undefined;
    if (serverId) await rememberChannelWorkspace(models, 'discord', channelId, serverId);
    serverOf.set(channelId, serverId ?? null);
    return serverId;
  }

  /** Whether the bot is still in a server: Discord shows a server only to its members. */
  async function stillIn(serverId: string): Promise<boolean | undefined> {
    try {
      await client.get(Routes.guild(serverId), { signal: AbortSignal.timeout(deadlineMs) });
      return true;
    } catch (error) {
      if (
        error instanceof DiscordAPIError &&
        (error.code === RESTJSONErrorCodes.MissingAccess || error.code === RESTJSONErrorCodes.UnknownGuild)
      )
        return false;
      // Not known now (an outage, a rate limit): the channel's own refusal stands.
      return undefined;
    }
  }

  const goneError = (serverId: string) =>
    new WorkspaceGoneError(`Discord: the bot is no longer in server ${serverId}`, serverId);

  /**
   * One post or edit in a channel: nothing is sent to a server the bot was removed from; a refusal
   * that may mean it was removed asks Discord about the server, and if the bot is not there, marks
   * the server's bindings gone (logged once) so that its alerts stop.
   */
  async function send<T>(channelId: string, editing: boolean, call: () => Promise<T>): Promise<T> {
    const serverId = await serverOfChannel(channelId);
    if (serverId && servers && (await servers.isGone(serverId))) throw goneError(serverId);
    try {
      return await call();
    } catch (error) {
      if (
        serverId &&
        servers &&
        error instanceof DiscordAPIError &&
        typeof error.code === 'number' &&
        MAYBE_REMOVED.has(error.code) &&
        (await stillIn(serverId)) === false
      ) {
        const tenants = await servers.markGone(serverId, 'refused');
        if (tenants.length > 0)
          log.warn(
            { guildId: serverId, channelId, tenants, code: error.code },
            'the bot is no longer in this Discord server: its bindings are marked gone and its alerts stop until it is linked again',
          );
        throw goneError(serverId);
      }
      return classify(editing)(error);
    }
  }

  return {
    kind: 'discord',
    async post(channelId, message) {
      const answer = (await send(channelId, false, () =>
        client.post(Routes.channelMessages(channelId), {
          body: channelMessage(message),
          signal: AbortSignal.timeout(deadlineMs),
        }),
      )) as RESTPostAPIChannelMessageResult | undefined;
      if (!answer?.id) throw new Error('Discord answered a message create without an id');
      return { messageId: answer.id };
    },
    async update(channelId, messageId, message) {
      // An edit keeps every field it does not name: content the message had must be cleared.
      const body: RESTPatchAPIChannelMessageJSONBody = { content: null, ...channelMessage(message) };
      await send(channelId, true, () =>
        client.patch(Routes.channelMessage(channelId, messageId), { body, signal: AbortSignal.timeout(deadlineMs) }),
      );
    },
  };
}
