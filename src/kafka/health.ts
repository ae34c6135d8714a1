import { Kafka, logLevel, type Admin } from 'kafkajs';
import type { KafkaSecurity } from './client';

/** How far a consumer group is behind on one topic, and where its commits stand. */
export interface GroupLag {
  /** Messages on the topic the group has not committed yet, summed over partitions. */
  lag: number;
  /** The committed offset per partition (-1: nothing committed yet); a change means progress. */
  committed: Record<number, string>;
}

/**
 * The lag of `groupId` on `topic` from the broker's own numbers: per partition, the end offset
 * minus the committed one. A partition the group never committed counts from its first kept
 * message (the consumers start from the beginning), and so does a commit older than the retention.
 */
export async function readGroupLag(admin: Admin, groupId: string, topic: string): Promise<GroupLag> {
  // End offsets first, and alone: they load the cluster's metadata, without which a fresh client
  // with no retries fails the coordinator lookup ("No brokers in the broker pool").
  const ends = await admin.fetchTopicOffsets(topic);
  const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
  const committed: Record<number, string> = {};
  let lag = 0;
  for (const { partition, high, low } of ends) {
    const done = offsets?.partitions.find((p) => p.partition === partition)?.offset ?? '-1';
    committed[partition] = done;
    const from = Math.max(Number(done), Number(low));
    lag += Math.max(0, Number(high) - from);
  }
  return { lag, committed };
}

/**
 * Answers "can we reach the broker right now?" quickly. It uses a client of its own with no
 * retries and short timeouts, because the service's main client retries for many seconds by
 * design and would make /healthz hang instead of answering 503.
 */
export function createKafkaProbe(
  brokers: string[],
  clientId: string,
  security: KafkaSecurity = {},
): {
  check(): Promise<boolean>;
  /** A consumer group's lag on a topic, through the same quick client; rejects when unreachable. */
  groupLag(groupId: string, topic: string): Promise<GroupLag>;
  close(): Promise<void>;
} {
  const kafka = new Kafka({
    clientId: `${clientId}-health`,
    brokers,
    ...(security.ssl ? { ssl: security.ssl } : {}),
    ...(security.sasl ? { sasl: security.sasl } : {}),
    connectionTimeout: 1000,
    requestTimeout: 2000,
    retry: { retries: 0 },
    logLevel: logLevel.NOTHING,
  });
  // One connection shared by the checks that /healthz runs side by side.
  let admin: Promise<Admin> | undefined;

  const reset = async () => {
    const current = admin;
    admin = undefined;
    await current?.then((client) => client.disconnect()).catch(() => undefined);
  };

  const connected = () => {
    admin ??= (async () => {
      const client = kafka.admin({ retry: { retries: 0 } });
      await client.connect();
      return client;
    })();
    return admin;
  };

  return {
    async check() {
      try {
        const cluster = await (await connected()).describeCluster();
        return cluster.brokers.length > 0;
      } catch {
        await reset();
        return false;
      }
    },
    async groupLag(groupId, topic) {
      try {
        return await readGroupLag(await connected(), groupId, topic);
      } catch (error) {
        await reset();
        throw error;
      }
    },
    close: reset,
  };
}
