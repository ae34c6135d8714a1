/**
 * When each event was recorded, read from Kafka rather than from the store: the recorder commits
 * a message's offset only after its store writes, so "its partition's committed offset passed the
 * message" is "recorded", whatever shape the store has.
 */
import { randomBytes } from 'node:crypto';
import type { Admin, Kafka } from 'kafkajs';

/** A sample of the group's committed offsets: Date.now() and the next offset to read, per partition. */
export interface CommitSample {
  atMs: number;
  committed: Map<number, number>;
}

/**
 * Samples the group's committed offsets every `intervalMs` until `stop()`; the samples say when
 * each offset was committed, to within the interval.
 */
export function sampleCommits(admin: Admin, groupId: string, topic: string, intervalMs = 100) {
  const samples: CommitSample[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const [result] = await admin.fetchOffsets({ groupId, topics: [topic] }).catch(() => [undefined]);
      const committed = new Map<number, number>();
      for (const { partition, offset } of result?.partitions ?? []) committed.set(partition, Number(offset));
      samples.push({ atMs: Date.now(), committed });
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  })();
  return {
    samples,
    async stop(): Promise<CommitSample[]> {
      running = false;
      await loop;
      return samples;
    },
  };
}

/** The first sample at which `offset` of `partition` was committed, in Date.now() ms. */
export function committedAt(samples: readonly CommitSample[], partition: number, offset: number): number | undefined {
  // Committed offsets only grow: binary search for the first sample past the offset.
  let low = 0;
  let high = samples.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((samples[mid]!.committed.get(partition) ?? -1) > offset) high = mid;
    else low = mid + 1;
  }
  return samples[low]?.atMs;
}

/**
 * Where each message of `topic` whose JSON value passes `select` landed: its id → partition and
 * offset. Reads from the beginning with a throwaway group until `count` were found.
 */
export async function locateMessages(
  kafka: Kafka,
  topic: string,
  count: number,
  select: (value: { id?: string; tenantId?: string }) => boolean,
  timeoutMs: number,
  /** Throwaway group (inside the run's namespace, so that its teardown deletes it). */
  groupId = `bench-reader-${randomBytes(4).toString('hex')}`,
): Promise<Map<string, { partition: number; offset: number }>> {
  const found = new Map<string, { partition: number; offset: number }>();
  const consumer = kafka.consumer({ groupId });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        const value = JSON.parse(message.value?.toString('utf8') ?? '{}') as { id?: string; tenantId?: string };
        if (value.id && select(value)) found.set(value.id, { partition, offset: Number(message.offset) });
      },
    });
    const until = performance.now() + timeoutMs;
    while (found.size < count && performance.now() < until) await new Promise((resolve) => setTimeout(resolve, 100));
    if (found.size < count) throw new Error(`found ${found.size} of ${count} events on ${topic} in ${timeoutMs} ms`);
    return found;
  } finally {
    await consumer.disconnect();
  }
}
