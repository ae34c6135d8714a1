import { logLevel, Kafka, type Admin, type KafkaMessage } from 'kafkajs';
import { randomBytes } from 'node:crypto';
import { waitFor } from './wait-for';

/** A kafkajs client for the test's own reads and writes (not the service's). */
export function testKafka(): Kafka {
  const brokers = (process.env.KAFKA_BROKERS ?? '').split(',').filter(Boolean);
  return new Kafka({ clientId: 'iex-tests', brokers, logLevel: logLevel.NOTHING });
}

/**
 * Reads a topic from its beginning with a throwaway group until `count` messages (that pass
 * `where`, when given) have arrived, and returns those.
 */
export async function readTopic(
  kafka: Kafka,
  topic: string,
  count: number,
  { where = () => true, timeoutMs = 30_000 }: { where?: (message: KafkaMessage) => boolean; timeoutMs?: number } = {},
): Promise<KafkaMessage[]> {
  const consumer = kafka.consumer({ groupId: `reader-${randomBytes(4).toString('hex')}` });
  const messages: KafkaMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        if (where(message)) messages.push(message);
      },
    });
    await waitFor(`${count} message(s) on ${topic}`, () => messages.length >= count, { timeoutMs });
    return messages;
  } finally {
    await consumer.disconnect();
  }
}

/** Waits until a consumer group has committed every message of `topic` (its lag is zero). */
export async function waitForGroupCaughtUp(
  admin: Admin,
  groupId: string,
  topic: string,
  timeoutMs = 30_000,
): Promise<void> {
  await waitFor(
    `group ${groupId} to commit all of ${topic}`,
    async () => {
      const [ends, [committed]] = await Promise.all([
        admin.fetchTopicOffsets(topic),
        admin.fetchOffsets({ groupId, topics: [topic] }),
      ]);
      return ends.every(({ partition, offset }) => {
        const done = committed?.partitions.find((p) => p.partition === partition)?.offset ?? '-1';
        return offset === '0' || done === offset;
      });
    },
    { timeoutMs },
  );
}

/** The JSON values of a topic's messages for one tenant (by their `tenantId` field). */
export async function readJson<T = Record<string, unknown>>(
  kafka: Kafka,
  topic: string,
  tenantId: string,
  count: number,
): Promise<T[]> {
  const messages = await readTopic(kafka, topic, count, {
    where: (message) => (JSON.parse(message.value?.toString() ?? '{}') as { tenantId?: string }).tenantId === tenantId,
  });
  return messages.map((message) => JSON.parse(message.value!.toString()) as T);
}
