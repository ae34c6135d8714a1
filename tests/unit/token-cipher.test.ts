import { randomBytes } from 'node:crypto';
import { ConfigError, loadConfig } from '../../src/config/config';
import { createTokenCipher, parseEncryptionKey } from '../../src/domain/token-cipher';

const minimal = { KAFKA_BROKERS: 'localhost:9092', MONGO_URL: 'mongodb://localhost:27017/iex' };
const distributed = {
  ...minimal,
  SLACK_SIGNING_SECRET: 'signing-secret',
  SLACK_CLIENT_ID: '1111111111.2222222222',
  SLACK_CLIENT_SECRET: 'client-secret',
  SLACK_STATE_SECRET: 'a-state-secret-of-at-least-32-characters',
  INSTALLATION_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env, false);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('sealing bot tokens at rest (AES-256-GCM)', () => {
  const key = randomBytes(32);
  const cipher = createTokenCipher(key);
  const token = 'xoxb-1234-5678-abcdefghijklmnop';

  it('opens what it sealed, with a fresh IV every time', () => {
    const first = cipher.seal(token, 'team:T1');
    const second = cipher.seal(token, 'team:T1');
    expect(cipher.open(first, 'team:T1')).toBe(token);
    expect(first.iv).not.toBe(second.iv);
    expect(first.data).not.toBe(second.data);
    expect(Buffer.from(first.iv, 'base64')).toHaveLength(12);
    expect(Buffer.from(first.tag, 'base64')).toHaveLength(16);
  });

  it('refuses another key, another document, an altered token or a shortened tag', () => {
    const sealed = cipher.seal(token, 'team:T1');
    const flipped = Buffer.from(sealed.data, 'base64');
    flipped[0] = flipped[0]! ^ 1;
    expect(() => createTokenCipher(randomBytes(32)).open(sealed, 'team:T1')).toThrow();
    expect(() => cipher.open(sealed, 'team:T2')).toThrow();
    expect(() => cipher.open({ ...sealed, data: flipped.toString('base64') }, 'team:T1')).toThrow();
    const short = Buffer.from(sealed.tag, 'base64').subarray(0, 4).toString('base64');
    expect(() => cipher.open({ ...sealed, tag: short }, 'team:T1')).toThrow();
  });

  it('reads a 32-byte key as hex or base64, and says what is wrong with any other', () => {
    const raw = randomBytes(32);
    for (const text of [raw.toString('hex'), raw.toString('base64'), raw.toString('base64url')]) {
      expect(parseEncryptionKey(text)).toEqual({ key: raw });
    }
    expect(parseEncryptionKey(randomBytes(16).toString('hex'))).toEqual({
      problem:
        'must be 32 bytes (64 hex characters or 44 base64 characters); this one is 16 bytes. Make one with: openssl rand -base64 32',
    });
    expect(parseEncryptionKey('not a key!')).toEqual({
      problem: 'must be 32 bytes written as 64 hex characters or as base64',
    });
  });
});

describe('the settings of a distributed Slack app', () => {
  it('takes client id, client secret, state secret, signing secret and key, with no bot token', () => {
    expect(problemsOf(distributed)).toEqual([]);
    // One workspace's token may stay alongside: it serves that workspace until it installs the app.
    expect(problemsOf({ ...distributed, SLACK_BOT_TOKEN: 'xoxb-1' })).toEqual([]);
  });

  it('refuses a key of the wrong length at start, naming it', () => {
    expect(problemsOf({ ...distributed, INSTALLATION_ENCRYPTION_KEY: randomBytes(24).toString('base64') })).toEqual([
      'INSTALLATION_ENCRYPTION_KEY must be 32 bytes (64 hex characters or 44 base64 characters); this one is 24 bytes. Make one with: openssl rand -base64 32',
    ]);
  });

  it('names what is missing, and refuses Socket Mode', () => {
    expect(problemsOf({ ...minimal, SLACK_CLIENT_ID: '1111111111.2222222222' })).toEqual([
      "SLACK_CLIENT_SECRET is required to distribute the Slack app (SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are set): the Client Secret from the Slack app's Basic Information page",
      "SLACK_SIGNING_SECRET is required to distribute the Slack app (SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are set): the Signing Secret from the Slack app's Basic Information page",
      'SLACK_STATE_SECRET is required to distribute the Slack app (SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are set): a secret of your own of at least 32 characters (openssl rand -base64 32)',
      'INSTALLATION_ENCRYPTION_KEY is required to distribute the Slack app (SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are set): a 32-byte key as hex or base64 (openssl rand -base64 32); keep it: tokens sealed with it open only with it',
    ]);
    expect(problemsOf({ ...distributed, SLACK_APP_TOKEN: 'xapp-1' })).toEqual([
      'SLACK_APP_TOKEN must not be set when the Slack app is distributed (SLACK_CLIENT_ID): installs, events and commands arrive over HTTP at /slack/…, not through Socket Mode',
    ]);
    expect(problemsOf({ ...distributed, SLACK_CLIENT_ID: 'abc' })).toEqual([
      "SLACK_CLIENT_ID must be the Client ID (digits.digits) from the Slack app's Basic Information page",
    ]);
  });
});
