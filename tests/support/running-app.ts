import type { Admin, Kafka } from 'kafkajs';
import { createApp, type App, type AppOptions } from '../../src/app';
import type { Config } from '../../src/config/config';
import { createNaming, type Naming, type TopicId } from '../../src/kafka/topics';
import { connectStore, type Store } from '../../src/store';
import { testKafka, waitForGroupCaughtUp } from './kafka';
import { captureLogger, testConfig } from './test-env';

export interface RunningApp {
  app: App;
  config: Config;
  /** A store connection of the test's own, on the app's database. */
  store: Store;
  naming: Naming;
  /** A Kafka client of the test's own, for reading what the app produced. */
  kafka: Kafka;
  admin: Admin;
  logs: Array<Record<string, unknown>>;
  /** Waits until a consumer group of the app has committed everything on a topic. */
  caughtUp(groupId: string, topic: TopicId): Promise<void>;
  /** Stops the service, rewinds a consumer group to the start of a topic, and starts it again. */
  replay(groupId: string, topic: TopicId): Promise<void>;
  stop(): Promise<void>;
}

/** Starts the whole service on the real broker and store, isolated in its own namespace and database. */
export async function startTestApp(
  overrides: Record<string, string> = {},
  options: AppOptions = {},
): Promise<RunningApp> {
  const config = testConfig(overrides);
  const { logger, records } = captureLogger();
  const store = connectStore(config.MONGO_URL);
  await store.ready();
  const kafka = testKafka();
  const admin = kafka.admin();
  await admin.connect();
  const naming = createNaming(config.KAFKA_NAMESPACE);
  const running: RunningApp = {
    app: createApp(config, logger, options),
    config,
    store,
    naming,
    kafka,
    admin,
    logs: records,
    caughtUp: (groupId, topic) => waitForGroupCaughtUp(admin, naming.group(groupId), naming.topic(topic)),
    async replay(groupId, topic) {
      await running.app.stop();
      await admin.resetOffsets({ groupId: naming.group(groupId), topic: naming.topic(topic), earliest: true });
      running.app = createApp(config, logger, options);
      await running.app.start();
    },
    async stop() {
      await running.app.stop();
      await admin.disconnect();
      await store.connection.dropDatabase();
      await store.close();
    },
  };
  await running.app.start();
  return running;
}
