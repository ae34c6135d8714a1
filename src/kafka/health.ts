import { Kafka, logLevel } from 'kafkajs';

/**
 * Answers "can we reach the broker right now?" quickly. It uses a client of its own with no
 * retries and short timeouts, because the service's main client retries for many seconds by
 * design and would make /healthz hang instead of answering 503.
 */
export function createKafkaProbe(
  brokers: string[],
  clientId: string,
): { check(): Promise<boolean>; close(): Promise<void> } {
  const kafka = new Kafka({
    clientId: `${clientId}-health`,
    brokers,
    connectionTimeout: 1000,
    requestTimeout: 2000,
    retry: { retries: 0 },
    logLevel: logLevel.NOTHING,
  });
  let admin: ReturnType<Kafka['admin']> | undefined;

  const reset = async () => {
    const current = admin;
    admin = undefined;
    await current?.disconnect().catch(() => undefined);
  };

  return {
    async check() {
      try {
        if (!admin) {
          admin = kafka.admin({ retry: { retries: 0 } });
          await admin.connect();
        }
        const cluster = await admin.describeCluster();
        return cluster.brokers.length > 0;
      } catch {
        await reset();
        return false;
      }
    },
    close: reset,
  };
}
