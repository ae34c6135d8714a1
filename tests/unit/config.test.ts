import { ConfigError, loadConfig } from '../../src/config/config';

const minimal = { KAFKA_BROKERS: 'localhost:9092', MONGO_URL: 'mongodb://localhost:27017/iex' };

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env, false);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a configuration error');
}

describe('configuration from the environment', () => {
  it('fills sensible defaults and freezes the result', () => {
    const config = loadConfig(minimal, false);
    expect(config).toMatchObject({
      PORT: 3000,
      KAFKA_BROKERS: ['localhost:9092'],
      KAFKA_NAMESPACE: '',
      DEMO_SEED: true,
      LOG_FORMAT: 'json',
      SLACK_API_URL: 'https://slack.com/api/',
      DISCORD_API_URL: 'https://discord.com/api',
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads pretty logs for a terminal and a broker list with spaces', () => {
    const config = loadConfig({ ...minimal, KAFKA_BROKERS: 'a:9092, b:9093' }, true);
    expect(config.KAFKA_BROKERS).toEqual(['a:9092', 'b:9093']);
    expect(config.LOG_FORMAT).toBe('pretty');
  });

  it('names each missing variable', () => {
    expect(problemsOf({})).toEqual(['KAFKA_BROKERS is required', 'MONGO_URL is required']);
  });

  it('names the bad variable and says what it should be', () => {
    expect(problemsOf({ ...minimal, PORT: 'eighty' })).toEqual(['PORT must be a port number']);
    expect(problemsOf({ ...minimal, PORT: '70000' })).toEqual(['PORT must be between 0 and 65535']);
    expect(problemsOf({ ...minimal, KAFKA_BROKERS: 'localhost' })).toEqual([
      'KAFKA_BROKERS each broker must be host:port, e.g. localhost:9092',
    ]);
    expect(problemsOf({ ...minimal, MONGO_URL: 'postgres://x' })).toEqual([
      'MONGO_URL must be a MongoDB connection string, e.g. mongodb://localhost:27017/iex',
    ]);
    expect(problemsOf({ ...minimal, DEMO_SEED: 'maybe' })).toEqual(['DEMO_SEED must be true or false']);
    expect(problemsOf({ ...minimal, SLACK_API_URL: 'not a url' })).toEqual([
      'SLACK_API_URL must be a URL, e.g. https://example.com/',
    ]);
  });

  it('keeps the request deadline above the waits it encloses', () => {
    expect(loadConfig(minimal, false)).toMatchObject({
      HEALTH_TIMEOUT_MS: 2500,
      RECORDER_STUCK_SECONDS: 120,
      REQUEST_TIMEOUT_MS: 10_000,
    });
    expect(problemsOf({ ...minimal, REQUEST_TIMEOUT_MS: '5000' })).toEqual([
      'REQUEST_TIMEOUT_MS must be larger than INGEST_KAFKA_TIMEOUT_MS (5000)',
    ]);
    expect(problemsOf({ ...minimal, REQUEST_TIMEOUT_MS: '6000', HEALTH_TIMEOUT_MS: '8000' })).toEqual([
      'REQUEST_TIMEOUT_MS must be larger than HEALTH_TIMEOUT_MS (8000)',
    ]);
    expect(problemsOf({ ...minimal, RECORDER_STUCK_SECONDS: '0' })).toEqual([
      'RECORDER_STUCK_SECONDS must be positive',
    ]);
  });

  it('treats an empty value as unset', () => {
    expect(loadConfig({ ...minimal, PORT: '' }, false).PORT).toBe(3000);
  });
});
