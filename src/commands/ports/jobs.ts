import type { Entity } from '../../domain/events';

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
  lastStatus?: 'running' | 'succeeded' | 'failed' | 'skipped' | 'missed';
  /** As the scheduler stored it; absent until it has planned a run. */
  nextRunAt?: Date;
  /** Why it does not run now (integration, module, system or connection off), in words. */
  heldBy?: string;
}

export interface JobsPort {
  /** Every connection of the tenant with its jobs: scheduled ones first, each connection's jobs together. */
  list(tenantId: string): Promise<JobView[]>;
}
