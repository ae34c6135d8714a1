import { type NotificationTrigger } from '../../src/domain/closed-lists';
import type { Config } from '../../src/config/config';
import type { AlertEvent } from '../../src/domain/alerts';
import { dailyDigest, type DailyDigestDeps } from '../../src/jobs/daily-digest';
import { ensureTopics } from '../../src/kafka/admin';
import { createKafka } from '../../src/kafka/client';
import { createEventProducer, type EventProducer } from '../../src/kafka/producer';
import { createNaming, type Naming } from '../../src/kafka/topics';
import type { FoldedTransfer } from '../../src/domain/transfer-fold';
import { connectStore, recordPartition, usageDocId, type Store } from '../../src/store';
import { writeTransferViews } from '../../src/store/transfer-view-writer';
import { VAT } from '../fixtures/alert-events';
import { createTestTenant } from '../fixtures/tenants';
import { readTopic, testKafka } from '../support/kafka';
import { captureLogger, testConfig } from '../support/test-env';

type Digest = Extract<AlertEvent, { kind: 'digest' }>;

// 10:30 in Copenhagen (CET): yesterday there was Wednesday 26 November.
const MORNING = new Date('2025-11-27T09:30:00Z');
const DAY = '2025-11-26';
const DIGEST_HOUR = 8;

let config: Config;
let naming: Naming;
let store: Store;
let producer: EventProducer;
const { logger } = captureLogger();

beforeAll(async () => {
  config = testConfig();
  naming = createNaming(config.KAFKA_NAMESPACE);
  store = connectStore(config.MONGO_URL);
  await store.ready();
  const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'digest-test', logger });
  await ensureTopics(kafka, naming, { partitions: 3, replicationFactor: 1 });
  producer = createEventProducer(kafka, naming);
});

afterAll(async () => {
  await producer?.disconnect();
  await store?.connection.dropDatabase();
  await store?.close();
});

const runAt = (now: Date) => {
  const deps: DailyDigestDeps = {
    models: store.models,
    producer,
    settings: { digestHour: DIGEST_HOUR },
    now: () => now,
  };
  return dailyDigest.run(deps, { tick: now, logger, instanceId: 'test', signal: new AbortController().signal });
};

async function tenantWithRules(triggers: NotificationTrigger[]) {
  const tenant = await createTestTenant(store.models);
  if (triggers.length > 0)
    await store.models.NotificationRule.create(
      triggers.map((trigger) => ({
        tenantId: tenant.tenantId,
        trigger,
        recipient: { kind: 'slack' as const, target: `C-${trigger}` },
      })),
    );
  return tenant;
}

const counts = (created: number, updated: number, failed: number) => ({ created, updated, failed });

/** Usage as the recorder counts it: one document per partition, by `_id`, with day buckets. */
async function seedUsage(tenantId: string) {
  const usage = (partition: number, lastOffset: number, ordersUsed: number, days: Record<string, unknown>) => ({
    _id: usageDocId(tenantId, '2025-11', partition),
    tenantId,
    period: '2025-11',
    partition,
    lastOffset,
    ordersUsed,
    days,
  });
  await store.models.Usage.collection.insertMany([
    usage(0, 40, 430, {
      '2025-11-25': { order: counts(50, 0, 0), product: counts(0, 0, 0), stock: counts(0, 0, 0) },
      [DAY]: { order: counts(12, 1, 2), product: counts(0, 5, 1), stock: counts(0, 40, 0) },
    }),
    usage(2, 7, 20, { [DAY]: { order: counts(3, 0, 1), product: counts(0, 0, 0), stock: counts(0, 2, 0) } }),
  ] as never[]);
  for (const partition of [0, 2]) await recordPartition(store.models, tenantId, partition);
}

async function seedTransfers(tenantId: string) {
  let n = 0;
  const transfer = (
    status: 'failed' | 'held' | 'succeeded',
    finishedAt?: string,
    error?: { code: string; message: string },
  ): FoldedTransfer => ({
    tenantId,
    transferId: `tr-${(n += 1)}`,
    connectionId: error?.code === 'economic.product_missing' ? 'products' : 'orders',
    entity: error?.code === 'economic.product_missing' ? ('product' as const) : ('order' as const),
    operation: 'create' as const,
    status,
    ...(status === 'held'
      ? { hold: { reason: 'quota_exceeded' as const, message: 'The month’s orders are used up' } }
      : {}),
    stages: [],
    attempts: 1,
    eventIds: [],
    startedAt: new Date('2025-11-25T12:00:00Z'),
    ...(finishedAt ? { finishedAt: new Date(finishedAt) } : {}),
    ...(error ? { error: { ...error, retryable: false } } : {}),
  });
  const vat = (country: string, order: string) => ({ code: VAT.code, message: VAT.message(country, order) });
  const missing = {
    code: 'economic.product_missing',
    message: 'Product number "NEW-1" does not exist in e-conomic: create it',
  };
  const transfers = [
    // 00:30 on the 26th in Copenhagen, still the 25th in UTC: yesterday's.
    transfer('failed', '2025-11-25T23:30:00Z', vat('NO', '#1012')),
    transfer('failed', '2025-11-26T10:00:00Z', vat('DE', '#1013')),
    transfer('failed', '2025-11-26T22:59:00Z', vat('SE', '#1014')),
    transfer('failed', '2025-11-26T12:00:00Z', missing),
    // The day before and today (in Copenhagen) are not yesterday.
    transfer('failed', '2025-11-25T22:59:00Z', vat('FI', '#1001')),
    transfer('failed', '2025-11-26T23:00:00Z', vat('IS', '#1020')),
    transfer('held'),
    transfer('held'),
    transfer('succeeded', '2025-11-26T10:00:00Z'),
  ];
  // The digest reads what the recorder keeps of them: its views, written here by its own writer,
  // split over two partitions as the recorder would see them.
  const noMemory = { ring: () => undefined, setRing: () => {} };
  for (const partition of [0, 2]) {
    await recordPartition(store.models, tenantId, partition);
    await writeTransferViews(
      { models: store.models, cache: noMemory },
      partition,
      transfers
        .filter((_, index) => index % 2 === partition / 2)
        .map((transfer) => ({ transfer, updatedAt: transfer.finishedAt ?? transfer.startedAt, isNew: true })),
    );
  }
}

