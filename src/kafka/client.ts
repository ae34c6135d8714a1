import { Kafka, logLevel, type LogEntry } from 'kafkajs';
import type { Logger } from '../config/logger';

export interface KafkaClientOptions {
  brokers: string[];
  clientId: string;
  logger: Logger;
}

const levelNames: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/**
 * The one kafkajs client of the process. Its log lines go through pino; kafkajs reports a
 * broker outage as a burst of ERROR lines that it then retries itself, so those are logged as
 * warnings and the service's own health check says whether Kafka is really down.
 */
export function createKafka({ brokers, clientId, logger }: KafkaClientOptions): Kafka {
  const kafkaLogger = logger.child({ component: 'kafkajs' });
  return new Kafka({
    clientId,
    brokers,
    connectionTimeout: 3000,
    requestTimeout: 10000,
    retry: { initialRetryTime: 300, maxRetryTime: 5000, retries: 8 },
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ level, log }: LogEntry) => {
        const { message, timestamp: _timestamp, logger: _name, ...rest } = log;
        const name = levelNames[level] === 'error' ? 'warn' : (levelNames[level] ?? 'info');
        kafkaLogger[name](rest, message);
      },
  });
}
