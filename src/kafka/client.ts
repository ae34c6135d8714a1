import { Kafka, logLevel } from 'kafkajs';
import type { Logger } from '../config/logger';
import { createKafkajsLogCreator } from './kafkajs-log';

export interface KafkaClientOptions {
  brokers: string[];
  clientId: string;
  logger: Logger;
}

/** The one kafkajs client of the process; its log lines go through pino (see kafkajs-log.ts). */
export function createKafka({ brokers, clientId, logger }: KafkaClientOptions): Kafka {
  return new Kafka({
    clientId,
    brokers,
    connectionTimeout: 3000,
    requestTimeout: 10000,
    retry: { initialRetryTime: 300, maxRetryTime: 5000, retries: 8 },
    logLevel: logLevel.WARN,
    logCreator: createKafkajsLogCreator(logger),
  });
}
