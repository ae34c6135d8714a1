import type { Config } from '../../src/config/config';
import { pruneTransfers, type PruneTransfersDeps } from '../../src/jobs/prune-transfers';
import { connectStore, type Store } from '../../src/store';
import { captureLogger, testConfig } from '../support/test-env';

const now = new Date('2026-11-28T03:17:00.000Z');
const DAY_MS = 24 * 60 * 60 * 1000;
const daysAgo = (days: number) => new Date(now.getTime() - days * DAY_MS);

let config: Config;
let store: Store;

beforeAll(async () => {
  config = testConfig();
  store = connectStore(config.MONGO_URL);
  await store.ready();
});

afterAll(async () => {
  await store.connection.dropDatabase();
  await store.close();
});

/** Raw inserts: mongoose's timestamps would overwrite the `updatedAt` the test needs. */
async function seedTransfers(tenantId: string, ages: Record<string, number>) {
  const { Transfer, TransferEvent } = store.models;
  const transferIds = Object.keys(ages);
  await Transfer.collection.insertMany(
    transferIds.map((transferId) => ({
      tenantId,
      transferId,
      connectionId: 'shopify-economic-orders',
      entity: 'order',
      operation: 'create',
      status: 'succeeded',
      attempts: 1,
      createdAt: daysAgo(ages[transferId]! + 1),
      updatedAt: daysAgo(ages[transferId]!),
    })),
  );
  await TransferEvent.collection.insertMany(
    transferIds.flatMap((transferId) =>
      (['transfer.started', 'transfer.succeeded'] as const).map((type) => ({
        tenantId,
        eventId: `${transferId}-${type}`,
        transferId,
        type,
        occurredAt: daysAgo(ages[transferId]!),
        event: { id: `${transferId}-${type}` },
      })),
    ),
  );
}

async function remaining(tenantId: string) {
  const { Transfer, TransferEvent } = store.models;
  const transfers = await Transfer.find({ tenantId }, { transferId: 1 }).lean();
  const events = await TransferEvent.find({ tenantId }, { transferId: 1 }).lean();
  return {
    transfers: transfers.map((t) => t.transferId).sort(),
    events: [...new Set(events.map((e) => e.transferId))].sort(),
    eventCount: events.length,
  };
}

test('deletes expired transfers and those beyond the cap, with their events, tenant by tenant', async () => {
  const { Tenant, TransferEvent, Usage } = store.models;
  // Defaults: 30 days, newest 5. t5 (15 days) would go under beta's 10-day override.
  await Tenant.create({ tenantId: 'acme', name: 'Acme' });
  await seedTransfers('acme', { t1: 1, t2: 2, t3: 3, t4: 4, t5: 15, t6: 20, t7: 25, t8: 31, t9: 60 });
  // Same transfer ids as acme's pruned ones: only acme's may go.
  await Tenant.create({ tenantId: 'beta', name: 'Beta', retention: { days: 10, maxTransfers: 100 } });
  await seedTransfers('beta', { t6: 1, t7: 9, t8: 11, t9: 20 });
  // Three transfers at one instant and a cap of 2: the cap holds exactly even on a tie.
  await Tenant.create({ tenantId: 'tied', name: 'Tied', retention: { maxTransfers: 2 } });
  await seedTransfers('tied', { x1: 3, x2: 3, x3: 3 });
  // An event whose transfer is not in the log (e.g. still being folded) is not retention's to drop.
  await TransferEvent.collection.insertOne({
    tenantId: 'acme',
    eventId: 'loose',
    transferId: 't99',
    type: 'transfer.started',
    occurredAt: daysAgo(90),
    event: { id: 'loose' },
  });
  await Usage.collection.insertOne({
    tenantId: 'acme',
    period: '2020-01',
    partition: 0,
    lastOffset: 41,
    ordersUsed: 7,
    counters: { order: { created: 7, updated: 0, failed: 1 } },
    createdAt: daysAgo(2000),
    updatedAt: daysAgo(2000),
  });
  const usageBefore = await Usage.find().lean();
  // Finished runs of scheduled jobs: one past the window, one within it, one still being watched.
  const run0 = { tenantId: 'acme', jobId: 'products', connectionId: 'products' };
  await store.models.JobRun.create([
    { ...run0, runId: 'old', tick: daysAgo(40), status: 'succeeded', finishedAt: daysAgo(40) },
    { ...run0, runId: 'recent', tick: daysAgo(2), status: 'failed', finishedAt: daysAgo(2) },
    { ...run0, runId: 'open', tick: daysAgo(40), status: 'running' },
  ]);

  const { logger, records } = captureLogger();
  const deps: PruneTransfersDeps = {
    models: store.models,
    settings: { retentionDays: 30, maxTransfersPerTenant: 5, batchSize: 2 },
    now: () => now,
  };
  const run = () =>
    pruneTransfers.run(deps, { tick: now, logger, instanceId: 'test', signal: new AbortController().signal });

  expect(await run()).toEqual({ tenants: 3, transfersDeleted: 7, eventsDeleted: 14, jobRunsDeleted: 1 });
  expect((await store.models.JobRun.find({}, { runId: 1 }).sort({ runId: 1 }).lean()).map((r) => r.runId)).toEqual([
    'open',
    'recent',
  ]);

  expect(await remaining('acme')).toEqual({
    transfers: ['t1', 't2', 't3', 't4', 't5'],
    events: ['t1', 't2', 't3', 't4', 't5', 't99'],
    eventCount: 11,
  });
  expect(await remaining('beta')).toEqual({ transfers: ['t6', 't7'], events: ['t6', 't7'], eventCount: 4 });
  const tied = await remaining('tied');
  expect(tied.transfers).toHaveLength(2);
  expect(tied.events).toEqual(tied.transfers);
  expect(await Usage.find().lean()).toEqual(usageBefore);

  const summaries = records.filter((record) => record.msg === 'pruned transfers');
  expect(summaries).toEqual([expect.objectContaining({ tenants: 3, transfersDeleted: 7, eventsDeleted: 14 })]);

  // What is left is within bounds: a second run finds nothing to do.
  expect(await run()).toEqual({ tenants: 3, transfersDeleted: 0, eventsDeleted: 0, jobRunsDeleted: 0 });
});
