import { parseAdminTokens } from '../domain/admin-tokens';
import { DEFAULT_MISSED_GRACE_SECONDS } from '../domain/cron-next';
import { parseEncryptionKey } from '../domain/token-cipher';
import { z } from 'zod';

/**
 * Every setting of the service comes from the environment and is validated here, once, at start.
 * README.md has the same table for people; keep the two in step.
 */

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const port = z.coerce
  .number({ message: 'must be a port number' })
  .int('must be a whole number')
  .min(0, 'must be between 0 and 65535')
  .max(65535, 'must be between 0 and 65535');

const positiveInt = z.coerce
  .number({ message: 'must be a number' })
  .int('must be a whole number')
  .positive('must be positive');

const nonNegativeInt = z.coerce
  .number({ message: 'must be a number' })
  .int('must be a whole number')
  .min(0, 'must be 0 or more');

const url = z.url({ message: 'must be a URL, e.g. https://example.com/' });

const smtpUrl = z
  .string()
  .trim()
  .regex(/^smtps?:\/\/\S+$/, 'must be an SMTP URL, e.g. smtp://user:password@mail.example.com:587');

const hourOfDay = z.coerce
  .number({ message: 'must be an hour of the day' })
  .int('must be a whole number')
  .min(0, 'must be between 0 and 23')
  .max(23, 'must be between 0 and 23');

const brokerList = z
  .string()
  .trim()
  .min(1, 'must list at least one broker, e.g. localhost:9092')
  .transform((value) =>
    value
      .split(',')
      .map((broker) => broker.trim())
      .filter(Boolean),
  )
  .pipe(
    z
      .array(z.string().regex(/^[^\s:]+:\d{1,5}$/, 'each broker must be host:port, e.g. localhost:9092'))
      .min(1, 'must list at least one broker, e.g. localhost:9092'),
  );

const mongoUrl = z
  .string()
  .trim()
  .regex(/^mongodb(\+srv)?:\/\/\S+$/, 'must be a MongoDB connection string, e.g. mongodb://localhost:27017/iex');

// Where to find each Slack credential is part of the message: the person fixing it is in the Slack app's settings.
const slackSigningSecret = z
  .string()
  .trim()
  .regex(/^\S+$/, "must be the Signing Secret from the Slack app's Basic Information page, without spaces");

const slackBotToken = z
  .string()
  .trim()
  .startsWith('xoxb-', "must be the Bot User OAuth Token (xoxb-…) from the Slack app's OAuth & Permissions page");

const slackAppToken = z
  .string()
  .trim()
  .startsWith(
    'xapp-',
    "must be an app-level token (xapp-…) with the connections:write scope, from the Slack app's Basic Information page",
  );

const slackClientId = z
  .string()
  .trim()
  .regex(/^\d+\.\d+$/, "must be the Client ID (digits.digits) from the Slack app's Basic Information page");

const slackClientSecret = z
  .string()
  .trim()
  .regex(/^\S+$/, "must be the Client Secret from the Slack app's Basic Information page, without spaces");

const slackStateSecret = z
  .string()
  .trim()
  .min(
    32,
    'must be at least 32 characters of your own choosing (e.g. openssl rand -base64 32): it signs the OAuth state',
  );

// Checked (not decoded) here: the key itself stays a string in the frozen config and is read where it is used.
const encryptionKey = z.string().superRefine((value, ctx) => {
  const parsed = parseEncryptionKey(value);
  if ('problem' in parsed) ctx.addIssue({ code: 'custom', message: parsed.problem });
});

// Discord's values are all on the application's pages of the Developer Portal: the message says which one.
const discordPublicKey = z
  .string()
  .trim()
  .regex(
    /^[0-9a-f]{64}$/i,
    "must be the Public Key (64 hex characters) from the Discord application's General Information page",
  );

const snowflake = (what: string) =>
  z
    .string()
    .trim()
    .regex(/^\d{17,20}$/, `must be ${what} (a Discord id of 17 to 20 digits)`);

const discordBotToken = z
  .string()
  .trim()
  .regex(
    /^[\w-]+\.[\w-]+\.[\w-]+$/,
    "must be the bot token from the Discord application's Bot page (three parts separated by dots)",
  );

