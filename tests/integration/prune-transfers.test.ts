import { recordTransfers } from '../../consumers/transfer-recorder';
import type { Config } from '../../src/config/config';
import type { TransferEvent } from '../../src/domain/events';
import { pruneTransfers, type PruneTransfersDeps } from '../../src/jobs/prune-transfers';
import type { DecodedMessage } from '../../src/kafka/consumer-runner';
import type { EventProducer } from '../../src/kafka/producer';
import {
  connectStore,
  dayBucketSize,
  readDayBucket,
  tenantDays,
  transferDocId,
  viewIds,
  type Store,
} from '../../src/store';
import { transferEvent } from '../fixtures/transfer-events';
import { captureLogger, testConfig } from '../support/test-env';

const now = new Date('2026-11-28T03:17:00.000Z');
const DAY_MS = 24 * 60 * 60 * 1000;
const daysAgo = (days: number) => new Date(now.getTime() - days * DAY_MS);

let config: Config;
let store: Store;
const { logger } = captureLogger();
/** The recorder's alerts and commands are not what this test is about. */
const producer: EventProducer = {
  connect: async () => {},
  send: async () => {},
  sendJson: async () => {},
  disconnect: async () => {},
};
let recorder: ReturnType<typeof recordTransfers>;
const offsets = new Map<number, number>();

beforeAll(async () => {
  config = testConfig();
  store = connectStore(config.MONGO_URL);
  await store.ready();
  recorder = recordTransfers({ models: store.models, producer, logger });
  // The recorder dates a transfer's day bucket by its own clock: only Date is faked, so the
  // driver's and the broker client's timers run as usual.
  jest.useFakeTimers({
    advanceTimers: true,
    doNotFake: [
      'hrtime',
      'nextTick',
      'performance',
      'queueMicrotask',
      'setImmediate',
      'clearImmediate',
      'setInterval',
      'clearInterval',
      'setTimeout',
      'clearTimeout',
    ],
  });
});

afterAll(async () => {
  jest.useRealTimers();
  await store.connection.dropDatabase();
  await store.close();
});

/** A transfer's events go to one partition, as the transfer key does on the real topic. */
const partitionOf = (transferId: string) => Number(transferId.replace(/\D/g, '')) % 2;

/**
 * Records, through the real recorder, one started and one succeeded event of each transfer, as if
 * delivered `age` days before `now`: the recorder files a transfer under that day.
 */
async function record(tenantId: string, ages: Record<string, number>, type: TransferEvent['type'][] = []) {
  const byAge = new Map<number, string[]>();
  for (const [transferId, age] of Object.entries(ages)) byAge.set(age, [...(byAge.get(age) ?? []), transferId]);
  for (const [age, transferIds] of [...byAge].sort(([a], [b]) => b - a)) {
    jest.setSystemTime(daysAgo(age));
    const types: TransferEvent['type'][] = type.length > 0 ? type : ['transfer.started', 'transfer.succeeded'];
    const events = transferIds.flatMap((transferId) =>
      types.map((eventType, step) =>
        transferEvent({
          id: `${tenantId}-${transferId}-${eventType}-${age}`,
          type: eventType,
          tenantId,
          transferId,
          occurredAt: new Date(daysAgo(age).getTime() + step * 1000).toISOString(),
        }),
      ),
    );
    for (const partition of [0, 1]) {
      const messages: DecodedMessage<TransferEvent>[] = events
        .filter(({ transferId }) => partitionOf(transferId) === partition)
        .map((value) => {
          const offset = offsets.get(partition) ?? 0;
          offsets.set(partition, offset + 1);
          return {
            value,
            key: `${tenantId}:${value.transferId}`,
            topic: 'transfers',
            partition,
            offset: String(offset),
          };
        });
      if (messages.length > 0) await recorder.handle(messages);
    }
  }
  jest.setSystemTime(now);
}

