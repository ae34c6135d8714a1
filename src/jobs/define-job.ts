import { validate } from 'node-cron';
import type { Logger } from '../config/logger';

/** What the scheduler hands one run of a job, besides the job's own deps. */
export interface JobContext {
  /** The scheduled time of this run (the cron slot), not the moment it started. */
  tick: Date;
  /** Bound to the job's name and tick. */
  logger: Logger;
  /** The instance running it, as its claims name it. */
  instanceId: string;
  /** Aborted when the scheduler stops: a long job stops at its next safe point and resumes next tick. */
  signal: AbortSignal;
}

/**
 * A system job: `D` is what it needs from the composition root, `R` what a run returns.
 * `run` is a property, not a method, so a job that needs less is accepted where more is provided
 * and never the other way round.
 */
export interface JobDefinition<D, R = unknown> {
  /** Unique among jobs; names the lease of each tick, so keep it stable. */
  readonly name: string;
  /** node-cron expression, with an optional leading seconds field. */
  readonly schedule: string;
  /** IANA zone the schedule is read in; the process's zone when unset. */
  readonly timezone?: string;
  readonly run: (deps: D, ctx: JobContext) => Promise<R>;
}

/** Declares a job; a bad cron expression fails here, when the module loads, not at the first tick. */
export function defineJob<D, R = unknown>(job: JobDefinition<D, R>): JobDefinition<D, R> {
  if (!validate(job.schedule)) throw new Error(`job ${job.name}: invalid cron expression "${job.schedule}"`);
  if (job.timezone !== undefined) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: job.timezone });
    } catch {
      throw new Error(`job ${job.name}: unknown time zone "${job.timezone}"`);
    }
  }
  return Object.freeze({ ...job });
}