const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    HOST: z.string().min(1).default('127.0.0.1'),
    PORT: port.default(3000),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    LOG_FORMAT: z.enum(['pretty', 'json']).optional(),
    KAFKA_BROKERS: brokerList,
    KAFKA_CLIENT_ID: z.string().min(1).default('iex-chatops'),
    KAFKA_NAMESPACE: z
      .string()
      .regex(/^[a-z0-9-]*$/, 'may hold only lower-case letters, digits and dashes')
      .default(''),
    KAFKA_PARTITIONS: positiveInt.default(3),
    KAFKA_REPLICATION_FACTOR: positiveInt.default(1),
    /** Sends to one topic within this many ms share one produce request; 0 sends each on its own. */
    KAFKA_LINGER_MS: nonNegativeInt.default(2),
    /** A shared produce request goes out at once at this many messages… */
    KAFKA_BATCH_MAX_MESSAGES: positiveInt.default(500),
    /** …or this many bytes (under the broker's 1 MiB message.max.bytes). */
    KAFKA_BATCH_MAX_BYTES: positiveInt.default(921_600),
    /** TLS to the brokers (managed Kafka); the system's CAs, or KAFKA_SSL_CA_FILE's. */
    KAFKA_SSL: bool.default(false),
    KAFKA_SSL_CA_FILE: z.string().min(1).optional(),
    /** SASL over the connection (with KAFKA_SSL on anything but a private network). */
    KAFKA_SASL_MECHANISM: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']).optional(),
    KAFKA_SASL_USERNAME: z.string().min(1).optional(),
    KAFKA_SASL_PASSWORD: z.string().min(1).optional(),
    MONGO_URL: mongoUrl,
    DEMO_SEED: bool.default(true),
    /** Run the demo engine, which answers the demo tenant's commands; unset: on when DEMO_SEED is. */
    DEMO_ENGINE: bool.optional(),
    WEBHOOK_MAX_BODY_BYTES: positiveInt.default(1_048_576),
    WEBHOOK_MAX_EVENTS: positiveInt.default(500),
    INGEST_KAFKA_TIMEOUT_MS: positiveInt.default(5_000),
    /** Each /healthz check (store write and read, broker, recorder lag) fails after this long. */
    HEALTH_TIMEOUT_MS: positiveInt.default(2_500),
    /** The recorder is behind and has committed nothing for this long: /healthz says it is stuck. */
    RECORDER_STUCK_SECONDS: positiveInt.default(120),
    /** A request not answered within this long gets 503 {"error":"timeout"} with Retry-After. */
    REQUEST_TIMEOUT_MS: positiveInt.default(10_000),
    /**
     * SIGTERM/SIGINT stop the service within this long, even when the broker or the store hangs;
     * keep it below the orchestrator's grace period (Kubernetes: 30 s by default).
     */
    SHUTDOWN_TIMEOUT_MS: positiveInt.min(1_000, 'must be at least 1000').default(20_000),
    RETENTION_DAYS: positiveInt.default(30),
    STORE_BULK_MAX: positiveInt
      .max(90, 'must be at most 90: FerretDB v1 hangs on a bulk of more than about 100 statements')
      .default(25),
    /** Update statements in flight at once per instance: FerretDB v1 hangs past ~100 per database. */
    STORE_UPDATE_CONCURRENCY: positiveInt
      .max(90, 'must be at most 90: FerretDB v1 hangs with more than about 100 update statements in flight')
      .default(40),
    RECORDER_CACHE_TRANSFERS: nonNegativeInt.default(10_000),
    RETENTION_MAX_TRANSFERS: positiveInt.default(10_000),
    JOBS_ENABLED: bool.default(true),
    ALERT_WINDOW_MINUTES: positiveInt.default(60),
    ALERT_REPEAT_MINUTES: positiveInt.default(60),
    ALERT_THRESHOLD: positiveInt.default(1),
    /** How often each instance re-reads the connections' schedules, so a change needs no restart. */
    JOB_RELOAD_SECONDS: positiveInt.default(15),
    /** A claimed tick whose instance died is taken over by another after this long. */
    JOB_LEASE_SECONDS: positiveInt.default(60),
    /** A sync run that produced no transfer within this long is recorded as "no answer". */
    JOB_ANSWER_TIMEOUT_SECONDS: positiveInt.default(1800),
    /** A run not started this long after it was due counts as missed. */
    JOB_MISSED_GRACE_SECONDS: positiveInt.default(DEFAULT_MISSED_GRACE_SECONDS),
    /** This many failed (or unanswered) runs of a job in a row raise one grouped alert. */
    JOB_FAILURE_ALERT_AFTER: positiveInt.default(3),
    /** The hour (in each tenant's time zone) the daily digest of yesterday is sent. */
    DIGEST_HOUR: hourOfDay.default(8),
    /** Notification e-mails go out through this server; without it they wait in the outbox. */
    SMTP_URL: smtpUrl.optional(),
    MAIL_FROM: z.string().trim().min(3).default('IEX ChatOps <chatops@localhost>'),
    /** A mail that failed this many times is given up (and logged as an error). */
    MAIL_MAX_ATTEMPTS: positiveInt.default(8),
    /** The first retry of a failed mail waits this long; each next one twice as long (at most 1 h). */
    MAIL_RETRY_SECONDS: positiveInt.default(30),
    /** The address people open links in mails and chat at; default http://HOST:PORT. */
    PUBLIC_URL: url.optional(),
    /** Signs those links; without it a random one is drawn at start, and links die with the process. */
    LINK_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    LINK_TTL_DAYS: positiveInt.default(30),
    /** Named bearer tokens of the admin API (`name:token[:scope]`, comma-separated); unset: /admin/v1 is off. */
    ADMIN_TOKENS: z
      .string()
      .superRefine((value, ctx) => {
        const parsed = parseAdminTokens(value);
        if ('problem' in parsed) ctx.addIssue({ code: 'custom', message: parsed.problem });
      })
      .optional(),
    SLACK_API_URL: url.default('https://slack.com/api/'),
    /** With SLACK_BOT_TOKEN: the Slack bot answers at POST /slack/events. Without both, it is off. */
    SLACK_SIGNING_SECRET: slackSigningSecret.optional(),
    SLACK_BOT_TOKEN: slackBotToken.optional(),
    /** Socket Mode instead of HTTP: the bot connects out to Slack, no public URL needed. */
    SLACK_APP_TOKEN: slackAppToken.optional(),
    /**
     * With SLACK_CLIENT_SECRET: the app is distributed (OAuth v2), installed by each workspace at
     * GET /slack/install, and every Slack call uses the token of the workspace it goes to.
     */
    SLACK_CLIENT_ID: slackClientId.optional(),
    SLACK_CLIENT_SECRET: slackClientSecret.optional(),
    /** Signs the state parameter of the OAuth flow (CSRF protection). */
    SLACK_STATE_SECRET: slackStateSecret.optional(),
    /** AES-256-GCM key for the installations' bot tokens at rest: 32 bytes as hex or base64. */
    INSTALLATION_ENCRYPTION_KEY: encryptionKey.optional(),
    DISCORD_API_URL: url.default('https://discord.com/api'),
    /** Turns on POST /discord/interactions: every request is verified against this key. */
    DISCORD_PUBLIC_KEY: discordPublicKey.optional(),
    /** Interaction responses are edited and followed up through the application's webhook routes. */
    DISCORD_APPLICATION_ID: snowflake(
      "the Application ID from the Discord application's General Information page",
    ).optional(),
    /** Without DISCORD_PUBLIC_KEY: interactions arrive through the gateway instead (no public URL needed). */
    DISCORD_BOT_TOKEN: discordBotToken.optional(),
    /** Members holding this role act as admins, besides those with Manage Server. */
    DISCORD_ADMIN_ROLE_ID: snowflake('the id of a role of your server (Copy Role ID in Developer Mode)').optional(),
  })
  .superRefine((env, ctx) => {
    if (env.KAFKA_SASL_MECHANISM) {
      for (const key of ['KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD'] as const) {
        if (!env[key])
          ctx.addIssue({ code: 'custom', path: [key], message: 'is required when KAFKA_SASL_MECHANISM is set' });
      }
    } else if (env.KAFKA_SASL_USERNAME || env.KAFKA_SASL_PASSWORD) {
      ctx.addIssue({
        code: 'custom',
        path: ['KAFKA_SASL_MECHANISM'],
        message: 'is required with KAFKA_SASL_USERNAME / KAFKA_SASL_PASSWORD: plain, scram-sha-256 or scram-sha-512',
      });
    }
    if (env.KAFKA_SSL_CA_FILE && !env.KAFKA_SSL) {
      ctx.addIssue({ code: 'custom', path: ['KAFKA_SSL'], message: 'must be true when KAFKA_SSL_CA_FILE is set' });
    }
    // The request deadline is the last resort: the waits it encloses must end first, with their own answer.
    for (const inner of ['INGEST_KAFKA_TIMEOUT_MS', 'HEALTH_TIMEOUT_MS'] as const) {
      if (env.REQUEST_TIMEOUT_MS <= env[inner]) {
        ctx.addIssue({
          code: 'custom',
          path: ['REQUEST_TIMEOUT_MS'],
          message: `must be larger than ${inner} (${env[inner]})`,
        });
      }
    }
    // Half a Slack configuration is a mistake, not a wish to run without Slack: say so at start.
    const distributed = Boolean(env.SLACK_CLIENT_ID || env.SLACK_CLIENT_SECRET);
    if (distributed) {
      const needs = [
        ['SLACK_CLIENT_ID', "the Client ID from the Slack app's Basic Information page"],
        ['SLACK_CLIENT_SECRET', "the Client Secret from the Slack app's Basic Information page"],
        ['SLACK_SIGNING_SECRET', "the Signing Secret from the Slack app's Basic Information page"],
        ['SLACK_STATE_SECRET', 'a secret of your own of at least 32 characters (openssl rand -base64 32)'],
        [
          'INSTALLATION_ENCRYPTION_KEY',
          'a 32-byte key as hex or base64 (openssl rand -base64 32); keep it: tokens sealed with it open only with it',
        ],
      ] as const;
      for (const [key, what] of needs) {
        if (!env[key])
          ctx.addIssue({
            code: 'custom',
            path: [key],
            message: `is required to distribute the Slack app (SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are set): ${what}`,
          });
      }
      if (env.SLACK_APP_TOKEN) {
        ctx.addIssue({
          code: 'custom',
          path: ['SLACK_APP_TOKEN'],
          message:
            'must not be set when the Slack app is distributed (SLACK_CLIENT_ID): installs, events and commands arrive over HTTP at /slack/…, not through Socket Mode',
        });
      }
    }
    if (env.SLACK_BOT_TOKEN && !env.SLACK_SIGNING_SECRET && !env.SLACK_APP_TOKEN) {
      ctx.addIssue({
        code: 'custom',
        path: ['SLACK_SIGNING_SECRET'],
        message:
          "is required when SLACK_BOT_TOKEN is set: the Signing Secret from the Slack app's Basic Information page (or set SLACK_APP_TOKEN for Socket Mode)",
      });
    }
    if (!distributed && !env.SLACK_BOT_TOKEN && (env.SLACK_SIGNING_SECRET || env.SLACK_APP_TOKEN)) {
      ctx.addIssue({
        code: 'custom',
        path: ['SLACK_BOT_TOKEN'],
        message: `is required when ${env.SLACK_SIGNING_SECRET ? 'SLACK_SIGNING_SECRET' : 'SLACK_APP_TOKEN'} is set: the Bot User OAuth Token (xoxb-…) from the Slack app's OAuth & Permissions page`,
      });
    }
    // Either way in, the Discord bot answers through the application's webhook routes.
    if ((env.DISCORD_PUBLIC_KEY || env.DISCORD_BOT_TOKEN) && !env.DISCORD_APPLICATION_ID) {
      ctx.addIssue({
        code: 'custom',
        path: ['DISCORD_APPLICATION_ID'],
        message: `is required when ${env.DISCORD_PUBLIC_KEY ? 'DISCORD_PUBLIC_KEY' : 'DISCORD_BOT_TOKEN'} is set: the Application ID from the Discord application's General Information page`,
      });
    }
  });

/** Every setting's name, for the check that README's settings tables name each one. */
export const SETTING_NAMES: readonly string[] = Object.keys(envSchema.shape);

export type Config = Readonly<Omit<z.infer<typeof envSchema>, 'LOG_FORMAT'> & { LOG_FORMAT: 'pretty' | 'json' }>;

/** A configuration problem: one line per bad variable, naming it and what it should be. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((line) => `  ${line}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Validates the environment. Empty strings count as unset, so `PORT=` falls back to the default
 * rather than failing as "not a number".
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, isTty = Boolean(process.stdout.isTTY)): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? 'environment');
      const message = issue.code === 'invalid_type' && present[name] === undefined ? 'is required' : issue.message;
      return `${name} ${message}`;
    });
    throw new ConfigError([...new Set(problems)]);
  }
  return Object.freeze({ ...parsed.data, LOG_FORMAT: parsed.data.LOG_FORMAT ?? (isTty ? 'pretty' : 'json') });
}
