import type { Kafka } from 'kafkajs';
import { TOPICS, type Naming, type TopicId } from './topics';

export interface TopicSettings {
  partitions: number;
  replicationFactor: number;
}

/** Creates the product's topics that do not exist yet; leaves existing ones as they are. */
export async function ensureTopics(kafka: Kafka, naming: Naming, settings: TopicSettings): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const wanted = (Object.keys(TOPICS) as TopicId[]).map((id) => naming.topic(id));
    const missing = wanted.filter((topic) => !existing.has(topic));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((topic) => ({
          topic,
          numPartitions: settings.partitions,
          replicationFactor: settings.replicationFactor,
        })),
      });
    }
    return missing;
  } finally {
    await admin.disconnect();
  }
}
