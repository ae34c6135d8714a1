import { Types } from 'mongoose';
import type { AlertEvent } from '../../src/domain/alerts';
import { settleSyncRuns } from '../../src/services/connection-sync/run-results';
import { startSyncRun, syncRunId } from '../../src/services/connection-sync/sync-run';
import type { EventProducer } from '../../src/kafka/producer';
import { createJobsPort } from '../../src/services/ports/jobs';
import {
  chunked,
  connectStore,
  pruneJobRuns,
  recordJobRun,
  upgradeLegacyJobRuns,
  viewIds,
  type RecentRun,
  type Store,
} from '../../src/store';
import { captureLogger, testConfig } from '../support/test-env';

/**
 * Job runs stay correct however long the history: the settle loop and `/iex jobs` read runs by
 * `_id` (and small collections), never the history, and what they need of it is kept on the job.
 */

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const tenantId = 'history';
const { logger } = captureLogger();
let store: Store;
const sent: Array<{ topic: string; value: unknown }> = [];
const producer = {
  connect: async () => {},
  send: async () => {},
  sendJson: async (topic: string, messages: Array<{ value: unknown }>) => {
    for (const message of messages) sent.push({ topic, value: message.value });
  },
  disconnect: async () => {},
} as unknown as EventProducer;

beforeAll(async () => {
  store = connectStore(testConfig().MONGO_URL);
  await store.ready();
  const { models } = store;
  await models.Tenant.create({ tenantId, name: 'History' });
  await models.System.insertMany([
    { tenantId, systemId: 'shop', kind: 'shopify' as const, name: 'Shopify', role: 'source' as const },
    { tenantId, systemId: 'erp', kind: 'e-conomic' as const, name: 'e-conomic', role: 'target' as const },
  ]);
  const connection = {
    tenantId,
    fromSystemId: 'shop',
    toSystemId: 'erp',
    mode: 'schedule' as const,
    cron: '0 * * * *',
  };
  await models.DataConnection.insertMany([
    { ...connection, connectionId: 'products', entity: 'product' as const },
    { ...connection, connectionId: 'stock', entity: 'stock' as const, fromSystemId: 'erp', toSystemId: 'shop' },
  ]);
}, 60_000);

afterAll(async () => {
  await store?.connection.dropDatabase();
  await store?.close();
});

