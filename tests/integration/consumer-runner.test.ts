import type { Admin, Kafka } from 'kafkajs';
import { recordTransfers } from '../../consumers/transfer-recorder';
import type { Config } from '../../src/config/config';
import { transferKey } from '../../src/domain/events';
import { createMetrics, type Metrics } from '../../src/ingest/metrics';
import { ensureTopics } from '../../src/kafka/admin';
import { createKafka } from '../../src/kafka/client';
import { createConsumerRunner, DEAD_LETTER_HEADERS, type ConsumerRunner } from '../../src/kafka/consumer-runner';
import { createEventProducer, type EventProducer } from '../../src/kafka/producer';
import { createNaming, type Naming } from '../../src/kafka/topics';
import { connectStore, type Store } from '../../src/store';
import { transferEvent } from '../fixtures/transfer-events';
import { readTopic, testKafka, waitForGroupCaughtUp } from '../support/kafka';
import { captureLogger, testConfig } from '../support/test-env';
import { waitFor } from '../support/wait-for';

describe('a consumer group on the real broker and store', () => {
  let config: Config;
  let naming: Naming;
  let store: Store;
  let producer: EventProducer;
  let runner: ConsumerRunner;
  let metrics: Metrics;
  let reader: Kafka;
  let admin: Admin;
  const { logger } = captureLogger();

  const groupId = () => naming.group('iex.transfer-recorder');
  const consumedCount = async () => (await metrics.consumed.get()).values.reduce((sum, { value }) => sum + value, 0);

  beforeAll(async () => {
    config = testConfig();
    naming = createNaming(config.KAFKA_NAMESPACE);
    store = connectStore(config.MONGO_URL);
    await store.ready();
    const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'consumer-test', logger });
    await ensureTopics(kafka, naming, { partitions: 3, replicationFactor: 1 });
    producer = createEventProducer(kafka, naming);
    metrics = createMetrics();
    runner = createConsumerRunner(recordTransfers({ models: store.models, producer, logger }), {
      kafka,
      naming,
      producer,
      logger,
      metrics,
      retryDelayMs: { initial: 50, max: 500 },
      sessionTimeoutMs: 10_000,
    });
    await runner.start();
    reader = testKafka();
    admin = reader.admin();
    await admin.connect();
  });

  afterAll(async () => {
    await runner?.stop();
    await producer?.disconnect();
    await admin?.disconnect();
    await store?.connection.dropDatabase();
    await store?.close();
  });

  it('stores an event that is delivered twice exactly once', async () => {
    const event = transferEvent();
    const message = { key: transferKey(event), value: event };
    await producer.sendJson('transfers', [message, message]);

    await waitForGroupCaughtUp(admin, groupId(), naming.topic('transfers'));

    const stored = await store.models.TransferEvent.find({ tenantId: event.tenantId, eventId: event.id }).lean();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ transferId: event.transferId, type: 'transfer.started' });
    expect(stored[0]?.event).toEqual(event);
  });

  it('changes nothing when the group replays the whole topic', async () => {
    const events = [transferEvent(), transferEvent({ type: 'transfer.succeeded' })];
    await producer.sendJson(
      'transfers',
      events.map((event) => ({ key: transferKey(event), value: event })),
    );
    await waitForGroupCaughtUp(admin, groupId(), naming.topic('transfers'));
    const before = await store.models.TransferEvent.find().sort({ eventId: 1 }).lean();
    const consumedBefore = await consumedCount();

    // Rewind the committed offsets, as a crash before the commit or an operator's replay would.
    await runner.stop();
    await admin.resetOffsets({ groupId: groupId(), topic: naming.topic('transfers'), earliest: true });
    await runner.start();
    await waitForGroupCaughtUp(admin, groupId(), naming.topic('transfers'));

    expect(await consumedCount()).toBeGreaterThanOrEqual(consumedBefore + 4);
    const after = await store.models.TransferEvent.find().sort({ eventId: 1 }).lean();
    expect(after).toEqual(before);
  });

  it('dead-letters a message that is not JSON or not a valid event, with its reason, and still processes the next', async () => {
    const valid = transferEvent();
    const { entity: _entity, ...withoutEntity } = transferEvent();
    await producer.send('transfers', [
      { key: 'acme:broken-1', value: '{"id": "evt-1", oops' },
      { key: 'acme:broken-2', value: JSON.stringify(withoutEntity) },
      { key: transferKey(valid), value: JSON.stringify(valid) },
    ]);

    await waitFor('the valid event in the store', () =>
      store.models.TransferEvent.exists({ tenantId: valid.tenantId, eventId: valid.id }),
    );
    const deadLetters = await readTopic(reader, naming.topic('deadLetter'), 2);
    const byKey = new Map(deadLetters.map((message) => [message.key?.toString(), message]));

    const notJson = byKey.get('acme:broken-1');
    expect(notJson?.value?.toString()).toBe('{"id": "evt-1", oops');
    expect(notJson?.headers?.[DEAD_LETTER_HEADERS.reason]?.toString()).toMatch(/^not valid JSON/);
    expect(notJson?.headers?.[DEAD_LETTER_HEADERS.topic]?.toString()).toBe(naming.topic('transfers'));

    const invalid = byKey.get('acme:broken-2');
    expect(invalid?.value?.toString()).toBe(JSON.stringify(withoutEntity));
    expect(invalid?.headers?.[DEAD_LETTER_HEADERS.reason]?.toString()).toMatch(/failed validation: entity:/);
    await waitForGroupCaughtUp(admin, groupId(), naming.topic('transfers'));
  });
});
