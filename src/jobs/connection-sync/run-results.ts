import type { Logger } from '../../config/logger';
import { jobGroupKey, type AlertEvent } from '../../domain/alerts';
import type { EventProducer } from '../../kafka/producer';
import { mapBounded, readRunTransfers, type Models } from '../../store';

export interface RunResultDeps {
  models: Pick<Models, 'DataConnection' | 'Job' | 'JobRun' | 'TransferView'>;
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
 * Idempotent, and harmless when several instances do it at once: they compute and write the same
 * values, and the alerts' ids are derived from the run, so the notifier counts each once.
 */
export async function settleSyncRuns(deps: RunResultDeps, now: Date): Promise<number> {
  const { models, logger } = deps;
  const open = await models.JobRun.find({ status: 'running' }).lean();
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
        await models.JobRun.updateOne({ runId: run.runId, status: 'running' }, { $set: { transfers: counts } });
      }
      continue;
    }

    const status: FinalStatus = failed > 0 ? 'failed' : succeeded > 0 ? 'succeeded' : 'no_answer';
    const firstError = transfers.find((transfer) => transfer.status === 'failed')?.error;
    const failure = firstError ? `${firstError.code}: ${firstError.message}` : undefined;
    await models.JobRun.updateOne(
      { runId: run.runId, status: 'running' },
      { $set: { status, transfers: counts, finishedAt: now, ...(failure ? { failure } : {}) } },
    );
    // A newer run may have started meanwhile: the job shows its latest run.
    await models.Job.updateOne(
      { tenantId: run.tenantId, jobId: run.jobId, lastRunId: run.runId },
      { $set: { lastStatus: status } },
    );
    settled += 1;
    logger.info({ tenantId: run.tenantId, jobId: run.jobId, runId: run.runId, status, ...counts }, 'sync run finished');
    const alert = await alertFor(deps, { ...run, status, failure }, now);
    if (alert) await deps.producer.sendJson('alerts', [{ key: alert.tenantId, value: alert }]);
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

async function alertFor(deps: RunResultDeps, run: SettledRun, now: Date): Promise<AlertEvent | undefined> {
  const { models, failureAlertAfter } = deps;
  // The job's finished runs, newest first; skipped runs (something was off) say nothing either way.
  const history = await models.JobRun.find(
    { tenantId: run.tenantId, jobId: run.jobId, status: { $in: ['succeeded', 'failed', 'no_answer', 'missed'] } },
    { runId: 1, status: 1, tick: 1 },
  )
    .sort({ tick: -1 })
    .limit(Math.max(failureAlertAfter + 1, 50))
    .lean();
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