/** What is left of each named transfer, read as the log reads it: by `_id`. */
async function remaining(tenantId: string, transferIds: string[]) {
  const { Transfer, TransferEvent } = store.models;
  const kept: string[] = [];
  const eventIds: string[] = [];
  for (const transferId of transferIds) {
    const doc = await Transfer.collection.findOne({ _id: transferDocId(tenantId, transferId) as never });
    if (doc) kept.push(transferId);
    for (const type of ['transfer.started', 'transfer.succeeded', 'transfer.failed']) {
      for (const age of [0, 1, 2, 3, 4, 9, 11, 15, 20, 25, 31, 60]) {
        const eventId = `${tenantId}-${transferId}-${type}-${age}`;
        if (await TransferEvent.collection.findOne({ _id: `${tenantId}:${eventId}` as never })) eventIds.push(eventId);
      }
    }
  }
  return { transfers: kept.sort(), events: eventIds.length };
}

const listedDays = (tenantId: string) => tenantDays(store.models, tenantId);

const day = (age: number) => daysAgo(age).toISOString().slice(0, 10);

test('deletes the days past the window and the oldest beyond the cap, with their events, tenant by tenant', async () => {
  const { Tenant, Usage, TransferView } = store.models;
  // Defaults: 30 days, newest 5. t5 (15 days) would go under beta's 10-day override.
  await Tenant.create({ tenantId: 'acme', name: 'Acme' });
  await record('acme', { t1: 1, t2: 2, t3: 3, t4: 4, t5: 15, t6: 20, t7: 25, t8: 31, t9: 60 });
  // Day 31 as a store written before 2026-12-02 holds it: one document per bucket, the day listed
  // on the tenant's partitions document. It goes like the others.
  for (const partition of [0, 1]) {
    const parts = await readDayBucket(store.models, 'acme', day(31), partition);
    for (const { _id } of parts) await TransferView.collection.deleteOne({ _id: _id as never });
    await TransferView.collection.updateOne({ _id: `days@${partition}:acme` as never }, {
      $pull: { days: day(31) },
    } as never);
    if (parts.length === 0) continue;
    await TransferView.collection.insertOne({
      _id: viewIds.day('acme', day(31), partition) as never,
      tenantId: 'acme',
      transferIds: parts.flatMap(({ transferIds }) => transferIds),
    });
  }
  await TransferView.collection.updateOne({ _id: viewIds.partitions('acme') as never }, {
    $addToSet: { days: day(31) },
  } as never);
  expect(await listedDays('acme')).toContain(day(31));
  expect((await readDayBucket(store.models, 'acme', day(31), partitionOf('t8'))).map(({ _id }) => _id)).toEqual([
    viewIds.day('acme', day(31), partitionOf('t8')),
  ]);
  // Same transfer ids as acme's pruned ones: only acme's may go.
  await Tenant.create({ tenantId: 'beta', name: 'Beta', retention: { days: 10, maxTransfers: 100 } });
  await record('beta', { t6: 1, t7: 9, t8: 11, t9: 20 });
  // t8 failed and was retried yesterday: retention goes by the day it was first recorded.
  await record('beta', { t8: 1 }, ['transfer.failed']);
  // Three transfers of one day and a cap of 2: the day is trimmed, the cap holds exactly.
  await Tenant.create({ tenantId: 'tied', name: 'Tied', retention: { maxTransfers: 2 } });
  await record('tied', { x1: 3, x2: 3, x3: 3 });
  // A tenant with nothing recorded is passed over.
  await Tenant.create({ tenantId: 'idle', name: 'Idle' });

  const usageBefore = await Usage.find().sort({ _id: 1 }).lean();
  expect(usageBefore.length).toBeGreaterThan(0);
  // Finished runs of scheduled jobs: one past the window, one within it, one still being watched.
  const run0 = { tenantId: 'acme', jobId: 'products', connectionId: 'products' };
  await store.models.JobRun.create([
    { ...run0, runId: 'old', tick: daysAgo(40), status: 'succeeded', finishedAt: daysAgo(40) },
    { ...run0, runId: 'recent', tick: daysAgo(2), status: 'failed', finishedAt: daysAgo(2) },
    { ...run0, runId: 'open', tick: daysAgo(40), status: 'running' },
  ]);

  const { logger: jobLogger, records } = captureLogger();
  const deps: PruneTransfersDeps = {
    models: store.models,
    settings: { retentionDays: 30, maxTransfersPerTenant: 5 },
    now: () => now,
  };
  const run = () =>
    pruneTransfers.run(deps, {
      tick: now,
      logger: jobLogger,
      instanceId: 'test',
      signal: new AbortController().signal,
    });

  // acme: t8, t9 past the window, t6, t7 over the cap; beta: t8, t9; tied: one of three.
  expect(await run()).toEqual({ tenants: 3, transfersDeleted: 7, eventsDeleted: 15, jobRunsDeleted: 1 });
  expect((await store.models.JobRun.find({}, { runId: 1 }).sort({ runId: 1 }).lean()).map((r) => r.runId)).toEqual([
    'open',
    'recent',
  ]);

  const all = ['t1', 't2', 't3', 't4', 't5', 't6', 't7', 't8', 't9'];
  expect(await remaining('acme', all)).toEqual({ transfers: ['t1', 't2', 't3', 't4', 't5'], events: 10 });
  expect(await remaining('beta', all)).toEqual({ transfers: ['t6', 't7'], events: 4 });
  const tied = await remaining('tied', ['x1', 'x2', 'x3']);
  expect(tied.transfers).toHaveLength(2);
  expect(tied.events).toBe(4);

  // Whole days went with their buckets; the trimmed day stays listed with what is left of it.
  expect((await listedDays('acme')).sort()).toEqual([day(15), day(4), day(3), day(2), day(1)].sort());
  expect((await listedDays('beta')).sort()).toEqual([day(9), day(1)].sort());
  expect(await listedDays('tied')).toEqual([day(3)]);
  for (const partition of [0, 1]) {
    for (const age of [20, 25, 31, 60]) {
      expect(await readDayBucket(store.models, 'acme', day(age), partition)).toEqual([]);
      expect(
        await TransferView.collection.findOne({ _id: viewIds.day('acme', day(age), partition) as never }),
      ).toBeNull();
    }
  }
  const tiedBuckets = await Promise.all(
    [0, 1].map((partition) => readDayBucket(store.models, 'tied', day(3), partition)),
  );
  expect(
    tiedBuckets
      .flat()
      .flatMap(({ transferIds }) => transferIds)
      .sort(),
  ).toEqual(tied.transfers);
  // The trimmed buckets' sizes, read from their chunks' running totals, count what is left.
  const tiedSizes = await Promise.all(
    [0, 1].map((partition) => dayBucketSize(store.models, 'tied', day(3), partition)),
  );
  expect(tiedSizes.reduce((sum, size) => sum + size, 0)).toBe(2);

  expect(await Usage.find().sort({ _id: 1 }).lean()).toEqual(usageBefore);

  const summaries = records.filter((record) => record.msg === 'pruned transfers');
  expect(summaries).toEqual([expect.objectContaining({ tenants: 3, transfersDeleted: 7, eventsDeleted: 15 })]);

  // What is left is within bounds: a second run finds nothing to do.
  expect(await run()).toEqual({ tenants: 3, transfersDeleted: 0, eventsDeleted: 0, jobRunsDeleted: 0 });

  // The recorder goes on filing new transfers after a run.
  await record('tied', { x4: 0 });
  expect(await run()).toEqual({ tenants: 3, transfersDeleted: 1, eventsDeleted: 2, jobRunsDeleted: 0 });
  expect((await remaining('tied', ['x1', 'x2', 'x3', 'x4'])).transfers).toHaveLength(2);
});
