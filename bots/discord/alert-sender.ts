import {
  DiscordAPIError,
  MessageFlags,
  REST,
  RESTEvents,
  RESTJSONErrorCodes,
  Routes,
  type RESTPatchAPIChannelMessageJSONBody,
  type RESTPostAPIChannelMessageJSONBody,
  type RESTPostAPIChannelMessageResult,
} from 'discord.js';
import { UndeliverableError, type AlertChannel } from '../../src/services/alerts/channels';
import type { Reply } from '../../src/chat/reply';
import type { Logger } from '../../src/config/logger';
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

  return {
    kind: 'discord',
    async post(channelId, message) {
      const answer = (await client
        .post(Routes.channelMessages(channelId), {
          body: channelMessage(message),
          signal: AbortSignal.timeout(deadlineMs),
        })
        .catch(classify(false))) as RESTPostAPIChannelMessageResult | undefined;
      if (!answer?.id) throw new Error('Discord answered a message create without an id');
      return { messageId: answer.id };
    },
    async update(channelId, messageId, message) {
      // An edit keeps every field it does not name: content the message had must be cleared.
      const body: RESTPatchAPIChannelMessageJSONBody = { content: null, ...channelMessage(message) };
      await client
        .patch(Routes.channelMessage(channelId, messageId), { body, signal: AbortSignal.timeout(deadlineMs) })
        .catch(classify(true));
    },
  };
}
