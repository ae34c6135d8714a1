import type { Models } from '../store';
import { DEFAULT_TIMEZONE } from '../store/models/constants';
import { defineJob } from './define-job';

export interface RetentionSettings {
  /** Transfers not updated for this many days are deleted, unless the tenant sets `retention.days`. */
  retentionDays: number;
  /** Per tenant, transfers beyond the newest this many are deleted, unless it sets `retention.maxTransfers`. */
  maxTransfersPerTenant: number;
  /** Transfer ids per read and per deleteMany; default 1000. */
  batchSize?: number;
}

export interface PruneTransfersDeps {
  models: Pick<Models, 'Tenant' | 'Transfer' | 'TransferEvent' | 'JobRun'>;
  settings: RetentionSettings;
  now(): Date;
}

export interface PruneSummary {
  tenants: number;
  transfersDeleted: number;
  eventsDeleted: number;
  /** Finished runs of scheduled jobs older than the default retention. */
  jobRunsDeleted: number;
}

type PruneModels = PruneTransfersDeps['models'];

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Retention: bounds the transfers (and their raw events) each tenant keeps, by age and by count.
 * Usage counters live elsewhere and are never touched. Safe to stop between batches and to run
 * again: what is left is found by the next run.
 */
export const pruneTransfers = defineJob<PruneTransfersDeps, PruneSummary>({
  name: 'prune-transfers',
  // Nightly, outside the tenants' working hours; 03:17 exists on both DST change days.
  schedule: '17 3 * * *',
  timezone: DEFAULT_TIMEZONE,
  async run({ models, settings, now }, { logger, signal }) {
    const at = now();
    const batchSize = settings.batchSize ?? 1000;
    const summary: PruneSummary = { tenants: 0, transfersDeleted: 0, eventsDeleted: 0, jobRunsDeleted: 0 };

    const tenantIds = await models.Transfer.distinct('tenantId');
    for (const tenantId of tenantIds) {
      if (signal.aborted) break;
      const tenant = await models.Tenant.findOne({ tenantId }, { retention: 1 }).lean();
      const days = tenant?.retention?.days ?? settings.retentionDays;
      const maxTransfers = tenant?.retention?.maxTransfers ?? settings.maxTransfersPerTenant;
      const pruned = await pruneTenant(models, tenantId, new Date(at.getTime() - days * DAY_MS), maxTransfers, {
        batchSize,
        signal,
      });
      summary.tenants += 1;
      summary.transfersDeleted += pruned.transfers;
      summary.eventsDeleted += pruned.events;
    }

    // A job's run history only explains its recent results; the job itself keeps its last run.
    if (!signal.aborted) {
      const runsBefore = new Date(at.getTime() - settings.retentionDays * DAY_MS);
      summary.jobRunsDeleted = (await models.JobRun.deleteMany({ finishedAt: { $lt: runsBefore } })).deletedCount;
    }

    logger.info({ ...summary, ...(signal.aborted ? { interrupted: true } : {}) }, 'pruned transfers');
    return summary;
  },
});

async function pruneTenant(
  { Transfer, TransferEvent }: PruneModels,
  tenantId: string,
  cutoff: Date,
  maxTransfers: number,
  { batchSize, signal }: { batchSize: number; signal: AbortSignal },
): Promise<{ transfers: number; events: number }> {
  const beyond: object[] = [{ updatedAt: { $lt: cutoff } }];
  if ((await Transfer.countDocuments({ tenantId })) > maxTransfers) {
    // The oldest transfer still within the cap; (updatedAt, _id) breaks ties so the cap is exact.
    const [last] = await Transfer.find({ tenantId }, { updatedAt: 1 })
      .sort({ updatedAt: -1, _id: -1 })
      .skip(maxTransfers - 1)
      .limit(1)
      .lean();
    if (last)
      beyond.push({ updatedAt: { $lt: last.updatedAt } }, { updatedAt: last.updatedAt, _id: { $lt: last._id } });
  }
  const filter = { tenantId, $or: beyond };

  let transfers = 0;
  let events = 0;
  while (!signal.aborted) {
    const batch = (await Transfer.find(filter, { transferId: 1 }).limit(batchSize).lean()).map((t) => t.transferId);
    if (batch.length === 0) break;

    // Transfers before events: a crash in between leaves unreachable events, never a transfer
    // with a hole in its history. The filter is applied again so a transfer updated since the
    // read stays, and so do its events.
    const { deletedCount } = await Transfer.deleteMany({ ...filter, transferId: { $in: batch } });
    const gone = deletedCount === batch.length ? batch : await absent(Transfer, tenantId, batch);
    if (gone.length > 0) {
      events += (await TransferEvent.deleteMany({ tenantId, transferId: { $in: gone } })).deletedCount;
    }
    transfers += deletedCount;
    if (batch.length < batchSize || deletedCount === 0) break;
  }
  return { transfers, events };
}

/** The ids of `transferIds` no longer in the store. */
async function absent(Transfer: PruneModels['Transfer'], tenantId: string, transferIds: string[]): Promise<string[]> {
  const present = await Transfer.find({ tenantId, transferId: { $in: transferIds } }, { transferId: 1 }).lean();
  const kept = new Set(present.map((t) => t.transferId));
  return transferIds.filter((id) => !kept.has(id));
}
