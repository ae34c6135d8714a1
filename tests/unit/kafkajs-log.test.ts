import { createKafka } from '../../src/kafka/client';
import { isCoordinatorLoading } from '../../src/kafka/failure-kind';
import { captureLogger } from '../support/test-env';

// kafkajs's own table of broker error codes: the very error a joining group gets from a broker
// that is still loading its groups (COORDINATOR_LOAD_IN_PROGRESS, code 14).
const { createErrorFromCode } = require('kafkajs/src/protocol/error') as {
  createErrorFromCode(code: number): Error & { type: string; retriable: boolean };
};

/**
 * A broker's "coordinator is loading" cannot be provoked on demand (it lasts a few hundred
 * milliseconds after a broker starts), so these tests write to the logger kafkajs itself uses —
 * the client's, built by createKafka — the lines kafkajs 2.2.4 writes when a group's join fails
 * and it restarts the consumer (src/consumer/index.js `onCrash`, src/network/connection.js).
 */
function startLogs() {
  const captured = captureLogger('debug');
  const kafka = createKafka({ brokers: ['127.0.0.1:9'], clientId: 'log-test', logger: captured.logger });
  const root = kafka.logger();
  return { ...captured, consumer: root.namespace('Consumer'), connection: root.namespace('Connection') };
}

describe('kafkajs log lines', () => {
  it('logs the broker loading its groups at start at info, without a stack', () => {
    const { consumer, connection, records } = startLogs();
    const error = createErrorFromCode(14);
    expect(error).toMatchObject({ type: 'GROUP_LOAD_IN_PROGRESS', retriable: true });
    // What the consumer runner's CRASH listener asks before it logs the crash at info.
    expect(isCoordinatorLoading(error)).toBe(true);
    expect(isCoordinatorLoading({ type: error.type, message: 'loading' })).toBe(true);
    const groupId = 'iex-test.transfer-recorder';

    connection.error('Response JoinGroup(key: 11, version: 5)', {
      broker: '127.0.0.1:9092',
      clientId: 'log-test',
      error: error.message,
      correlationId: 3,
      size: 50,
    });
    consumer.error(`Crash: ${error.name}: ${error.message}`, { groupId, retryCount: 0, stack: error.stack });
    consumer.error('Restarting the consumer in 300ms', { retryCount: 0, retryTime: 300, groupId });

    expect(records.map(({ level, msg }) => [level, msg])).toEqual([
      [30, 'Response JoinGroup(key: 11, version: 5)'],
      [30, `Crash: KafkaJSProtocolError: ${error.message}`],
      [30, 'Restarting the consumer in 300ms'],
    ]);
    for (const record of records) {
      expect(record).not.toHaveProperty('stack');
      expect(JSON.stringify(record)).not.toMatch(/\n\s+at /);
    }
  });

  it('still logs a real crash as a warning with its stack, and the restart after it', () => {
    const { consumer, records } = startLogs();
    const groupId = 'iex-test.notifier';
    const loading = createErrorFromCode(14);
    consumer.error(`Crash: ${loading.name}: ${loading.message}`, { groupId, retryCount: 0, stack: loading.stack });
    consumer.error('Restarting the consumer in 300ms', { retryCount: 0, retryTime: 300, groupId });

    const crash = createErrorFromCode(29); // TOPIC_AUTHORIZATION_FAILED
    consumer.error(`Crash: ${crash.name}: ${crash.message}`, { groupId, retryCount: 0, stack: crash.stack });
    consumer.error('Restarting the consumer in 300ms', { retryCount: 0, retryTime: 300, groupId });

    expect(records.slice(2).map(({ level, msg }) => [level, msg])).toEqual([
      [40, `Crash: KafkaJSProtocolError: ${crash.message}`],
      [40, 'Restarting the consumer in 300ms'],
    ]);
    expect(records[2]).toMatchObject({ stack: crash.stack });
  });
});
