import { logLevel, type LogEntry } from 'kafkajs';
import type { Logger } from '../config/logger';
import { isCoordinatorLoading } from './failure-kind';

type Level = 'error' | 'warn' | 'info' | 'debug';

const levelNames: Record<number, Level> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/** kafkajs's line after a crash it restarts from (consumer/index.js). */
const RESTARTING = /^Restarting the consumer in \d+ms$/;

/**
 * kafkajs's log lines as pino records. kafkajs reports a broker outage as a burst of ERROR lines
 * that it then retries itself, so those are warnings; the service's own health check says whether
 * Kafka is really down.
 *
 * A broker that just started answers "the coordinator is loading" to a joining group for a few
 * hundred milliseconds. kafkajs logs that as `Crash: KafkaJSProtocolError: …` with a stack, then
 * "Restarting the consumer in 300ms", and rejoins by itself: nothing is wrong, so those lines (and
 * the failed response that caused them) are info, without the stack. The consumer runner's CRASH
 * listener says the same once in its own words.
 */
export function createKafkajsLogCreator(logger: Logger): () => (entry: LogEntry) => void {
  const kafkaLogger = logger.child({ component: 'kafkajs' });
  return () => {
    // Groups whose last crash was the coordinator loading: their next "Restarting…" line is expected.
    const loadingGroups = new Set<string>();
    return ({ level, log }: LogEntry) => {
      const { message, timestamp: _timestamp, logger: _name, ...rest } = log;
      const groupId = typeof rest.groupId === 'string' ? rest.groupId : '';
      const loading = isCoordinatorLoading({ message }) || isCoordinatorLoading({ message: rest.error });
      if (loading && level <= logLevel.WARN) {
        if (/^Crash: /.test(message)) loadingGroups.add(groupId);
        const { stack: _stack, ...fields } = rest;
        kafkaLogger.info({ ...fields, coordinatorLoading: true }, message);
        return;
      }
      if (RESTARTING.test(message) && loadingGroups.delete(groupId)) {
        kafkaLogger.info(rest, message);
        return;
      }
      const name = levelNames[level] === 'error' ? 'warn' : (levelNames[level] ?? 'info');
      kafkaLogger[name](rest, message);
    };
  };
}