/**
 * Every alert on the topic for a tenant, up to a marker the test sends after the runs: alerts are
 * keyed by tenant, so all of them are on the marker's partition, before it, and read in order.
 */
async function alertsOf(tenantId: string): Promise<Array<{ kind: string }>> {
  await producer.sendJson('alerts', [{ key: tenantId, value: { kind: 'test.marker', tenantId } }]);
  const seen: Array<{ kind: string }> = [];
  await readTopic(testKafka(), naming.topic('alerts'), 1, {
    where: (message) => {
      const value = JSON.parse(message.value!.toString()) as { kind: string; tenantId: string };
      if (value.tenantId !== tenantId) return false;
      if (value.kind === 'test.marker') return true;
      seen.push(value);
      return false;
    },
  });
  return seen;
}

describe('the daily digest job', () => {
  it("sends one digest of yesterday's transfers, failures by cause, quota and holds, however often it runs", async () => {
    const tenant = await tenantWithRules(['digest', 'transfer.failed']);
    await seedUsage(tenant.tenantId);
    await seedTransfers(tenant.tenantId);

    // Two instances at once, then the next hour's run.
    const [a, b] = await Promise.all([runAt(MORNING), runAt(MORNING)]);
    expect(a.sent + b.sent).toBe(1);
    expect((await runAt(new Date(MORNING.getTime() + 60 * 60_000))).sent).toBe(0);

    const alerts = await alertsOf(tenant.tenantId);
    expect(alerts).toHaveLength(1);
    const digest = alerts[0] as Digest;
    expect(digest).toEqual({
      kind: 'digest',
      id: `digest:${tenant.tenantId}:${DAY}`,
      groupKey: `digest:${tenant.tenantId}:${DAY}`,
      tenantId: tenant.tenantId,
      occurredAt: MORNING.toISOString(),
      day: DAY,
      period: '2025-11',
      transfers: { order: counts(15, 1, 3), product: counts(0, 5, 1), stock: counts(0, 42, 0) },
      failuresByCause: [
        { code: VAT.code, reason: 'Unknown VAT zone for country', count: 3 },
        {
          code: 'economic.product_missing',
          reason: 'Product number "NEW-1" does not exist in e-conomic',
          count: 1,
        },
      ],
      quota: { used: 450, allowance: 500 },
      held: 2,
    });
    await expect(
      store.models.Lease.findOne({ name: `digest:${tenant.tenantId}:${DAY}` }).lean(),
    ).resolves.toMatchObject({ job: 'daily-digest', done: true });
  });

  it('sends the digest again when the instance that claimed it died before it was out', async () => {
    const tenant = await tenantWithRules(['digest']);
    await seedUsage(tenant.tenantId);
    const name = `digest:${tenant.tenantId}:${DAY}`;
    // Claimed 20 minutes before, never marked sent.
    await store.models.Lease.create({
      name,
      owner: 'dead',
      job: 'daily-digest',
      until: new Date(MORNING.getTime() - 10 * 60_000),
      done: false,
    });
    expect((await runAt(MORNING)).sent).toBe(1);
    expect((await runAt(new Date(MORNING.getTime() + 60 * 60_000))).sent).toBe(0);
    expect(await alertsOf(tenant.tenantId)).toEqual([expect.objectContaining({ kind: 'digest', id: name })]);
    await expect(store.models.Lease.findOne({ name }).lean()).resolves.toMatchObject({ done: true });
  });

  it('sends nothing to a tenant without digest recipients', async () => {
    const tenant = await tenantWithRules(['transfer.failed', 'job.missed']);
    await seedUsage(tenant.tenantId);
    await runAt(MORNING);
    expect(await alertsOf(tenant.tenantId)).toEqual([]);
  });

  it('waits for the digest hour in the tenant’s time zone, and catches up at the next run after it', async () => {
    const tenant = await tenantWithRules(['digest']);
    await seedUsage(tenant.tenantId);
    // 07:59 in Copenhagen.
    await runAt(new Date('2025-11-27T06:59:00Z'));
    expect(await alertsOf(tenant.tenantId)).toEqual([]);

    // The service was down at 08:00 and 09:00; its 10:00 run sends the digest.
    await runAt(new Date('2025-11-27T09:00:00Z'));
    const alerts = await alertsOf(tenant.tenantId);
    expect(alerts.map(({ kind }) => kind)).toEqual(['digest']);
    expect((alerts[0] as Digest).day).toBe(DAY);
  });
});
