import { ErrorCode, LogLevel, WebClient, type Logger as SlackLogger, type WebAPIPlatformError } from '@slack/web-api';
import {
  UndeliverableError,
  WorkspaceGoneError,
  type AlertChannel,
  type AlertMeta,
} from '../../src/services/alerts/channels';
import type { Logger } from '../../src/config/logger';
import { renderMessage } from './render';

/**
 * Where a channel may be (bots/slack/channel-workspaces.ts), most likely first, and the bot token
 * of each of those workspaces that has the app installed (bots/slack/workspace-tokens.ts).
 */
export type AlertTokens = (
  channel: string,
  meta: AlertMeta | undefined,
) => Promise<{ candidates: string[]; installed: Array<{ workspaceId: string; token: string }> }>;

export interface SlackAlertSenderOptions {
  /** SLACK_BOT_TOKEN (xoxb-…), with the chat:write scope: one workspace, every alert. */
  token?: string;
  /** Distributed: each channel's workspace's token instead of `token`. */
  tokens?: AlertTokens;
  /** SLACK_API_URL: the Web API base, with a trailing slash. */
  apiUrl: string;
  logger: Logger;
  /** Tries after the first one, for a rate limit (after its Retry-After) or a failed request. */
  retries?: number;
  /** Per request, in milliseconds. */
  timeoutMs?: number;
}

/** Slack answers that trying again cannot change: the channel, not the moment, is the problem. */
const CHANNEL_ERRORS = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'restricted_action',
  'restricted_action_read_only_channel',
  'restricted_action_thread_only_channel',
  'team_access_not_granted',
  'ekm_access_denied',
  // The message itself was refused: a bug to fix here, not a reason to hold the alert stream.
  'invalid_blocks',
  'invalid_blocks_format',
  'msg_too_long',
  'no_text',
  'invalid_arguments',
]);
/** The message to edit no longer exists or can no longer be edited. */
const GONE_ERRORS = new Set(['message_not_found', 'cant_update_message', 'edit_window_closed']);

function platformError(error: unknown): string | undefined {
  const coded = error as Partial<WebAPIPlatformError> | undefined;
  return coded?.code === ErrorCode.PlatformError ? coded.data?.error : undefined;
}

/**
 * A workspace's token no longer works: the app was uninstalled or the token revoked there. With one
 * token for everything that is a setting to fix (the error stays retriable, and loud); distributed,
 * it is that workspace's matter alone (WorkspaceGoneError: the notifier counts the skip).
 */
const WORKSPACE_ERRORS = new Set(['token_revoked', 'invalid_auth', 'account_inactive', 'not_authed']);

/** Turns Slack's permanent refusals into UndeliverableError; anything else stays retriable. */
function classify(error: unknown, workspaceId?: string): never {
  const reason = platformError(error);
  if (reason && GONE_ERRORS.has(reason)) throw new UndeliverableError(`Slack: ${reason}`, true);
  if (reason && CHANNEL_ERRORS.has(reason)) throw new UndeliverableError(`Slack: ${reason}`);
  if (workspaceId !== undefined && reason && WORKSPACE_ERRORS.has(reason))
    throw new WorkspaceGoneError(`Slack: ${reason} in workspace ${workspaceId}`, workspaceId);
  throw error;
}

/** The WebClient's log lines through pino, at debug: the notifier logs outcomes itself. */
function slackLogger(logger: Logger): SlackLogger {
  const log = logger.child({ component: 'slack-web-api' });
  const line = (msg: unknown[]) => msg.map(String).join(' ');
  return {
    debug: (...msg) => log.debug(line(msg)),
    info: (...msg) => log.debug(line(msg)),
    warn: (...msg) => log.warn(line(msg)),
    error: (...msg) => log.error(line(msg)),
    setLevel: () => undefined,
    getLevel: () => LogLevel.DEBUG,
    setName: () => undefined,
  };
}

/**
 * Slack as an alert channel: posts an alert message to a channel with chat.postMessage and edits
 * it with chat.update, rendered by the Slack renderer.
 *
 * Rate limits: the WebClient honours Retry-After itself (it pauses its queue for the time Slack
 * asks, then tries again), for at most `retries` more tries, each bounded by `timeoutMs`; so a
 * consumer batch waits for Slack, but not forever. When the tries run out the error reaches the
 * consumer runner, which retries the batch with backoff without committing: nothing is lost.
 */
export function createSlackAlertSender(options: SlackAlertSenderOptions): AlertChannel {
  const { token, tokens } = options;
  if (!token === !tokens) throw new Error('the Slack alert sender takes either one token or a token per workspace');
  const client = new WebClient(undefined, {
    slackApiUrl: options.apiUrl,
    rejectRateLimitedCalls: false,
    retryConfig: { retries: options.retries ?? 3, factor: 2, minTimeout: 250, maxTimeout: 5_000 },
    timeout: options.timeoutMs ?? 10_000,
    logger: slackLogger(options.logger),
  });

  /**
   * Runs a call with the channel's token. Distributed, a channel Slack does not find in one of the
   * tenant's workspaces is tried in the next; a tenant whose workspaces have all uninstalled the
   * app gets no call at all.
   */
  async function withToken<T>(channel: string, meta: AlertMeta | undefined, call: (token: string) => Promise<T>) {
    if (token) return call(token).catch((error: unknown) => classify(error));
    const { candidates, installed } = await tokens!(channel, meta);
    if (candidates.length === 0) throw new UndeliverableError('Slack: the tenant has no Slack workspace linked');
    if (installed.length === 0) {
      throw new WorkspaceGoneError(`Slack: the app is not installed in workspace ${candidates[0]}`, candidates[0]!);
    }
    for (const [index, { workspaceId, token: as }] of installed.entries()) {
      try {
        return await call(as);
      } catch (error) {
        if (platformError(error) === 'channel_not_found' && index < installed.length - 1) continue;
        classify(error, workspaceId);
      }
    }
    throw new UndeliverableError('Slack: channel_not_found');
  }

  return {
    kind: 'slack',
    async post(channel, message, meta) {
      const { text, blocks } = renderMessage(message);
      const answer = await withToken(channel, meta, (as) =>
        client.chat.postMessage({ token: as, channel, text, blocks, unfurl_links: false }),
      );
      if (!answer.ts) throw new Error('Slack answered chat.postMessage without a ts');
      return { messageId: answer.ts };
    },
    async update(channel, ts, message, meta) {
      const { text, blocks } = renderMessage(message);
      await withToken(channel, meta, (as) => client.chat.update({ token: as, channel, ts, text, blocks }));
    },
  };
}
