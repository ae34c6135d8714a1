import { webApi } from '@slack/bolt';
import type { Logger } from '../../src/config/logger';

/**
 * A Slack user's locale (users.info with include_locale), so their answers come in their language.
 * Asked once per workspace and user and kept an hour: a person rarely changes Slack's language,
 * and a command should not wait for Slack each time. The cache is bounded (the oldest entries go
 * first). A lookup that fails or is slow means "no locale": the tenant's language answers then,
 * and the command is never held up or failed for it. A failed lookup is remembered briefly, so a
 * workspace whose token lacks users:read is not asked again on every click.
 */
export interface UserLocales {
  /** The user's locale (`en-US`, `da-DK`), or undefined when Slack does not tell us. */
  localeOf(teamId: string, userId: string, token: string | undefined): Promise<string | undefined>;
}

export interface UserLocalesOptions {
  /** SLACK_API_URL. */
  apiUrl: string;
  logger: Logger;
  /** How long a locale is believed; an hour by default. */
  ttlMs?: number;
  /** How long a failed lookup is believed; a minute by default. */
  failureTtlMs?: number;
  /** How many users are kept; the oldest are dropped beyond it. */
  maxEntries?: number;
  /** How long a lookup may take before the answer goes without it. */
  timeoutMs?: number;
  clock?: () => number;
}

interface Entry {
  locale: Promise<string | undefined>;
  until: number;
}

export function createUserLocales(options: UserLocalesOptions): UserLocales {
  const ttlMs = options.ttlMs ?? 60 * 60_000;
  const failureTtlMs = options.failureTtlMs ?? 60_000;
  const maxEntries = options.maxEntries ?? 5_000;
  const timeoutMs = options.timeoutMs ?? 2_000;
  const clock = options.clock ?? Date.now;
  const log = options.logger;
  // Its own client: the bot's retries for five minutes, which an answer cannot wait for.
  const client = new webApi.WebClient(undefined, {
    slackApiUrl: options.apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: timeoutMs,
  });
  const cache = new Map<string, Entry>();

  const remember = (key: string, entry: Entry) => {
    cache.delete(key);
    cache.set(key, entry);
    while (cache.size > maxEntries) {
      const oldest = cache.keys().next().value;
      if (oldest === undefined) break;
      cache.delete(oldest);
    }
  };

  return {
    localeOf(teamId, userId, token) {
      if (!token) return Promise.resolve(undefined);
      const key = `${teamId}:${userId}`;
      const hit = cache.get(key);
      if (hit && hit.until > clock()) return hit.locale;
      // Shared while in flight, so a burst of clicks asks once.
      const locale = client.users
        .info({ token, user: userId, include_locale: true })
        .then((answer) => answer.user?.locale || undefined)
        .catch((error: unknown) => {
          const entry = cache.get(key);
          if (entry?.locale === locale) entry.until = clock() + failureTtlMs;
          log.warn(
            { teamId, user: userId, error: (error as { code?: string; message?: string }).message },
            "could not ask Slack for a user's locale: answering in the tenant's language",
          );
          return undefined;
        });
      remember(key, { locale, until: clock() + ttlMs });
      return locale;
    },
  };
}
