import { DeadlineExceeded } from '../domain/with-deadline';

/**
 * Tells a dependency outage (the store, the broker or a chat platform is unreachable, overloaded,
 * stepping down or timing out) from everything else, which is taken as a fault of the message at
 * hand. A consumer waits an outage out holding its partition; a message fault is retried a few
 * times and then isolated and dead-lettered. Recognised by names, codes and labels rather than
 * `instanceof`, so errors that crossed a wrapper (mongoose, a bulk write, a retry loop) still count,
 * and this module imports no client library.
 *
 * When in doubt an error is an outage only if it says so: a missed outage costs a dead letter that
 * an operator can replay, a missed message fault stalls a partition for every tenant on it.
 */

/** Error classes of the MongoDB driver, mongoose, kafkajs, fetch and discord.js that mean "unreachable". */
const OUTAGE_NAMES = new Set([
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoClientClosedError',
  'MongoServerClosedError',
  'MongoPoolClearedError',
  'PoolClearedError',
  'MongoPoolClosedError',
  'MongoWaitQueueTimeoutError',
  'MongoOperationTimeoutError',
  'MongoStalePrimaryError',
  'MongooseServerSelectionError',
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSNoBrokerAvailableError',
  'KafkaJSBrokerNotFound',
  'KafkaJSGroupCoordinatorNotFound',
  'KafkaJSMetadataNotLoaded',
  'KafkaJSTopicMetadataNotLoaded',
  'KafkaJSTimeout',
  'KafkaJSLockTimeout',
  // Wrong broker credentials fail every message alike: isolating one would dead-letter them all.
  'KafkaJSSASLAuthenticationError',
  // fetch's AbortSignal.timeout, and an abort while the runner stops.
  'TimeoutError',
  'AbortError',
  // discord.js REST when a rate limit's wait would be too long.
  'RateLimitError',
  DeadlineExceeded.name,
  // Another door (CLI, admin API) is changing the same tenant: its claim ends within a minute.
  'TenantBusy',
]);

/** MongoDB driver labels for errors worth retrying as they are. */
const OUTAGE_LABELS = [
  'RetryableWriteError',
  'RetryableError',
  'ResetPool',
  'HandshakeError',
  'PoolRequestedRetry',
  'InterruptInUseConnections',
  'SystemOverloadedError',
  'TransientTransactionError',
  'NetworkError',
];

/**
 * MongoDB server codes for "not primary", "shutting down", "interrupted", "unreachable" and time
 * limits, plus authentication, which fails every message alike.
 */
const OUTAGE_MONGO_CODES = new Set([
  6, 7, 13, 18, 50, 64, 89, 91, 189, 262, 9001, 10058, 10107, 11600, 11602, 13435, 13436,
]);

/** Node and undici socket error codes. */
const OUTAGE_SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);

/** @slack/web-api: no answer, or rate-limited past its own retries. */
const OUTAGE_SLACK_CODES = new Set(['slack_webapi_request_error', 'slack_webapi_rate_limited_error']);

/** Slack platform errors that are about the workspace or Slack itself, never one message. */
const OUTAGE_SLACK_ERRORS = new Set([
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'ratelimited',
  'service_unavailable',
  'internal_error',
  'fatal_error',
  'request_timeout',
]);

/** mongoose's own messages while it has no connection. */
const OUTAGE_MESSAGES = [
  /buffering timed out after/i,
  /before initial connection is complete/i,
  /client must be connected/i,
  /connection was force closed/i,
];

type ErrorLike = {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  status?: unknown;
  statusCode?: unknown;
  retriable?: unknown;
  errorLabels?: unknown;
  hasErrorLabel?: unknown;
  writeErrors?: unknown;
  writeConcernError?: unknown;
  data?: unknown;
};

function hasLabel(error: ErrorLike, label: string): boolean {
  if (typeof error.hasErrorLabel === 'function') {
    try {
      if ((error.hasErrorLabel as (label: string) => unknown).call(error, label) === true) return true;
    } catch {
      // A getter of someone else's error class; the label list below still counts.
    }
  }
  return Array.isArray(error.errorLabels) && error.errorLabels.includes(label);
}

function isMongoServerCodeOutage(error: ErrorLike): boolean {
  // Numeric codes mean other things elsewhere (Kafka protocol codes, say): only for MongoDB errors.
  if (typeof error.name !== 'string' || !/^Mongo/.test(error.name)) return false;
  const codes: unknown[] = [error.code];
  if (error.writeConcernError && typeof error.writeConcernError === 'object') {
    codes.push((error.writeConcernError as { code?: unknown }).code);
  }
  if (Array.isArray(error.writeErrors)) {
    for (const writeError of error.writeErrors) codes.push((writeError as { code?: unknown } | null)?.code);
  }
  return codes.some((code) => typeof code === 'number' && OUTAGE_MONGO_CODES.has(code));
}

