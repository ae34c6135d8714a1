import { timeZoneOf } from '../../domain/zoned-time';
import { validate } from 'node-cron';
import type { Logger } from '../../config/logger';
import { nextCronRun } from '../../domain/cron-next';
import { isTimeZone } from '../../domain/periods';
import { insertKeepingDuplicates, type Models } from '../../store';
import { jobIdOf } from './sync-run';

/** A connection's job as the scheduler should run it now. */
export interface SyncSchedule {
  tenantId: string;
  connectionId: string;
  jobId: string;
  cron: string;
  timezone: string;
}

export interface ScheduleDeps {
  models: Pick<Models, 'Tenant' | 'DataConnection' | 'Job'>;
  logger: Logger;
}

/**
 * Brings the `jobs` collection in line with the connections, and returns the schedules to run:
 * every scheduled connection has a job (created, or updated when its cron or time zone changed),
 * a switched-off connection's job is paused (no ticks, nothing missed), and a connection that is
 * gone, event-driven or without a schedule has none. Every instance may do this at once: each
 * writes the same values.
 */
export async function reconcileSyncSchedules(deps: ScheduleDeps, now: Date): Promise<SyncSchedule[]> {
  const { models, logger } = deps;
  const [tenants, connections, jobs] = await Promise.all([
    models.Tenant.find({}, { tenantId: 1, timezone: 1 }).lean(),
    models.DataConnection.find({}, { tenantId: 1, connectionId: 1, mode: 1, cron: 1, timezone: 1, active: 1 }).lean(),
    models.Job.find({}, { tenantId: 1, jobId: 1, connectionId: 1, cron: 1, timezone: 1, paused: 1 }).lean(),
  ]);
  const zoneOf = new Map(tenants.map((tenant) => [tenant.tenantId, timeZoneOf(tenant.timezone)]));
  const jobOf = new Map(jobs.map((job) => [`${job.tenantId}:${job.jobId}`, job]));
  const kept = new Set<string>();
  const schedules: SyncSchedule[] = [];

  for (const connection of connections) {
    const { tenantId, connectionId } = connection;
    if (connection.mode !== 'schedule' || !connection.cron || !zoneOf.has(tenantId)) continue;
    const timezone = timeZoneOf(connection.timezone, zoneOf.get(tenantId));
    if (!validate(connection.cron) || !isTimeZone(timezone)) {
      logger.warn(
        { tenantId, connectionId, cron: connection.cron, timezone },
        'connection has a bad schedule; not run',
      );
      continue;
    }
    const jobId = jobIdOf(connectionId);
    const key = `${tenantId}:${jobId}`;
    kept.add(key);
    const active = connection.active !== false;
    const nextRunAt = active ? nextCronRun(connection.cron, timezone, now) : undefined;
    const job = jobOf.get(key);
    if (!job) {
      await insertKeepingDuplicates(models.Job, [
        {
          tenantId,
          jobId,
          connectionId,
          cron: connection.cron,
          timezone,
          paused: !active,
          scheduledSince: now,
          ...(nextRunAt ? { nextRunAt } : {}),
        },
      ]);
    } else if (job.cron !== connection.cron || job.timezone !== timezone || Boolean(job.paused) === active) {
      // A new schedule, or switched back on: runs before now were not due on it.
      await models.Job.updateOne(
        { tenantId, jobId },
        active
          ? { $set: { cron: connection.cron, timezone, paused: false, scheduledSince: now, nextRunAt } }
          : { $set: { cron: connection.cron, timezone, paused: true }, $unset: { nextRunAt: 1 } },
      );
    }
    if (active) schedules.push({ tenantId, connectionId, jobId, cron: connection.cron, timezone });
  }

  for (const job of jobs) {
    if (kept.has(`${job.tenantId}:${job.jobId}`)) continue;
    await models.Job.deleteOne({ tenantId: job.tenantId, jobId: job.jobId });
    logger.info({ tenantId: job.tenantId, jobId: job.jobId }, 'job removed: its connection has no schedule any more');
  }
  return schedules;
}
