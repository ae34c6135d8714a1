import type { Logger } from '../config/logger';
import type { EventProducer } from '../kafka/producer';
import type { Models } from '../store';
import { defineJob, type JobDefinition } from './define-job';
import type { DynamicJobs, Maintenance } from './scheduler';
import { reportMissedRuns } from '../services/connection-sync/missed-runs';
import { settleSyncRuns } from '../services/connection-sync/run-results';
import { reconcileSyncSchedules } from '../services/connection-sync/schedules';
import { startSyncRun } from '../services/connection-sync/sync-run';

export interface ConnectionSyncSettings {
  answerTimeoutMs: number;
  missedGraceMs: number;
  failureAlertAfter: number;
}

export interface ConnectionSyncDeps {
  models: Models;
  producer: Pick<EventProducer, 'sendJson'>;
  logger: Logger;
  settings: ConnectionSyncSettings;
  clock?: () => Date;
}

/** The scheduler's name for a connection's job; leases and logs carry it. */
export const syncJobName = (tenantId: string, jobId: string) => `sync:${tenantId}:${jobId}`;

/**
 * The scheduled syncs of every tenant's connections, for the scheduler: one dynamic job per
 * scheduled, active connection (re-read at each reload, so a schedule change or a switch needs no
 * restart), and the maintenance that settles runs' results and reports missed runs.
 */
export function connectionSyncJobs(deps: ConnectionSyncDeps): { dynamic: DynamicJobs; maintenance: Maintenance[] } {
  const clock = deps.clock ?? (() => new Date());
  const logger = deps.logger.child({ component: 'connection-sync' });
  const runDeps = { ...deps, logger, answerTimeoutMs: deps.settings.answerTimeoutMs };
  // Transfers of a run usually follow each other within seconds; wait a little for stragglers.
  const settleMs = Math.min(30_000, Math.floor(deps.settings.answerTimeoutMs / 4));

  return {
    dynamic: {
      async load() {
        const schedules = await reconcileSyncSchedules({ models: deps.models, logger }, clock());
        return schedules.map((schedule): JobDefinition<object> =>
          defineJob<object>({
            name: syncJobName(schedule.tenantId, schedule.jobId),
            schedule: schedule.cron,
            timezone: schedule.timezone,
            async run(_none, { tick }) {
              await startSyncRun(runDeps, {
                tenantId: schedule.tenantId,
                connectionId: schedule.connectionId,
                tick,
                now: clock(),
              });
            },
          }),
        );
      },
    },
    maintenance: [
      // Missed runs first: a tick of the new schedule must not hide the slots missed before it.
      {
        name: 'report missed runs',
        run: (now) => reportMissedRuns({ ...runDeps, graceMs: deps.settings.missedGraceMs }, now),
      },
      {
        name: 'settle sync runs',
        run: (now) => settleSyncRuns({ ...runDeps, failureAlertAfter: deps.settings.failureAlertAfter, settleMs }, now),
      },
    ],
  };
}
