import type { DayBucketPart, Models } from '../store';
import {
  chunked,
  countRemovedFromDay,
  dayBucketSize,
  mapBounded,
  pruneJobRuns,
  readDayBucket,
  tenantDays,
  tenantPartitions,
  transferDocId,
  unlistDay,
} from '../store';
import { DEFAULT_TIMEZONE } from '../domain/closed-lists';
import { defineJob } from './define-job';

export interface RetentionSettings {
  /**
   * Transfers first recorded more than this many days ago are deleted, unless the tenant sets
   * `retention.days`.
   */
  retentionDays: number;
  /** Per tenant, transfers beyond the newest this many are deleted, unless it sets `retention.maxTransfers`. */
  maxTransfersPerTenant: number;
}

export interface PruneTransfersDeps {
  models: Pick<
    Models,
    'Tenant' | 'Transfer' | 'TransferEvent' | 'TransferView' | 'JobRun' | 'Job' | 'OpenRun' | 'JobRunView'
  >;
  settings: RetentionSettings;
  now(): Date;
}

export interface PruneSummary {
  /** Tenants with recorded transfers, whose day buckets were checked. */
  tenants: number;
  transfersDeleted: number;
  eventsDeleted: number;
  /** Finished runs of scheduled jobs older than the default retention. */
  jobRunsDeleted: number;
}

type PruneModels = PruneTransfersDeps['models'];

const DAY_MS = 24 * 60 * 60 * 1000;
/** Reads by `_id` in flight at once. Deletes go one bounded bulk at a time (see bounded.ts). */
const READ_CONCURRENCY = 8;

/** The UTC day of `at`, as the recorder names its day buckets. */
const utcDay = (at: Date) => at.toISOString().slice(0, 10);

/** One partition's day bucket: the transfers first recorded that UTC day from that partition. */
interface Bucket {
  day: string;
  partition: number;
  /** Its documents, oldest first. */
  parts: DayBucketPart[];
  transferIds: string[];
}

/**
 * Retention: bounds the transfers (and their raw events) each tenant keeps, by age and by count.
 * Usage counters live elsewhere and are never touched.
 *
 * A transfer's age is the UTC day it was **first recorded**, not its last update: the recorder
 * lists every new transfer in its day bucket (`day:<tenant>:<day>:<partition>`), and retention
 * deletes whole buckets. A transfer retried or released later still goes with the day it started.
 * Nothing here searches — every read and delete is by `_id` (on FerretDB v1 any other filter reads
 * the whole collection; on MongoDB `_id` is the primary index):
 * - the tenants: the small `tenants` collection, read whole;
 * - a tenant's partitions: `partitions:<tenant>`, its days: `days@<partition>:<tenant>` in transferViews;
 * - a day's transfers: the chunks `day:<tenant>:<day>:<partition>#<n>` in transferViews, each with
 *   the running count its bucket's size is read from (`dayBucketSize`), read whole only for a day
 *   that goes or is trimmed (`readDayBucket`);
 * - a transfer's event ids: the transfer by `_id` (`transferDocId`), projected to `eventIds`;
 * - its events: deleted by `_id` (`<tenant>:<eventId>`), then the transfer by `_id`.
 *
 * By age: every day whose transfers are all older than the window (RETENTION_DAYS or the tenant's
 * `retention.days`) goes, so a transfer is kept at least that many days and at most one more. By
 * count: while the tenant still holds more than its cap (RETENTION_MAX_TRANSFERS or
 * `retention.maxTransfers`; counted from the buckets), the oldest days go, and the last of them is
 * trimmed from the front of its buckets (first recorded first) so that exactly the cap remains.
 * The current UTC day's buckets are only ever trimmed, never deleted: the recorder is still adding
 * to them and remembers that the day is listed.
 *
 * Events go before their transfer and a day's buckets after all its transfers, so a run stopped at
 * any point (the signal, a crash) leaves everything still findable by the next run. It runs under
 * the scheduler's tick claim, so one instance runs it; should a takeover run it twice at once, both
 * delete the same documents by `_id`, and at worst a trim repeated from lists read at different
 * moments takes a few transfers more than the cap asks.
 *
 * The recorder's other views are left as they are: its lists (`view:`) are bounded and rewritten
 * by the partition's owner, and a pruned transfer named by a `ref:` or `run:` document reads as
 * absent by `_id`.
 */
