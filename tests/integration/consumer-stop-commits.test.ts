import { z } from 'zod';
import { ensureTopics } from '../../src/kafka/admin';
import { createKafka } from '../../src/kafka/client';
import { createConsumerRunner, defineConsumer } from '../../src/kafka/consumer-runner';
import { createEventProducer } from '../../src/kafka/producer';
import { createNaming } from '../../src/kafka/topics';
import { testKafka } from '../support/kafka';
import { captureLogger, testConfig } from '../support/test-env';
import { waitFor } from '../support/wait-for';

test('a consumer told to stop while it handles a batch finishes it and commits it: the next owner does not get it again', async () => {
  const config = testConfig();
  const naming = createNaming(config.KAFKA_NAMESPACE);
  const { logger } = captureLogger();
  const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'consumer-stop-test', logger });
  await ensureTopics(kafka, naming, { partitions: 1, replicationFactor: 1 });
  const producer = createEventProducer(kafka, naming);
  await producer.connect();
  const admin = testKafka().admin();
  await admin.connect();

  const handled: number[] = [];
  let entered = false;
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const runner = createConsumerRunner(
    defineConsumer({
      groupId: 'stop-commits',
      topics: ['commands'],
      schema: z.object({ n: z.number() }),
      async handle(messages) {
        // Still handling when the stop comes.
        entered = true;
        await gate;
        handled.push(...messages.map(({ value }) => value.n));
      },
    }),
    { kafka, naming, producer, logger, sessionTimeoutMs: 10_000 },
  );
  try {
    await producer.sendJson(
      'commands',
      [1, 2, 3, 4, 5].map((n) => ({ key: 'k', value: { n } })),
    );
    await runner.start();
    await waitFor('the batch to be in the handler', () => entered);
    const stopping = runner.stop();
    release();
    await stopping;

    expect(handled).toEqual([1, 2, 3, 4, 5]);
    const [committed] = await admin.fetchOffsets({
      groupId: naming.group('stop-commits'),
      topics: [naming.topic('commands')],
    });
    expect(committed!.partitions).toEqual([expect.objectContaining({ partition: 0, offset: '5' })]);
  } finally {
    release();
    await runner.stop().catch(() => undefined);
    await producer.disconnect();
    await admin.disconnect();
  }
});
