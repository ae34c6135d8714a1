import { timeZoneOf } from '../../domain/zoned-time';
import { DEFAULT_MISSED_GRACE_SECONDS } from '../../domain/cron-next';
import { hostname } from 'node:os';
import type { JobView, JobsPort } from '../../commands/ports/jobs';
import type { Caller } from '../../commands/ports/tenancy';
import { holdCauseFor } from '../../domain/holds';
import { connectionLabel } from '../../domain/labels';
import { startSyncRun } from '../connection-sync/sync-run';
import { readJobRuns } from '../../store/job-runs';
import { claimLease, dropExpiredLease, readLease } from '../../store/leases';
import type { AdapterDeps } from './deps';

export interface JobsPortOptions {
  /** A Run now within this long of the last one of the same connection is not started again; default 60 s. */
  runNowWindowMs?: number;
  /** Names this instance in the Run now claims it takes. */
  instanceId?: string;
  /** A sync run that produced no transfer within this long gets "no answer"; default 30 min. */
  answerTimeoutMs?: number;
  /** Called after a schedule changed, so this instance's scheduler picks it up at once. */
  onScheduleChanged?: () => void;
  /** JOB_MISSED_GRACE_SECONDS in ms, which the missed-runs job reports by too. */
  missedGraceMs?: number;
}

/** A second Run now of a connection this soon after the first answers who started it instead. */
export const RUN_NOW_WINDOW_MS = 60_000;
const RUN_NOW_LEASE_JOB = 'run-now';
export const runNowClaimName = (tenantId: string, connectionId: string) => `runnow:${tenantId}:${connectionId}`;

/**
 * `/iex jobs`, "Run now" and schedule changes. `list` reads the tenant's small collections
 * (tenant, systems, connections, jobs) and, for each job, only its last run: `jobRuns` by
 * `_id` = `Job.lastRunId` (on FerretDB v1 any other filter reads the whole, growing collection; on
 * MongoDB `_id` is the primary index), so its cost does not grow with the run history.
 */
