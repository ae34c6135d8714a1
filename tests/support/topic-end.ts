import { randomBytes } from 'node:crypto';
import type { Kafka, KafkaMessage } from 'kafkajs';
import { waitFor } from './wait-for';

/**
 * Every message of a topic up to its end offsets as they are now, read with a throwaway group:
 * for counting what was sent (e.g. each transfer's retry commands), not just waiting for some.
 */
export async function readToEnd(kafka: Kafka, topic: string, timeoutMs = 30_000): Promise<KafkaMessage[]> {
  const admin = kafka.admin();
  await admin.connect();
  let ends: Map<number, bigint>;
  try {
    ends = new Map((await admin.fetchTopicOffsets(topic)).map(({ partition, high }) => [partition, BigInt(high)]));
  } finally {
    await admin.disconnect();
  }
  const reached = new Map<number, bigint>();
  const done = () => [...ends].every(([partition, high]) => high === 0n || (reached.get(partition) ?? 0n) >= high);
  if (done()) return [];
  const messages: KafkaMessage[] = [];
  const consumer = kafka.consumer({ groupId: `reader-${randomBytes(4).toString('hex')}` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        const offset = BigInt(message.offset);
        if (offset < (ends.get(partition) ?? 0n)) messages.push(message);
        reached.set(partition, offset + 1n);
      },
    });
    await waitFor(`the end of ${topic}`, done, { timeoutMs });
    return messages;
  } finally {
    await consumer.disconnect();
  }
}
