import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { loadConfig, type Config } from '../../src/config/config';
import { createLogger, type Logger } from '../../src/config/logger';

/** Replaces the database of a MongoDB connection string, keeping host and options. */
export function withDatabase(mongoUrl: string, database: string): string {
  const url = new URL(mongoUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/**
 * A configuration of the real broker and store that global-setup started, isolated from other
 * test files: its own topic namespace and its own database.
 */
export function testConfig(overrides: Record<string, string> = {}): Config {
  const id = randomBytes(4).toString('hex');
  const mongoUrl = process.env.MONGO_URL;
  if (!mongoUrl) throw new Error('MONGO_URL is not set: run the tests through `npm test`');
  return loadConfig(
    {
      KAFKA_BROKERS: process.env.KAFKA_BROKERS,
      MONGO_URL: withDatabase(mongoUrl, `iex_test_${id}`),
      KAFKA_NAMESPACE: `test-${id}`,
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'json',
      DEMO_SEED: 'false',
      ...overrides,
    },
    false,
  );
}

/** A real pino logger whose records the test can read (and which keeps the test output quiet). */
export function captureLogger(level = 'info'): { logger: Logger; records: Array<Record<string, unknown>> } {
  const records: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) records.push(JSON.parse(line));
      done();
    },
  });
  return { logger: createLogger({ level, format: 'json', destination }), records };
}
