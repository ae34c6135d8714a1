import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * Paths that may carry secrets anywhere in a log record. pino's redaction needs explicit paths;
 * these cover the headers and settings objects the service logs.
 */
export const REDACTED_PATHS = [
  'password',
  'secret',
  'token',
  '*.password',
  '*.secret',
  '*.token',
  '*.signingSecret',
  '*.webhookSecret',
  '*.apiKey',
  'req.headers.authorization',
  'req.headers["x-iex-signature"]',
  'req.headers["x-shopify-hmac-sha256"]',
  'req.headers["x-slack-signature"]',
  'req.headers["x-signature-ed25519"]',
  'headers.authorization',
  'config.MONGO_URL',
  // The Slack credentials, wherever a settings object carrying them is logged.
  '*.SLACK_SIGNING_SECRET',
  '*.SLACK_BOT_TOKEN',
  '*.SLACK_APP_TOKEN',
  '*.botToken',
  '*.appToken',
  // A distributed Slack app's OAuth credentials and the key that seals the installations' tokens.
  '*.SLACK_CLIENT_SECRET',
  '*.SLACK_STATE_SECRET',
  '*.INSTALLATION_ENCRYPTION_KEY',
  '*.clientSecret',
  '*.stateSecret',
  '*.client_secret',
  // The admin API's bearer tokens.
  '*.ADMIN_TOKENS',
  // The Discord bot token (the public key and application id are not secrets).
  '*.DISCORD_BOT_TOKEN',
  // Kafka's SASL password, as a setting and in kafkajs's own options.
  '*.KAFKA_SASL_PASSWORD',
  'sasl.password',
  '*.sasl.password',
];

export interface LoggerOptions {
  level: string;
  format: 'pretty' | 'json';
  /** Where records go; tests pass a stream to read what was logged. */
  destination?: DestinationStream;
}

export function createLogger({ level, format, destination }: LoggerOptions): Logger {
  const options = { level, base: { service: 'iex-chatops' }, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } };
  if (destination) return pino(options, destination);
  if (format === 'pretty') {
    return pino({
      ...options,
      transport: {
        target: 'pino-pretty',
        options: { colorize: true, translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname,service' },
      },
    });
  }
  return pino(options);
}