function isHttpOutage(error: ErrorLike): boolean {
  const status = typeof error.status === 'number' ? error.status : error.statusCode;
  return typeof status === 'number' && (status === 401 || status === 408 || status === 429 || status >= 500);
}

/** The one error itself, without what it wraps. */
function saysOutage(error: ErrorLike): boolean {
  if (error.retriable === true) return true;
  if (typeof error.name === 'string' && OUTAGE_NAMES.has(error.name)) return true;
  if (OUTAGE_LABELS.some((label) => hasLabel(error, label))) return true;
  if (isMongoServerCodeOutage(error)) return true;
  if (typeof error.code === 'string' && (OUTAGE_SOCKET_CODES.has(error.code) || OUTAGE_SLACK_CODES.has(error.code))) {
    return true;
  }
  const slackError = (error.data as { error?: unknown } | undefined)?.error;
  if (error.code === 'slack_webapi_platform_error' && typeof slackError === 'string') {
    if (OUTAGE_SLACK_ERRORS.has(slackError)) return true;
  }
  if (isHttpOutage(error)) return true;
  const message = typeof error.message === 'string' ? error.message : '';
  return OUTAGE_MESSAGES.some((pattern) => pattern.test(message));
}

/** What an error wraps: `cause`, a bulk write's driver error, kafkajs/Slack originals, an aggregate. */
function wrapped(error: object): unknown[] {
  const inner: unknown[] = [];
  const fields = error as {
    cause?: unknown;
    errorResponse?: unknown;
    originalError?: unknown;
    original?: unknown;
    errors?: unknown;
  };
  inner.push(fields.cause, fields.originalError, fields.original);
  // MongoBulkWriteError keeps the driver error it wraps (a network error mid-write) here.
  if (fields.errorResponse instanceof Error) inner.push(fields.errorResponse);
  if (Array.isArray(fields.errors)) inner.push(...fields.errors);
  return inner.filter((candidate) => typeof candidate === 'object' && candidate !== null);
}

/**
 * True when `error`, or anything it wraps, says a dependency is unreachable, overloaded or timing
 * out: waiting helps, isolating a message does not. Everything else is a message-fault candidate.
 */
export function isDependencyOutage(error: unknown): boolean {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length > 0 && seen.size < 32) {
    const current = queue.shift();
    if (typeof current !== 'object' || current === null || seen.has(current)) continue;
    seen.add(current);
    if (saysOutage(current as ErrorLike)) return true;
    queue.push(...wrapped(current));
  }
  return false;
}

/** The broker's error 14 as the protocol names it, and as kafkajs 2 names it. */
const COORDINATOR_LOADING_TYPES = new Set(['COORDINATOR_LOAD_IN_PROGRESS', 'GROUP_LOAD_IN_PROGRESS']);

/**
 * True for the broker's "The coordinator is loading and hence can't process requests" (error 14),
 * which a group sees for a while after a broker starts.
 */
export function isCoordinatorLoading(error: unknown): boolean {
  const seen = new Set<unknown>();
  for (let current: unknown = error; typeof current === 'object' && current !== null && !seen.has(current);) {
    seen.add(current);
    const { type, message } = current as { type?: unknown; message?: unknown };
    if (typeof type === 'string' && COORDINATOR_LOADING_TYPES.has(type)) return true;
    if (typeof message === 'string' && /coordinator is loading/i.test(message)) return true;
    current =
      (current as { cause?: unknown; originalError?: unknown }).cause ??
      (current as { originalError?: unknown }).originalError;
  }
  return false;
}

const MAX_REASON_LENGTH = 500;

/**
 * A dead letter's reason for an error: its message on one line, credentials in URLs masked, cut to
 * a sane length; never a stack.
 */
export function describeFailure(error: unknown): string {
  const raw =
    error instanceof Error
      ? error.message || error.name
      : typeof error === 'string'
        ? error
        : (() => {
            try {
              return JSON.stringify(error) ?? String(error);
            } catch {
              return String(error);
            }
          })();
  const text = raw
    .replace(/\s+/g, ' ')
    .trim()
    // mongodb://user:secret@host, https://token@host
    .replace(/([a-z][a-z0-9+.-]*:\/\/)[^\s/@]+@/gi, '$1***@')
    // Bearer tokens, Slack tokens
    .replace(/\b(bearer|bot)\s+[A-Za-z0-9._~+/=-]{8,}/gi, '$1 ***')
    .replace(/\bxox[a-z]-[A-Za-z0-9-]+/g, 'xox*-***');
  return text.length > MAX_REASON_LENGTH ? `${text.slice(0, MAX_REASON_LENGTH - 1)}…` : text || 'unknown error';
}
