import type { HoldCause } from '../../domain/holds';
import type { JobRunStatus } from '../../domain/closed-lists';
import type { Entity } from '../../domain/events';
import type { Caller } from './tenancy';

/** A connection's place in the Run settings: its scheduled job, or event-driven without one. */
export interface JobView {
  connectionId: string;
  /** "Shopify > e-conomic". */
  label: string;
  entity: Entity;
  mode: 'schedule' | 'webhook';
  /** Absent for a scheduled connection that has no job record yet, and for event-driven ones. */
  jobId?: string;
  cron?: string;
  timezone: string;
  lastRunAt?: Date;
  /** The store's JOB_RUN_STATUSES (the core does not import the store). */
  lastStatus?: JobRunStatus;
  /** As the scheduler stored it; absent until it has planned a run. */
  nextRunAt?: Date;
  /** What the last run's transfers did, once the engine answered. */
  lastResult?: { transfers: number; failed: number };
  /** Why the last run failed, in the engine's words. */
  lastFailure?: string;
  /** Why it does not run now: the integration, module, system or connection that is off. */
  heldBy?: HoldCause;
}

export type RunNowResult =
  | { status: 'running'; label: string; entity: Entity }
  /** Someone started a run of the connection moments ago (within the Run now window): not started again. */
  | {
      status: 'already_started';
      label: string;
      entity: Entity;
      startedAt: Date;
      by?: { platform: Caller['platform']; userId: string; displayName?: string };
      timezone: string;
    }
  | { status: 'skipped'; label: string; entity: Entity; cause: HoldCause }
  | { status: 'no_connection' }
  | { status: 'webhook'; label: string };

export interface ScheduleChange {
  label: string;
  entity: Entity;
  cron: string;
  timezone: string;
  previous: { cron?: string; timezone: string };
}

export interface JobsPort {
  /** A run not started this long after it was due counts as missed (JOB_MISSED_GRACE_SECONDS). */
  readonly missedGraceMs: number;
  /** Every connection of the tenant with its jobs: scheduled ones first, each connection's jobs together. */
  list(tenantId: string): Promise<JobView[]>;
  /**
   * Asks the engine to sync a scheduled connection now, recorded as a manual run of its job; once
   * per connection within a short window across instances (a second click answers who started it).
   */
  runNow(tenantId: string, connectionId: string, caller: Caller, now: Date): Promise<RunNowResult>;
  /**
   * Gives a scheduled connection a new cron schedule (and time zone: the tenant's when undefined);
   * it takes effect without a restart. Undefined when there is no such connection, 'webhook' for an
   * event-driven one (it has no schedule).
   */
  setSchedule(
    tenantId: string,
    connectionId: string,
    schedule: { cron: string; timezone?: string },
  ): Promise<ScheduleChange | 'webhook' | undefined>;
}