export const pruneTransfers = defineJob<PruneTransfersDeps, PruneSummary>({
  name: 'prune-transfers',
  // Nightly, outside the tenants' working hours; 03:17 exists on both DST change days.
  schedule: '17 3 * * *',
  timezone: DEFAULT_TIMEZONE,
  async run({ models, settings, now }, { logger, signal }) {
    const at = now();
    const summary: PruneSummary = { tenants: 0, transfersDeleted: 0, eventsDeleted: 0, jobRunsDeleted: 0 };

    const tenants = await models.Tenant.find({}, { tenantId: 1, retention: 1 }).lean();
    for (const tenant of tenants) {
      if (signal.aborted) break;
      const days = tenant.retention?.days ?? settings.retentionDays;
      const maxTransfers = tenant.retention?.maxTransfers ?? settings.maxTransfersPerTenant;
      const pruned = await pruneTenant(models, tenant.tenantId, {
        // Days before this one ended before the window began.
        firstKeptDay: utcDay(new Date(at.getTime() - days * DAY_MS)),
        today: utcDay(at),
        maxTransfers,
        signal,
      });
      if (!pruned) continue;
      summary.tenants += 1;
      summary.transfersDeleted += pruned.transfers;
      summary.eventsDeleted += pruned.events;
    }

    // A job's run history only explains its recent results; the job itself keeps its last run.
    if (!signal.aborted) {
      summary.jobRunsDeleted = await pruneJobRuns(models, { now: at, retentionDays: settings.retentionDays, signal });
    }

    logger.info({ ...summary, ...(signal.aborted ? { interrupted: true } : {}) }, 'pruned transfers');
    return summary;
  },
});

