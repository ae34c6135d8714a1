import type { Logger } from '../../config/logger';
import { jobGroupKey, type AlertEvent } from '../../domain/alerts';
import { nextCronRun } from '../../domain/cron-next';
import { holdFor } from '../../domain/holds';
import type { EventProducer } from '../../kafka/producer';
import { recordJobRun, recordRecentRun, type Models } from '../../store';
import { syncRunId } from './sync-run';

export interface MissedRunDeps {
  models: Pick<Models, 'Tenant' | 'System' | 'DataConnection' | 'Job' | 'JobRun' | 'OpenRun' | 'JobRunView'>;
  producer: Pick<EventProducer, 'sendJson'>;
  logger: Logger;
  /** A slot this long past without a run was missed (a busy instance may start a little late). */
  graceMs: number;
}

/** Enough to say "missed 1,000+ runs"; counting on would only cost time. */
const MAX_COUNTED = 1000;

/**
 * Finds scheduled jobs that did not run when due — every instance was down, or none could claim
 * the tick — records the latest missed slot as a `missed` run (with how many slots were missed),
 * shows it on the job, and raises `job.missed`. A job paused or held (its connection, system,
 * module or the integration off) misses nothing. The missed run's id is the one its tick would
 * have had, so a run and a report of the same slot, or two instances' reports, exclude each other.
 *
 * Reads only the small `jobs`, `tenants`, `dataConnections` and `systems` collections. The missed
 * run is inserted under `_id: runId` (`recordJobRun`; a duplicate `_id` — on MongoDB the primary
 * index — is what excludes a second report) and entered into the job's `recentRuns`, where it ends
 * a failure streak; `jobRuns` itself is never searched.
 */
export async function reportMissedRuns(deps: MissedRunDeps, now: Date): Promise<number> {
  const { models, logger } = deps;
  const jobs = await models.Job.find({ paused: { $ne: true } }).lean();
  if (jobs.length === 0) return 0;
  const tenantIds = [...new Set(jobs.map((job) => job.tenantId))];
  const [tenants, connections, systems] = await Promise.all([
    models.Tenant.find({ tenantId: { $in: tenantIds } }, { tenantId: 1, active: 1, modules: 1 }).lean(),
    models.DataConnection.find({ tenantId: { $in: tenantIds } }).lean(),
    models.System.find({ tenantId: { $in: tenantIds } }, { tenantId: 1, systemId: 1, name: 1, connected: 1 }).lean(),
  ]);
  const cutoff = now.getTime() - deps.graceMs;
  let reported = 0;

  for (const job of jobs) {
    const tenant = tenants.find((candidate) => candidate.tenantId === job.tenantId);
    const connection = connections.find(
      (candidate) => candidate.tenantId === job.tenantId && candidate.connectionId === job.connectionId,
    );
    if (!tenant || !connection || connection.mode !== 'schedule') continue;
    const held = holdFor({
      tenant,
      system: systems.find((system) => system.tenantId === job.tenantId && system.systemId === connection.fromSystemId),
      connection: { active: connection.active, name: connection.connectionId },
      entity: connection.entity,
    });
    if (held) continue;

    const since = [job.lastRunAt, job.scheduledSince ?? job.createdAt]
      .filter((date): date is Date => date instanceof Date)
      .reduce((latest, date) => (date > latest ? date : latest), new Date(0));
    let slot = nextCronRun(job.cron, job.timezone, since);
    let latest: Date | undefined;
    let missed = 0;
    while (slot && slot.getTime() <= cutoff && missed < MAX_COUNTED) {
      latest = slot;
      missed += 1;
      slot = nextCronRun(job.cron, job.timezone, slot);
    }
    if (!latest) continue;

    const runId = syncRunId(job.tenantId, job.jobId, latest);
    const recorded = await recordJobRun(
      models,
      {
        tenantId: job.tenantId,
        jobId: job.jobId,
        connectionId: job.connectionId,
        runId,
        tick: latest,
        status: 'missed',
        missedRuns: missed,
        finishedAt: now,
      },
      now,
    );
    if (!recorded) continue;
    await recordRecentRun(models, job, { runId, status: 'missed', tick: latest });
    const nextRunAt = nextCronRun(job.cron, job.timezone, now);
    // Only if no run was recorded since this instance read the job.
    await models.Job.updateOne(
      { tenantId: job.tenantId, jobId: job.jobId, lastRunId: job.lastRunId ?? null },
      { $set: { lastRunAt: latest, lastStatus: 'missed', lastRunId: runId, ...(nextRunAt ? { nextRunAt } : {}) } },
    );
    const alert: AlertEvent = {
      kind: 'job.missed',
      id: `job.missed:${runId}`,
      tenantId: job.tenantId,
      groupKey: jobGroupKey(job.tenantId, job.jobId),
      occurredAt: now.toISOString(),
      jobId: job.jobId,
      connectionId: job.connectionId,
      entity: connection.entity,
      dueAt: latest.toISOString(),
      missedRuns: missed,
    };
    await deps.producer.sendJson('alerts', [{ key: job.tenantId, value: alert }]);
    logger.warn(
      { tenantId: job.tenantId, jobId: job.jobId, dueAt: latest, missedRuns: missed },
      'scheduled run missed',
    );
    reported += 1;
  }
  return reported;
}
