import type { Admin, Kafka } from 'kafkajs';
import { TOPICS, type Naming, type TopicId } from './topics';

export interface TopicSettings {
  partitions: number;
  replicationFactor: number;
  /** How long new topics may take to get a leader for every partition; default 30 s. */
  leaderTimeoutMs?: number;
}

const isRetriable = (error: unknown) => (error as { retriable?: unknown } | null)?.retriable === true;

/**
 * Waits until every partition of `topics` has a leader. kafkajs's own `waitForLeaders` retries only
 * "leader not available"; a broker that has just started answers "unknown topic or partition" for
 * a moment after creating a topic, which it gives up on.
 */
async function waitForLeaders(admin: Admin, topics: string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const metadata = await admin.fetchTopicMetadata({ topics });
      const ready = metadata.topics.every(
        ({ partitions }) => partitions.length > 0 && partitions.every(({ leader }) => leader >= 0),
      );
      if (ready) return;
    } catch (error) {
      if (!isRetriable(error) || Date.now() > deadline) throw error;
    }
    if (Date.now() > deadline) throw new Error(`topics ${topics.join(', ')} got no leader within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
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
        // Its own wait (on by default) gives up on "unknown topic"; ours below does not.
        waitForLeaders: false,
        topics: missing.map((topic) => ({
          topic,
          numPartitions: settings.partitions,
          replicationFactor: settings.replicationFactor,
        })),
      });
      await waitForLeaders(admin, missing, settings.leaderTimeoutMs ?? 30_000);
    }
    return missing;
  } finally {
    await admin.disconnect();
  }
}

/** How many partitions a topic has, as the broker says. */
export async function topicPartitionCount(kafka: Kafka, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
    return topics[0]?.partitions.length ?? 0;
  } finally {
    await admin.disconnect();
  }
}
