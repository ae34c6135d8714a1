import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../src/config/config';
import { kafkaSecurity } from '../../src/kafka/client';
import { captureLogger } from '../support/test-env';

const minimal = { KAFKA_BROKERS: 'kafka.example:9093', MONGO_URL: 'mongodb://localhost:27017/iex' };

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig({ ...minimal, ...env }, false);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a configuration error');
}

describe('reaching a managed Kafka cluster (TLS and SASL)', () => {
  it('speaks plaintext unless told otherwise, as the local broker needs', () => {
    expect(kafkaSecurity(loadConfig(minimal, false))).toEqual({});
  });

  it('takes TLS with the system CAs, or with a private CA from a file', () => {
    expect(kafkaSecurity(loadConfig({ ...minimal, KAFKA_SSL: 'true' }, false))).toEqual({ ssl: true });
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'iex-ca-')), 'ca.pem');
    writeFileSync(file, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    const config = loadConfig({ ...minimal, KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: file }, false);
    expect(kafkaSecurity(config)).toEqual({
      ssl: { ca: ['-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n'] },
    });
  });

  it('takes SASL with its mechanism and credentials', () => {
    const config = loadConfig(
      {
        ...minimal,
        KAFKA_SSL: 'true',
        KAFKA_SASL_MECHANISM: 'scram-sha-512',
        KAFKA_SASL_USERNAME: 'iex',
        KAFKA_SASL_PASSWORD: 's3cret-pw',
      },
      false,
    );
    expect(kafkaSecurity(config)).toEqual({
      ssl: true,
      sasl: { mechanism: 'scram-sha-512', username: 'iex', password: 's3cret-pw' },
    });
  });

  it('refuses half a setup at start, naming what is missing', () => {
    expect(problemsOf({ KAFKA_SASL_MECHANISM: 'plain' })).toEqual([
      'KAFKA_SASL_USERNAME is required when KAFKA_SASL_MECHANISM is set',
      'KAFKA_SASL_PASSWORD is required when KAFKA_SASL_MECHANISM is set',
    ]);
    expect(problemsOf({ KAFKA_SASL_USERNAME: 'iex', KAFKA_SASL_PASSWORD: 'pw' })).toEqual([
      'KAFKA_SASL_MECHANISM is required with KAFKA_SASL_USERNAME / KAFKA_SASL_PASSWORD: plain, scram-sha-256 or scram-sha-512',
    ]);
    expect(problemsOf({ KAFKA_SASL_MECHANISM: 'gssapi' })[0]).toMatch(/^KAFKA_SASL_MECHANISM/);
    expect(problemsOf({ KAFKA_SSL_CA_FILE: '/etc/ca.pem' })).toEqual([
      'KAFKA_SSL must be true when KAFKA_SSL_CA_FILE is set',
    ]);
  });

  it('never logs the SASL password, as a setting or in kafkajs options', () => {
    const { logger, records } = captureLogger();
    logger.info({ config: { KAFKA_SASL_PASSWORD: 's3cret-pw' }, sasl: { password: 's3cret-pw' } }, 'settings');
    expect(JSON.stringify(records)).not.toContain('s3cret-pw');
  });
});