/** Prunes one tenant; undefined when it has no recorded days. */
async function pruneTenant(
  models: PruneModels,
  tenantId: string,
  {
    firstKeptDay,
    today,
    maxTransfers,
    signal,
  }: { firstKeptDay: string; today: string; maxTransfers: number; signal: AbortSignal },
): Promise<{ transfers: number; events: number } | undefined> {
  const views = models.TransferView.collection;
  const days = [...new Set(await tenantDays(models, tenantId))];
  if (days.length === 0) return undefined;
  const partitions = await tenantPartitions(models, tenantId);

  /** A day's buckets, one per partition, with their documents: read only for a day that goes or is trimmed. */
  const bucketsOf = (day: string): Promise<Bucket[]> =>
    mapBounded(partitions, READ_CONCURRENCY, async (partition) => {
      const parts = await readDayBucket(models, tenantId, day, partition);
      return { day, partition, parts, transferIds: parts.flatMap(({ transferIds }) => transferIds) };
    });

  const deleted = { transfers: 0, events: 0 };
  const dropDay = async (day: string) => {
    const buckets = await bucketsOf(day);
    for (const bucket of buckets) {
      if (!(await deleteTransfers(models, tenantId, bucket.transferIds, deleted, signal))) return;
    }
    for (const { parts } of buckets) {
      for (const { _id } of parts) await views.deleteOne({ _id: _id as never });
    }
    await unlistDay(models, tenantId, day);
  };
  /** Deletes the first `count` transfers of a day, taking the buckets' fronts in turn. */
  const trimDay = async (day: string, count: number) => {
    const dayBuckets = await bucketsOf(day);
    const longest = Math.max(0, ...dayBuckets.map(({ transferIds }) => transferIds.length));
    const take = new Map<Bucket, string[]>();
    let taken = 0;
    for (let index = 0; index < longest && taken < count; index += 1) {
      for (const bucket of dayBuckets) {
        const transferId = bucket.transferIds[index];
        if (transferId === undefined || taken >= count) continue;
        take.set(bucket, [...(take.get(bucket) ?? []), transferId]);
        taken += 1;
      }
    }
    for (const [bucket, ids] of take) {
      // Listed until deleted, so a stopped run leaves no uncounted transfer behind.
      for (const transferIds of chunked(ids)) {
        if (!(await deleteTransfers(models, tenantId, transferIds, deleted, signal))) return;
        const unlist = { $pullAll: { transferIds } } as never;
        let fromChunks = 0;
        for (const part of bucket.parts) {
          const held = part.transferIds.filter((id) => transferIds.includes(id)).length;
          if (held === 0) continue;
          // An emptied chunk stays: readers read a bucket's chunks up to the first missing number.
          await views.updateOne({ _id: part._id as never }, unlist);
          if (part.chunk) fromChunks += held;
        }
        // The chunks' running totals still count them; the bucket's size subtracts this.
        await countRemovedFromDay(models, tenantId, day, bucket.partition, fromChunks);
      }
    }
  };

  const kept: string[] = [];
  for (const day of days) {
    if (signal.aborted) return deleted;
    if (day < firstKeptDay && day < today) await dropDay(day);
    else kept.push(day);
  }

  // The cap, oldest days first. `today` and any later day (a clock ahead) are only trimmed. Each
  // bucket's size is read from its chunks' running totals, not by reading its transfers.
  const slots = kept.flatMap((day) => partitions.map((partition) => ({ day, partition })));
  const sizes = await mapBounded(slots, READ_CONCURRENCY, ({ day, partition }) =>
    dayBucketSize(models, tenantId, day, partition),
  );
  const countOf = (day: string) => sizes.reduce((sum, size, index) => sum + (slots[index]!.day === day ? size : 0), 0);
  let total = kept.reduce((sum, day) => sum + countOf(day), 0);
  for (const day of kept) {
    if (total <= maxTransfers || signal.aborted) break;
    const count = countOf(day);
    const excess = total - maxTransfers;
    if (count <= excess && day < today) await dropDay(day);
    else await trimDay(day, Math.min(count, excess));
    total -= Math.min(count, excess);
  }
  return deleted;
}

/**
 * Deletes transfers of one tenant with their raw events, all by `_id`: each transfer is read for
 * its event ids, the events are deleted, then the transfers, in bulks of at most STORE_BULK_MAX
 * one at a time. A transfer already gone (a run before was stopped) is skipped.
 *
 * @returns false when the signal stopped it before the end.
 */
async function deleteTransfers(
  { Transfer, TransferEvent }: PruneModels,
  tenantId: string,
  transferIds: string[],
  deleted: { transfers: number; events: number },
  signal: AbortSignal,
): Promise<boolean> {
  for (const slice of chunked(transferIds)) {
    if (signal.aborted) return false;
    const docs = await mapBounded(slice, READ_CONCURRENCY, (transferId) =>
      Transfer.collection.findOne(
        { _id: transferDocId(tenantId, transferId) as never },
        { projection: { eventIds: 1 } },
      ),
    );
    const present = docs.filter((doc) => doc !== null);
    const eventIds = present.flatMap((doc) => (doc.eventIds as string[] | undefined) ?? []);
    for (const events of chunked(eventIds)) {
      const result = await TransferEvent.collection.bulkWrite(
        events.map((eventId) => ({ deleteOne: { filter: { _id: `${tenantId}:${eventId}` as never } } })),
        { ordered: false },
      );
      deleted.events += result.deletedCount;
    }
    if (present.length > 0) {
      const result = await Transfer.collection.bulkWrite(
        present.map((doc) => ({ deleteOne: { filter: { _id: doc._id } } })),
        { ordered: false },
      );
      deleted.transfers += result.deletedCount;
    }
  }
  return true;
}
