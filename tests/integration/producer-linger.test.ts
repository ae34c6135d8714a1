import type { ProducerRecord } from 'kafkajs';
import { ensureTopics } from '../../src/kafka/admin';
import { createKafka } from '../../src/kafka/client';
import { createEventProducer, type EventProducer, type EventProducerOptions } from '../../src/kafka/producer';
import { createNaming, type Naming } from '../../src/kafka/topics';
import { readTopic, testKafka } from '../support/kafka';
import { captureLogger, testConfig } from '../support/test-env';

describe('the event producer with a linger, on the real broker', () => {
  const { logger } = captureLogger();
  const config = testConfig();
  const naming: Naming = createNaming(config.KAFKA_NAMESPACE);
  const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'linger-test', logger });
  const producers: EventProducer[] = [];

  /** A producer whose produce requests are recorded (and may be made to fail) on their way to kafkajs. */
  const lingering = (options: EventProducerOptions & { fail?: (record: ProducerRecord) => boolean } = {}) => {
    const requests: ProducerRecord[] = [];
    const producer = createEventProducer(kafka, naming, {
      lingerMs: 5,
      ...options,
      wrapSend: async (record, send) => {
        requests.push(record);
        if (options.fail?.(record)) throw new Error('the broker refused the request');
        return send(record);
      },
    });
    producers.push(producer);
    return { producer, requests };
  };

  beforeAll(async () => {
    await ensureTopics(kafka, naming, { partitions: 3, replicationFactor: 1 });
  });

  afterAll(async () => {
    for (const producer of producers) await producer.disconnect().catch(() => undefined);
  });

  it('carries 100 concurrent sends in fewer produce requests, and resolves each once the broker has it', async () => {
    const { producer, requests } = lingering();
    await producer.connect();
    const tag = `batch-${Date.now()}`;
    const calls = Array.from({ length: 100 }, (_, n) =>
      producer.sendJson('commands', [{ key: `tenant-${n % 7}`, value: { tag, n } }]),
    );

    await expect(Promise.all(calls)).resolves.toHaveLength(100);
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.length).toBeLessThan(100);
    expect(requests.reduce((total, record) => total + record.messages.length, 0)).toBe(100);

    const onTopic = await readTopic(testKafka(), naming.topic('commands'), 100, {
      where: (message) => (JSON.parse(message.value!.toString()) as { tag?: string }).tag === tag,
    });
    const numbers = onTopic.map((message) => (JSON.parse(message.value!.toString()) as { n: number }).n);
    expect(new Set(numbers).size).toBe(100);
  });

  it('rejects every caller whose messages were in a produce request that failed', async () => {
    const { producer, requests } = lingering({ fail: (record) => record.messages.length > 1 });
    await producer.connect();
    const outcomes = await Promise.allSettled(
      Array.from({ length: 10 }, (_, n) => producer.sendJson('commands', [{ key: 'k', value: { n } }])),
    );

    expect(requests).toHaveLength(1);
    expect(requests[0]!.messages).toHaveLength(10);
    expect(outcomes.every((outcome) => outcome.status === 'rejected')).toBe(true);
    expect((outcomes[0] as PromiseRejectedResult).reason).toEqual(new Error('the broker refused the request'));
  });

  it('starts a new request at the batch limit, and sends a call larger than the limit on its own', async () => {
    const { producer, requests } = lingering({ maxBatchMessages: 4 });
    await producer.connect();
    const one = (n: number) => producer.sendJson('commands', [{ key: 'k', value: { n } }]);
    const calls = [1, 2, 3, 4, 5].map(one);
    // Six messages: what waits (message 5) goes first, then these six in a request of their own.
    calls.push(
      producer.sendJson(
        'commands',
        Array.from({ length: 6 }, (_, n) => ({ key: 'k', value: { n: 100 + n } })),
      ),
    );
    await Promise.all(calls);

    expect(requests.map((record) => record.messages.length)).toEqual([4, 1, 6]);
  });

  it('sends each call on its own with linger 0', async () => {
    const { producer, requests } = lingering({ lingerMs: 0 });
    await producer.connect();
    await Promise.all(Array.from({ length: 5 }, (_, n) => producer.sendJson('commands', [{ key: 'k', value: { n } }])));

    expect(requests).toHaveLength(5);
  });

  it('sends what is still lingering before it disconnects', async () => {
    const { producer, requests } = lingering({ lingerMs: 10_000 });
    await producer.connect();
    const sent = producer.sendJson('commands', [{ key: 'k', value: { last: true } }]);
    await producer.disconnect();

    await expect(sent).resolves.toBeUndefined();
    expect(requests).toHaveLength(1);
  });
});
