import type { Admin, Kafka } from 'kafkajs';
import mongoose from 'mongoose';
import { recordTransfers } from '../../consumers/transfer-recorder';
import type { Config } from '../../src/config/config';
import { transferEventSchema, transferKey, type TransferEvent } from '../../src/domain/events';
import { createMetrics, type Metrics } from '../../src/config/metrics';
import { ensureTopics } from '../../src/kafka/admin';
import { createKafka } from '../../src/kafka/client';
import {
  createConsumerRunner,
  DEAD_LETTER_HEADERS,
  defineConsumer,
  type ConsumerRunner,
  type DecodedMessage,
} from '../../src/kafka/consumer-runner';
import { createEventProducer, type EventProducer } from '../../src/kafka/producer';
import { createNaming, type Naming } from '../../src/kafka/topics';
import { connectStore, insertKeepingDuplicates, type Store } from '../../src/store';
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
  let kafka: Kafka;
  const stops: Array<() => Promise<void>> = [];
  const { logger } = captureLogger();

  const groupId = () => naming.group('iex.transfer-recorder');
  const consumedCount = async () => (await metrics.consumed.get()).values.reduce((sum, { value }) => sum + value, 0);

  beforeAll(async () => {
    config = testConfig();
    naming = createNaming(config.KAFKA_NAMESPACE);
    store = connectStore(config.MONGO_URL);
    await store.ready();
    // The recorder records the events of existing tenants only (the fixture's events are acme's).
    await store.models.Tenant.create({ tenantId: 'acme', name: 'Acme' });
    kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'consumer-test', logger });
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
    for (const stop of stops) await stop();
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
    // Kept as the JSON text it arrived as (79d88a6), so payload keys like `$where` are data.
    expect(JSON.parse(stored[0]!.eventJson)).toEqual(event);
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

  /**
   * A consumer group of its own on the transfers topic, in a namespace of its own (its own topics,
   * group and dead-letter topic, so what lands there is this test's alone). Its handler first calls
   * `trouble` (which throws what the test wants thrown), then keeps each event once by id in a
   * collection of the real store, as an idempotent handler does.
   */
  async function groupWith(suffix: string, trouble: (messages: DecodedMessage<TransferEvent>[]) => void) {
    const ownNaming = createNaming(`${config.KAFKA_NAMESPACE}-${suffix}`);
    await ensureTopics(kafka, ownNaming, { partitions: 3, replicationFactor: 1 });
    const ownProducer = createEventProducer(kafka, ownNaming);
    const ownMetrics = createMetrics();
    const captured = captureLogger();
    const handled = store.connection.collection<{ _id: string; tenantId: string; offset: number }>(`handled_${suffix}`);
    const definition = defineConsumer<TransferEvent>({
      groupId: 'iex.isolation-test',
      topics: ['transfers'],
      schema: transferEventSchema,
      async handle(messages) {
        trouble(messages);
        await insertKeepingDuplicates(
          handled,
          messages.map(({ value, offset }) => ({ _id: value.id, tenantId: value.tenantId, offset: Number(offset) })),
        );
      },
    });
    const ownRunner = createConsumerRunner(definition, {
      kafka,
      naming: ownNaming,
      producer: ownProducer,
      logger: captured.logger,
      metrics: ownMetrics,
      retryDelayMs: { initial: 20, max: 200 },
      maxAttempts: 3,
      sessionTimeoutMs: 10_000,
    });
    stops.push(async () => {
      await ownRunner.stop();
      await ownProducer.disconnect();
    });
    await ownRunner.start();
    const group = ownNaming.group(definition.groupId);
    return {
      naming: ownNaming,
      producer: ownProducer,
      metrics: ownMetrics,
      records: captured.records,
      group,
      handled: () => handled.countDocuments(),
      wasHandled: async (id: string) => (await handled.countDocuments({ _id: id })) === 1,
      caughtUp: () => waitForGroupCaughtUp(admin, group, ownNaming.topic('transfers'), 60_000),
      /** Messages on the dead-letter topic, over all partitions. */
      deadLetterCount: async () =>
        (await admin.fetchTopicOffsets(ownNaming.topic('deadLetter'))).reduce(
          (sum, { offset }) => sum + Number(offset),
          0,
        ),
    };
  }

  const counterValues = async (counter: Metrics['deadLettered'] | Metrics['retries']) =>
    (await counter.get()).values.map(({ labels, value }) => ({ labels, value }));

  it('dead-letters the one message the handler keeps failing on, records and commits the rest, and goes on', async () => {
    const tenantId = 'poison';
    const events = Array.from({ length: 200 }, (_, n) =>
      transferEvent({ tenantId, reference: n === 120 ? 'poison' : `#${n}` }),
    );
    const poison = events[120]!;
    // A bug that only one payload trips: this event has no stage.
    const stageName = (event: TransferEvent) => (event.stage as unknown as { name: string }).name.toUpperCase();
    let poisonTries = 0;
    const side = await groupWith('poison', (messages) => {
      for (const { value } of messages) {
        if (value.reference === 'poison') {
          poisonTries += 1;
          stageName(value);
        }
      }
    });

    // One key: every event on one partition, the poison at offset 120 of it.
    const key = `${tenantId}:one-partition`;
    await side.producer.sendJson(
      'transfers',
      events.map((event) => ({ key, value: event })),
    );
    const [letter] = await readTopic(reader, side.naming.topic('deadLetter'), 1, { timeoutMs: 60_000 });

    // The partition is not stalled: what comes after the poison is handled too.
    const later = Array.from({ length: 5 }, () => transferEvent({ tenantId }));
    await side.producer.sendJson(
      'transfers',
      later.map((event) => ({ key, value: event })),
    );
    await side.caughtUp();

    expect(await side.handled()).toBe(204);
    expect(await side.wasHandled(poison.id)).toBe(false);
    expect(await side.wasHandled(later[4]!.id)).toBe(true);

    expect(await side.deadLetterCount()).toBe(1);
    expect(letter?.key?.toString()).toBe(key);
    expect(JSON.parse(letter!.value!.toString())).toEqual(poison);
    const header = (name: string) => letter?.headers?.[name]?.toString();
    expect(header(DEAD_LETTER_HEADERS.reason)).toBe(
      "handler failed: Cannot read properties of undefined (reading 'name')",
    );
    expect(header(DEAD_LETTER_HEADERS.topic)).toBe(side.naming.topic('transfers'));
    expect(header(DEAD_LETTER_HEADERS.offset)).toBe('120');
    expect(header(DEAD_LETTER_HEADERS.group)).toBe(side.group);

    expect(await counterValues(side.metrics.deadLettered)).toEqual([
      { labels: { group: 'iex.isolation-test', reason: 'failed' }, value: 1 },
    ]);
    const warnings = side.records.filter((record) => record.msg === 'message sent to the dead-letter topic');
    expect(warnings).toEqual([
      expect.objectContaining({
        level: 40,
        topic: side.naming.topic('transfers'),
        offset: '120',
        group: side.group,
        key,
        reason: "handler failed: Cannot read properties of undefined (reading 'name')",
      }),
    ]);
    expect(JSON.stringify(warnings)).not.toContain('    at ');
    // Bounded: three tries of the batch, one per half on the way down (200 → 1: 8 halvings), three alone.
    expect(poisonTries).toBeGreaterThanOrEqual(6);
    expect(poisonTries).toBeLessThanOrEqual(3 + 8 + 3);
  });

  it('waits out a store outage longer than the tries a failing message gets, and dead-letters nothing', async () => {
    const tenantId = 'outage-waited';
    const events = Array.from({ length: 20 }, () => transferEvent({ tenantId }));
    let outages = 8;
    const side = await groupWith('outage', () => {
      if (outages > 0) {
        outages -= 1;
        throw new mongoose.mongo.MongoNetworkError('connection 4 to 127.0.0.1:27017 closed');
      }
    });

    await side.producer.sendJson(
      'transfers',
      events.map((event) => ({ key: transferKey(event), value: event })),
    );
    await side.caughtUp();

    expect(outages).toBe(0);
    expect(await side.handled()).toBe(20);
    expect(await side.deadLetterCount()).toBe(0);
    expect(await counterValues(side.metrics.deadLettered)).toEqual([]);
    const retries = side.records.filter((record) => record.msg === 'handling a batch failed; retrying');
    expect(retries).toHaveLength(8);
    expect(retries.every((record) => record.failure === 'outage')).toBe(true);
    expect(side.records.some((record) => String(record.msg).includes('splitting'))).toBe(false);
  });

  it('goes back to waiting when the store goes away while it looks for the failing message', async () => {
    const tenantId = 'poison-outage';
    const events = Array.from({ length: 40 }, (_, n) =>
      transferEvent({ tenantId, reference: n === 30 ? 'poison' : `#${n}` }),
    );
    let outages = 5;
    const side = await groupWith('search', (messages) => {
      // The store goes away once the search for the failing message has begun.
      if (messages.length < events.length && outages > 0) {
        outages -= 1;
        throw new mongoose.mongo.MongoNetworkTimeoutError('connection 7 to 127.0.0.1:27017 timed out');
      }
      if (messages.some(({ value }) => value.reference === 'poison')) throw new RangeError('Invalid time value');
    });

    const key = `${tenantId}:one-partition`;
    await side.producer.sendJson(
      'transfers',
      events.map((event) => ({ key, value: event })),
    );
    await side.caughtUp();

    expect(outages).toBe(0);
    expect(await side.handled()).toBe(39);
    expect(await side.wasHandled(events[30]!.id)).toBe(false);
    expect(await side.deadLetterCount()).toBe(1);
    const [letter] = await readTopic(reader, side.naming.topic('deadLetter'), 1);
    expect(JSON.parse(letter!.value!.toString())).toEqual(events[30]);
    expect(letter?.headers?.[DEAD_LETTER_HEADERS.reason]?.toString()).toBe('handler failed: Invalid time value');
    const outageRetries = side.records.filter((record) => record.failure === 'outage');
    expect(outageRetries).toHaveLength(5);
  });
});