test('with thousands of runs stored, an open run settles and /iex jobs shows each job its last run', async () => {
  const { models } = store;
  const now = new Date(Math.floor(Date.now() / HOUR) * HOUR);
  // 1,500 hourly runs of each job (two months), in the documented shape: `_id` is the runId.
  const history = (jobId: string) =>
    Array.from({ length: 1500 }, (_, index) => {
      const tick = new Date(now.getTime() - (1500 - index) * HOUR);
      const runId = syncRunId(tenantId, jobId, tick);
      // The last two of products failed; stock's last run had 7 transfers, 2 failed.
      const failed = jobId === 'products' ? index >= 1498 : index === 1499 || index % 10 === 3;
      return {
        _id: runId,
        runId,
        tenantId,
        jobId,
        connectionId: jobId,
        tick,
        status: failed ? ('failed' as const) : ('succeeded' as const),
        manual: false,
        answerBy: new Date(tick.getTime() + 30 * 60_000),
        transfers:
          index === 1499 && jobId === 'stock'
            ? { total: 7, succeeded: 5, failed: 2 }
            : { total: 3, succeeded: 3, failed: 0 },
        ...(failed ? { failure: `stock.rejected: run ${index}` } : {}),
        finishedAt: new Date(tick.getTime() + 60_000),
      };
    });
  const runs = { products: history('products'), stock: history('stock') };
  for (const slice of chunked([...runs.products, ...runs.stock], 500)) {
    await models.JobRun.insertMany(slice, { ordered: false });
  }
  // The jobs as the settle loop leaves them: the last run, and the recent results newest first.
  const recentOf = (list: typeof runs.products): RecentRun[] =>
    list
      .slice(-50)
      .reverse()
      .map(({ runId, status, tick }) => ({ runId, status, tick }));
  for (const jobId of ['products', 'stock'] as const) {
    const last = runs[jobId].at(-1)!;
    await models.Job.create({
      tenantId,
      jobId,
      connectionId: jobId,
      cron: '0 * * * *',
      lastRunAt: last.tick,
      lastStatus: last.status,
      lastRunId: last.runId,
      nextRunAt: new Date(now.getTime() + HOUR),
      recentRuns: recentOf(runs[jobId]),
    });
  }
  expect(await models.JobRun.estimatedDocumentCount()).toBe(3000);

  // A new run of products; the engine answers with one failed transfer.
  const started = await startSyncRun(
    { models, producer, logger, answerTimeoutMs: 30 * 60_000 },
    { tenantId, connectionId: 'products', tick: now, now },
  );
  expect(started).toMatchObject({ status: 'running' });
  const runId = syncRunId(tenantId, 'products', now);
  expect(await models.OpenRun.find({}).lean()).toEqual([expect.objectContaining({ _id: runId, tenantId })]);
  await models.TransferView.collection.insertMany([
    { _id: viewIds.partitions(tenantId) as never, tenantId, partitions: [0] },
    {
      _id: viewIds.run(tenantId, runId, 0) as never,
      tenantId,
      transfers: [
        {
          transferId: 'sku-1',
          status: 'failed',
          error: { code: 'economic.product_group_missing', message: 'Product group 11 does not exist' },
          updatedAt: new Date(now.getTime() + 1000),
        },
      ],
    },
  ]);

  const settleDeps = { models, producer, logger, failureAlertAfter: 3, settleMs: 5000 };
  // Too early: the transfer changed less than settleMs ago; the counts are kept on the run.
  expect(await settleSyncRuns(settleDeps, new Date(now.getTime() + 2000))).toBe(0);
  expect((await models.JobRun.findOne({ _id: runId }).lean())?.transfers).toMatchObject({ total: 1, failed: 1 });
  expect(await settleSyncRuns(settleDeps, new Date(now.getTime() + 60_000))).toBe(1);

  const run = await models.JobRun.findOne({ _id: runId }).lean();
  expect(run).toMatchObject({
    status: 'failed',
    transfers: { total: 1, succeeded: 0, failed: 1 },
    failure: 'economic.product_group_missing: Product group 11 does not exist',
  });
  expect(await models.OpenRun.countDocuments()).toBe(0);
  const job = await models.Job.findOne({ tenantId, jobId: 'products' }).lean();
  expect(job).toMatchObject({ lastRunId: runId, lastStatus: 'failed' });
  expect(job?.recentRuns?.slice(0, 3).map((entry) => entry.status)).toEqual(['failed', 'failed', 'failed']);
  expect(job?.recentRuns?.[0]?.runId).toBe(runId);
  expect(job?.recentRuns).toHaveLength(50);
  // Three failed runs in a row (two before, this one): one alert, derived from this run.
  const alerts = sent.filter(({ topic }) => topic === 'alerts').map(({ value }) => value as AlertEvent);
  expect(alerts).toEqual([
    expect.objectContaining({ kind: 'job.failing', id: `job.failing:${runId}`, failures: 3, lastStatus: 'failed' }),
  ]);
  // Settling again finds nothing open.
  expect(await settleSyncRuns(settleDeps, new Date(now.getTime() + 120_000))).toBe(0);

  const jobs = await createJobsPort({ models, producer, logger }).list(tenantId);
  expect(jobs.find((view) => view.jobId === 'products')).toMatchObject({
    lastStatus: 'failed',
    lastResult: { transfers: 1, failed: 1 },
    lastFailure: 'economic.product_group_missing: Product group 11 does not exist',
  });
  expect(jobs.find((view) => view.jobId === 'stock')).toMatchObject({
    lastStatus: 'failed',
    lastResult: { transfers: 7, failed: 2 },
    lastFailure: 'stock.rejected: run 1499',
  });

  // A good run next hour recovers the job.
  const next = new Date(now.getTime() + HOUR);
  await startSyncRun(
    { models, producer, logger, answerTimeoutMs: 30 * 60_000 },
    { tenantId, connectionId: 'products', tick: next, now: next },
  );
  const nextId = syncRunId(tenantId, 'products', next);
  await models.TransferView.collection.insertOne({
    _id: viewIds.run(tenantId, nextId, 0) as never,
    tenantId,
    transfers: [{ transferId: 'sku-1', status: 'succeeded', updatedAt: next }],
  });
  expect(await settleSyncRuns(settleDeps, new Date(next.getTime() + 60_000))).toBe(1);
  expect(sent.map(({ value }) => value as AlertEvent).at(-1)).toMatchObject({
    kind: 'job.recovered',
    id: `job.recovered:${nextId}`,
  });
}, 120_000);

