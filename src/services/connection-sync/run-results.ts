import type { Logger } from '../../config/logger';
import { jobGroupKey, type AlertEvent } from '../../domain/alerts';
import type { EventProducer } from '../../kafka/producer';
import {
  closeOpenRun,
  mapBounded,
  openJobRuns,
  readRunTransfers,
  recordRecentRun,
  RECENT_RUNS_KEPT,
  type Models,
  type RecentRun,
} from '../../store';

export interface RunResultDeps {
  models: Pick<Models, 'DataConnection' | 'Job' | 'JobRun' | 'OpenRun' | 'TransferView'>;
  producer: Pick<EventProducer, 'sendJson'>;
  logger: Logger;
  /** This many failed or unanswered runs in a row raise one `job.failing` alert. */
  failureAlertAfter: number;
  /**
   * A run whose transfers have all finished is final once none has changed for this long; more
   * may still come from the engine until then.
   */
  settleMs: number;
}

const FAILED = new Set(['failed', 'no_answer']);

type FinalStatus = 'succeeded' | 'failed' | 'no_answer';

/**
 * Works out the result of the sync runs still being watched, from the transfers each produced
 * (the engine echoes the run id on them): succeeded, failed (some transfer failed), or "no answer"
 * when none came before the run's `answerBy`. A final result is recorded on the run and, when it is
 * the job's latest run, on the job; a job failing `failureAlertAfter` runs in a row raises
 * `job.failing`, and a good run after failed or missed ones raises `job.recovered`.
 *
 * A run's transfers never come from a search of the transfers: `readRunTransfers` reads the
 * tenant's `partitions:<tenant>` document and then one `run:<tenant>:<runId>:<partition>` document
 * per partition from transferViews, all by `_id` (on FerretDB v1 any other filter reads the whole
 * collection; on MongoDB `_id` is the primary index). The recorder keeps those current with each
 * transfer's status, error and last change.
 *
 * The runs themselves are never searched either (`jobRuns` grows with every tick; see
 * src/store/job-runs.ts): the runs still being watched are the small `openRuns` collection, read
 * whole, and each run is then read by `_id` = runId; results are written by `_id`, and the marker
 * is deleted by `_id` once the run has settled. The failure streak comes from the job's
 * `recentRuns` (the small `jobs` collection), not from the run history. On MongoDB `_id` is the
 * primary index.
 *
 * Idempotent, and harmless when several instances do it at once: they compute and write the same
 * values (a run entered twice into `recentRuns` is entered once), and the alerts' ids are derived
 * from the run, so the notifier counts each once. A run is read and then written by `_id` rather
 * than updated under a `status: 'running'` condition: FerretDB applies an update without isolation
 * from other writers anyway, and nothing depends on one writer winning.
 */
export async function settleSyncRuns(deps: RunResultDeps, now: Date): Promise<number> {
  const { models, logger } = deps;
  // `openRuns` whole (a handful), then each run by `_id`.
  const open = await openJobRuns(models, now);
  // By `_id` only (see above): the cost does not grow with the transfers stored.
  const runTransfers = await mapBounded(open, 4, (run) => readRunTransfers(models, run.tenantId, run.runId));
  const byRun = new Map(open.map((run, index) => [run.runId, runTransfers[index]!]));
  let settled = 0;
  for (const run of open) {
    const transfers = byRun.get(run.runId) ?? [];
    const succeeded = transfers.filter((transfer) => transfer.status === 'succeeded').length;
    const failed = transfers.filter((transfer) => transfer.status === 'failed').length;
    const counts = { total: transfers.length, succeeded, failed };
    const lastChange = Math.max(0, ...transfers.map((transfer) => transfer.updatedAt.getTime()));
    const allDone = transfers.length > 0 && succeeded + failed === transfers.length;
    const expired = run.answerBy !== undefined && run.answerBy !== null && now >= run.answerBy;
    const final = expired || (allDone && now.getTime() - lastChange >= deps.settleMs);

    if (!final) {
      const stored = run.transfers;
      if (stored?.total !== counts.total || stored.succeeded !== succeeded || stored.failed !== failed) {
        await models.JobRun.updateOne({ _id: run._id }, { $set: { transfers: counts } });
      }
      continue;
    }

    const status: FinalStatus = failed > 0 ? 'failed' : succeeded > 0 ? 'succeeded' : 'no_answer';
    const firstError = transfers.find((transfer) => transfer.status === 'failed')?.error;
    const failure = firstError ? `${firstError.code}: ${firstError.message}` : undefined;
    await models.JobRun.updateOne(
      { _id: run._id },
      { $set: { status, transfers: counts, finishedAt: now, ...(failure ? { failure } : {}) } },
    );
    // A newer run may have started meanwhile: the job shows its latest run.
    await models.Job.updateOne(
      { tenantId: run.tenantId, jobId: run.jobId, lastRunId: run.runId },
      { $set: { lastStatus: status } },
    );
    settled += 1;
    logger.info({ tenantId: run.tenantId, jobId: run.jobId, runId: run.runId, status, ...counts }, 'sync run finished');
    const recent = await recordRecentRun(
      models,
      run,
      { runId: run.runId, status, tick: run.tick },
      Math.max(deps.failureAlertAfter + 1, RECENT_RUNS_KEPT),
    );
    const alert = await alertFor(deps, { ...run, status, failure }, recent, now);
    if (alert) await deps.producer.sendJson('alerts', [{ key: alert.tenantId, value: alert }]);
    // Last: a crash before here leaves a marker whose run has finished, which the next pass drops.
    await closeOpenRun(models, run.runId);
  }
  return settled;
}

interface SettledRun {
  tenantId: string;
  jobId: string;
  connectionId: string;
  runId: string;
  tick: Date;
  status: FinalStatus;
  failure?: string | undefined;
}

async function alertFor(
  deps: RunResultDeps,
  run: SettledRun,
  /** The job's finished runs, newest first (`Job.recentRuns`, with this one); skipped runs say nothing. */
  history: RecentRun[],
  now: Date,
): Promise<AlertEvent | undefined> {
  const { models, failureAlertAfter } = deps;
  const connection = await models.DataConnection.findOne(
    { tenantId: run.tenantId, connectionId: run.connectionId },
    { entity: 1 },
  ).lean();
  if (!connection) return undefined;
  const base = {
    tenantId: run.tenantId,
    groupKey: jobGroupKey(run.tenantId, run.jobId),
    occurredAt: now.toISOString(),
    jobId: run.jobId,
    connectionId: run.connectionId,
    entity: connection.entity,
  };
  const latest = history.findIndex((entry) => entry.runId === run.runId);
  const newer = latest < 0 ? history : history.slice(latest);

  if (run.status === 'succeeded') {
    const previous = newer[1];
    if (!previous || (!FAILED.has(previous.status) && previous.status !== 'missed')) return undefined;
    return { kind: 'job.recovered', id: `job.recovered:${run.runId}`, ...base, runAt: run.tick.toISOString() };
  }
  let streak = 0;
  while (streak < newer.length && FAILED.has(newer[streak]!.status)) streak += 1;
  if (streak < failureAlertAfter) return undefined;
  return {
    kind: 'job.failing',
    id: `job.failing:${run.runId}`,
    ...base,
    failures: streak,
    lastStatus: run.status,
    lastRunAt: run.tick.toISOString(),
    ...(run.failure ? { reason: run.failure } : {}),
  };
}
