import { readFileSync } from 'node:fs';
import { Kafka, logLevel, type SASLOptions } from 'kafkajs';
import type { ConnectionOptions } from 'node:tls';
import type { Config } from '../config/config';
import type { Logger } from '../config/logger';
import { createKafkajsLogCreator } from './kafkajs-log';

/** How to reach a cluster that is not on a private network: TLS and SASL, as kafkajs takes them. */
export interface KafkaSecurity {
  ssl?: boolean | ConnectionOptions;
  sasl?: SASLOptions;
}

export interface KafkaClientOptions extends KafkaSecurity {
  brokers: string[];
  clientId: string;
  logger: Logger;
}

/** KAFKA_SSL, KAFKA_SSL_CA_FILE and KAFKA_SASL_* as kafkajs options; nothing when unset (plaintext). */
export function kafkaSecurity(
  config: Pick<
    Config,
    'KAFKA_SSL' | 'KAFKA_SSL_CA_FILE' | 'KAFKA_SASL_MECHANISM' | 'KAFKA_SASL_USERNAME' | 'KAFKA_SASL_PASSWORD'
  >,
): KafkaSecurity {
  const security: KafkaSecurity = {};
  if (config.KAFKA_SSL) {
    security.ssl = config.KAFKA_SSL_CA_FILE ? { ca: [readFileSync(config.KAFKA_SSL_CA_FILE, 'utf8')] } : true;
  }
  if (config.KAFKA_SASL_MECHANISM && config.KAFKA_SASL_USERNAME && config.KAFKA_SASL_PASSWORD) {
    const credentials = { username: config.KAFKA_SASL_USERNAME, password: config.KAFKA_SASL_PASSWORD };
    security.sasl = { mechanism: config.KAFKA_SASL_MECHANISM, ...credentials } as SASLOptions;
  }
  return security;
}

/** The one kafkajs client of the process; its log lines go through pino (see kafkajs-log.ts). */
export function createKafka({ brokers, clientId, logger, ssl, sasl }: KafkaClientOptions): Kafka {
  return new Kafka({
    clientId,
    brokers,
    ...(ssl ? { ssl } : {}),
    ...(sasl ? { sasl } : {}),
    connectionTimeout: 3000,
    requestTimeout: 10000,
    retry: { initialRetryTime: 300, maxRetryTime: 5000, retries: 8 },
    logLevel: logLevel.WARN,
    logCreator: createKafkajsLogCreator(logger),
  });
}
