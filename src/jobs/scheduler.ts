import { createTask, type ScheduledTask } from 'node-cron';
import type { Logger } from '../config/logger';
import { isDuplicateKeyError, type Models } from '../store';
import type { JobDefinition } from './define-job';

/** What a job needs from the composition root. */
export type JobDeps<J> = J extends JobDefinition<infer D, unknown> ? D : never;

/** `A | B` → `A & B`: the deps handed to all jobs must satisfy each of them. */
type AllOf<U> = (U extends unknown ? (u: U) => void : never) extends (all: infer I) => void ? I : never;

export interface SchedulerOptions<J extends JobDefinition<never>> {
  jobs: readonly J[];
  /** Handed to every job's `run`: what each of the jobs asks for. */
  deps: AllOf<JobDeps<J>>;
  logger: Logger;
  /** Names this process in the leases it takes, e.g. host and pid. */
  instanceId: string;
  models: Pick<Models, 'Lease'>;
  /** How long the claim of a past tick is kept; default 7 days. */
  leaseRetentionMs?: number;
  /** How long `stop()` waits for running jobs; default 30 s. */
  stopTimeoutMs?: number;
}

export interface Scheduler {
  start(): void;
  /** Stops the schedules, asks running jobs to stop (their `signal`) and waits for them, bounded. */
  stop(): Promise<void>;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Runs system jobs on their cron schedules. A tick runs once across all instances: the instance
 * that inserts the tick's lease runs it, the others see the unique index refuse theirs. A tick whose
 * winner crashes mid-run is not retried; jobs must be safe to pick up at the next tick.
 */
export function createScheduler<J extends JobDefinition<never>>(options: SchedulerOptions<J>): Scheduler {
  type D = AllOf<JobDeps<J>>;
  // Sound: `deps` was checked against every job's own deps type.
  const jobs = options.jobs as unknown as ReadonlyArray<JobDefinition<D>>;
  const { deps, logger, instanceId, models, leaseRetentionMs = 7 * DAY_MS, stopTimeoutMs = 30_000 } = options;
  const names = jobs.map((job) => job.name);
  const duplicate = names.find((name, i) => names.indexOf(name) !== i);
  if (duplicate) throw new Error(`two jobs are named ${duplicate}`);

  const log = logger.child({ component: 'scheduler' });
  const running = new Map<string, Promise<void>>();
  const abort = new AbortController();
  let tasks: ScheduledTask[] = [];
  let stopped = false;

  /** True when this instance won the tick; false when another did or the store refused. */
  async function claim(job: JobDefinition<D>, tick: Date, runLog: Logger): Promise<boolean> {
    try {
      await models.Lease.create({
        name: `${job.name}@${tick.toISOString()}`,
        owner: instanceId,
        until: new Date(tick.getTime() + leaseRetentionMs),
        job: job.name,
      });
      return true;
    } catch (err) {
      if (isDuplicateKeyError(err)) {
        runLog.debug('tick taken by another instance');
      } else {
        // Fail closed: running without the lease could run the tick twice.
        runLog.error({ err }, 'could not claim the tick; skipping it');
      }
      return false;
    }
  }

  async function runTick(job: JobDefinition<D>, tick: Date, runLog: Logger): Promise<void> {
    if (!(await claim(job, tick, runLog))) return;
    const started = Date.now();
    try {
      await job.run(deps, { tick, logger: runLog, signal: abort.signal });
      runLog.info({ durationMs: Date.now() - started }, 'job finished');
    } catch (err) {
      runLog.error({ err, durationMs: Date.now() - started }, 'job failed');
    }
    try {
      await models.Lease.deleteMany({ job: job.name, until: { $lt: tick } });
    } catch (err) {
      runLog.warn({ err }, 'could not delete old leases; the next run tries again');
    }
  }

  function onTick(job: JobDefinition<D>, tick: Date): Promise<void> | undefined {
    if (stopped) return undefined;
    const runLog = logger.child({ job: job.name, tick: tick.toISOString() });
    if (running.has(job.name)) {
      runLog.warn('the previous run is still going; skipping this tick');
      return undefined;
    }
    const run = runTick(job, tick, runLog).finally(() => running.delete(job.name));
    running.set(job.name, run);
    return run;
  }

  // node-cron speaks to a console by default; its warnings (e.g. missed ticks) belong in our log.
  const cronLog = log.child({ source: 'node-cron' });
  const cronLogger = {
    info: (message: string) => cronLog.info(message),
    warn: (message: string) => cronLog.warn(message),
    error: (message: string | Error, err?: Error) =>
      message instanceof Error ? cronLog.error({ err: message }, message.message) : cronLog.error({ err }, message),
    debug: (message: string | Error, err?: Error) =>
      message instanceof Error ? cronLog.debug({ err: message }, message.message) : cronLog.debug({ err }, message),
  };

  return {
    start() {
      if (stopped) throw new Error('the scheduler was stopped; create a new one');
      if (tasks.length > 0) return;
      tasks = jobs.map((job) => {
        const task = createTask(job.schedule, (ctx) => onTick(job, ctx.date), {
          name: job.name,
          timezone: job.timezone,
          logger: cronLogger,
        });
        void task.start();
        return task;
      });
      log.info(
        { instanceId, jobs: jobs.map((job, i) => ({ name: job.name, nextRun: tasks[i]?.getNextRun() })) },
        'scheduler started',
      );
    },

    async stop() {
      if (stopped) return;
      stopped = true;
      // destroy(), not stop(): it also drops the task from node-cron's process-wide registry.
      for (const task of tasks) await task.destroy();
      tasks = [];
      abort.abort();

      let timer: NodeJS.Timeout | undefined;
      const timedOut = await Promise.race([
        Promise.allSettled(running.values()).then(() => false),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(true), stopTimeoutMs);
        }),
      ]);
      clearTimeout(timer);
      if (timedOut) log.warn({ jobs: [...running.keys()], stopTimeoutMs }, 'scheduler stopped with jobs still running');
      else log.info('scheduler stopped');
    },
  };
}