export function createJobsPort(deps: AdapterDeps, options: JobsPortOptions = {}): JobsPort {
  const { models } = deps;
  const answerTimeoutMs = options.answerTimeoutMs ?? 30 * 60 * 1000;
  const runNowWindowMs = options.runNowWindowMs ?? RUN_NOW_WINDOW_MS;
  const instanceId = options.instanceId ?? `${hostname()}:${process.pid}`;

  /**
   * Claims the Run now of a connection for the window: a Lease `runnow:<tenant>:<connection>`
   * (its `_id`) inserted once — the unique index decides between two clicks on two instances —
   * whose `tick` is the click and `by` the person. An expired one is deleted (of two deleters one
   * wins) and claimed again. Returns the claim that stands in the way, if any.
   */
  async function claimRunNow(tenantId: string, connectionId: string, caller: Caller, now: Date) {
    const name = runNowClaimName(tenantId, connectionId);
    for (let tries = 0; tries < 3; tries += 1) {
      const won = await claimLease(models.Lease, {
        name,
        owner: instanceId,
        until: new Date(now.getTime() + runNowWindowMs),
        job: RUN_NOW_LEASE_JOB,
        tick: now,
        // Nothing to take over: the claim only says "started", until it expires.
        done: true,
        by: {
          platform: caller.platform,
          userId: caller.userId,
          ...(caller.displayName ? { displayName: caller.displayName } : {}),
        },
      });
      if (won) return undefined;
      const held = await readLease(models.Lease, name);
      if (!held) continue;
      if (held.until.getTime() > now.getTime()) return held;
      await dropExpiredLease(models.Lease, name, held.until);
    }
    throw new Error(`could not claim ${name}`);
  }

  async function labelOf(tenantId: string, connection: { fromSystemId: string; toSystemId: string }) {
    const systems = await models.System.find({ tenantId }, { systemId: 1, name: 1 }).lean();
    return connectionLabel(connection, systems);
  }

  return {
    missedGraceMs: options.missedGraceMs ?? DEFAULT_MISSED_GRACE_SECONDS * 1000,
    async list(tenantId) {
      const [tenant, systems, connections, jobs] = await Promise.all([
        models.Tenant.findOne({ tenantId }, { active: 1, modules: 1, timezone: 1 }).lean(),
        models.System.find({ tenantId }, { systemId: 1, name: 1, connected: 1 }).lean(),
        models.DataConnection.find({ tenantId }).sort({ entity: 1, connectionId: 1 }).lean(),
        models.Job.find({ tenantId }).sort({ jobId: 1 }).lean(),
      ]);
      const lastRunIds = jobs.map((job) => job.lastRunId).filter((runId): runId is string => Boolean(runId));
      // By `_id` only, one per job (see above).
      const lastRuns = (
        await readJobRuns(models, lastRunIds, { runId: 1, tenantId: 1, transfers: 1, failure: 1 })
      ).filter((run) => run !== null && run.tenantId === tenantId);
      const tenantZone = timeZoneOf(tenant?.timezone);
      const views: JobView[] = [];
      for (const connection of connections) {
        const label = connectionLabel(connection, systems);
        const hold = tenant
          ? holdCauseFor({
              tenant,
              system: systems.find((system) => system.systemId === connection.fromSystemId),
              connection: { active: connection.active, name: label },
              entity: connection.entity,
            })
          : undefined;
        const base = {
          connectionId: connection.connectionId,
          label,
          entity: connection.entity,
          mode: connection.mode,
          ...(hold ? { heldBy: hold.cause } : {}),
        };
        const own = jobs.filter((job) => job.connectionId === connection.connectionId);
        for (const job of own) {
          const lastRun = lastRuns.find((run) => run?.runId === job.lastRunId);
          views.push({
            ...base,
            jobId: job.jobId,
            cron: job.cron,
            timezone: job.timezone ?? connection.timezone ?? tenantZone,
            ...(job.lastRunAt ? { lastRunAt: job.lastRunAt } : {}),
            ...(job.lastStatus ? { lastStatus: job.lastStatus } : {}),
            ...(job.nextRunAt && !job.paused ? { nextRunAt: job.nextRunAt } : {}),
            ...(lastRun?.transfers?.total
              ? { lastResult: { transfers: lastRun.transfers.total, failed: lastRun.transfers.failed ?? 0 } }
              : {}),
            ...(lastRun?.failure ? { lastFailure: lastRun.failure } : {}),
          });
        }
        // A scheduled connection whose job the scheduler has not recorded yet still has a schedule.
        if (own.length === 0) {
          views.push({
            ...base,
            ...(connection.mode === 'schedule' && connection.cron ? { cron: connection.cron } : {}),
            timezone: connection.timezone ?? tenantZone,
          });
        }
      }
      const scheduled = (job: JobView) => (job.cron ? 0 : 1);
      return views.sort((a, b) => scheduled(a) - scheduled(b));
    },

    async runNow(tenantId, connectionId, caller, now) {
      const held = await claimRunNow(tenantId, connectionId, caller, now);
      if (held) {
        const [connection, tenant] = await Promise.all([
          models.DataConnection.findOne({ tenantId, connectionId }).lean(),
          models.Tenant.findOne({ tenantId }, { timezone: 1 }).lean(),
        ]);
        if (!connection) return { status: 'no_connection' };
        const by = held.by?.platform && held.by.userId ? held.by : undefined;
        return {
          status: 'already_started',
          label: await labelOf(tenantId, connection),
          entity: connection.entity,
          startedAt: held.tick ?? new Date(held.until.getTime() - runNowWindowMs),
          ...(by
            ? {
                by: {
                  platform: by.platform as Caller['platform'],
                  userId: by.userId!,
                  ...(by.displayName ? { displayName: by.displayName } : {}),
                },
              }
            : {}),
          timezone: timeZoneOf(connection.timezone, tenant?.timezone),
        };
      }
      // A click that started nothing (skipped, gone, failed) does not block the next one.
      const release = () => models.Lease.deleteOne({ _id: runNowClaimName(tenantId, connectionId) });
      let result: Awaited<ReturnType<typeof startSyncRun>>;
      try {
        result = await startSyncRun(
          { ...deps, answerTimeoutMs },
          {
            tenantId,
            connectionId,
            tick: now,
            now,
            manual: true,
            actor: { platform: caller.platform, userId: caller.userId },
          },
        );
      } catch (error) {
        await release().catch(() => undefined);
        throw error;
      }
      if (result.status !== 'running') await release();
      return result;
    },

    async setSchedule(tenantId, connectionId, schedule) {
      const [connection, tenant] = await Promise.all([
        models.DataConnection.findOne({ tenantId, connectionId }).lean(),
        models.Tenant.findOne({ tenantId }, { timezone: 1 }).lean(),
      ]);
      if (!connection || !tenant) return undefined;
      if (connection.mode !== 'schedule') return 'webhook';
      const tenantZone = timeZoneOf(tenant.timezone);
      await models.DataConnection.updateOne(
        { tenantId, connectionId },
        schedule.timezone
          ? { $set: { cron: schedule.cron, timezone: schedule.timezone } }
          : { $set: { cron: schedule.cron }, $unset: { timezone: 1 } },
      );
      options.onScheduleChanged?.();
      return {
        label: await labelOf(tenantId, connection),
        entity: connection.entity,
        cron: schedule.cron,
        timezone: schedule.timezone ?? tenantZone,
        previous: {
          ...(connection.cron ? { cron: connection.cron } : {}),
          timezone: connection.timezone ?? tenantZone,
        },
      };
    },
  };
}