test('a store of the previous version: its running run settles after the upgrade, and retention goes by day', async () => {
  const { models } = store;
  const now = new Date();
  const tick = new Date(now.getTime() - 10 * 60_000);
  const legacyId = syncRunId(tenantId, 'stock', tick);
  // Written by the previous version: ObjectId `_id`s, no openRuns, no recentRuns on the job.
  await models.JobRun.collection.insertMany([
    {
      _id: new Types.ObjectId(),
      tenantId,
      jobId: 'stock',
      connectionId: 'stock',
      runId: legacyId,
      tick,
      status: 'running',
      manual: false,
      answerBy: new Date(now.getTime() - 1000),
      transfers: { total: 0, succeeded: 0, failed: 0 },
      createdAt: tick,
    },
    {
      _id: new Types.ObjectId(),
      tenantId,
      jobId: 'stock',
      connectionId: 'stock',
      runId: 'legacy-finished',
      tick: new Date(now.getTime() - 40 * DAY),
      status: 'succeeded',
      finishedAt: new Date(now.getTime() - 40 * DAY),
    },
  ] as never);
  await models.Job.updateOne({ tenantId, jobId: 'stock' }, { $set: { lastRunId: legacyId, lastStatus: 'running' } });

  await upgradeLegacyJobRuns(models, logger);
  await upgradeLegacyJobRuns(models, logger); // once only
  expect(await models.JobRun.findOne({ _id: legacyId }).lean()).toMatchObject({ status: 'running' });
  expect((await models.OpenRun.find({}).lean()).map((marker) => marker._id)).toEqual([legacyId]);

  const settleDeps = { models, producer, logger, failureAlertAfter: 3, settleMs: 5000 };
  expect(await settleSyncRuns(settleDeps, now)).toBe(1);
  expect(await models.JobRun.findOne({ _id: legacyId }).lean()).toMatchObject({ status: 'no_answer' });
  expect(await models.Job.findOne({ tenantId, jobId: 'stock' }).lean()).toMatchObject({ lastStatus: 'no_answer' });
  const jobs = await createJobsPort({ models, producer, logger }).list(tenantId);
  expect(jobs.find((view) => view.jobId === 'stock')).toMatchObject({ lastStatus: 'no_answer' });

  // Retention: a run recorded 40 days ago goes with its day bucket; the legacy finished run by the
  // old query, once; runs within the window stay.
  const old = new Date(now.getTime() - 40 * DAY);
  const oldId = syncRunId(tenantId, 'products', old, true);
  await recordJobRun(
    models,
    {
      tenantId,
      jobId: 'products',
      connectionId: 'products',
      runId: oldId,
      tick: old,
      status: 'skipped',
      finishedAt: old,
    },
    old,
  );
  const before = await models.JobRun.estimatedDocumentCount();
  // The runs inserted directly by the test above were never listed in a day bucket: while legacy
  // runs remain, the old query takes those past the window as well (a test may search).
  const cutoff = new Date(now.getTime() - 30 * DAY);
  const unlisted = await models.JobRun.countDocuments({ finishedAt: { $lt: cutoff }, _id: { $ne: oldId } });
  const deleted = await pruneJobRuns(models, { now, retentionDays: 30 });
  expect(deleted).toBe(1 + unlisted);
  expect(await models.JobRun.estimatedDocumentCount()).toBe(before - deleted);
  expect(await models.JobRun.findOne({ _id: oldId }).lean()).toBeNull();
  expect(await models.JobRun.findOne({ runId: 'legacy-finished' }).lean()).toBeNull();
  expect(await models.JobRun.findOne({ _id: legacyId }).lean()).not.toBeNull();
  // Nothing legacy is left: the next prune does not search.
  expect(await models.JobRunView.collection.findOne({ _id: 'migration:job-runs-v1' as never })).toMatchObject({
    legacyLeft: false,
  });
  expect(await pruneJobRuns(models, { now, retentionDays: 30 })).toBe(0);
}, 120_000);
