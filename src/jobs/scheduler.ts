import { createTask, type ScheduledTask } from 'node-cron';
import type { Logger } from '../config/logger';
import type { Models } from '../store';
import type { JobDefinition } from './define-job';
import { claimTick, deleteEndedTicks, finishTick, orphanedTicks, renewTick, tickLeaseName } from './tick-lease';

/** What a job needs from the composition root. */
export type JobDeps<J> = J extends JobDefinition<infer D, unknown> ? D : never;

/** `A | B` → `A & B`: the deps handed to all jobs must satisfy each of them. */
type AllOf<U> = (U extends unknown ? (u: U) => void : never) extends (all: infer I) => void ? I : never;

/** Jobs that come and go with the data (one per scheduled connection), re-read every `reloadMs`. */
export interface DynamicJobs {
  /** Every such job as it should be now; a job's name must stay the same while it exists. */
  load(): Promise<ReadonlyArray<JobDefinition<object>>>;
}

/** Work every instance does at each reload, beside re-reading the dynamic jobs. Must be idempotent. */
export interface Maintenance {
  name: string;
  run(now: Date): Promise<unknown>;
}

export interface SchedulerOptions<J extends JobDefinition<never>> {
  jobs: readonly J[];
  /** Handed to every job's `run`: what each of the jobs asks for. */
  deps: AllOf<JobDeps<J>>;
  logger: Logger;
  /** Names this process in the claims it takes, e.g. host and pid. */
  instanceId: string;
  models: Pick<Models, 'Lease'>;
  dynamic?: DynamicJobs;
  maintenance?: readonly Maintenance[];
  /** How often dynamic jobs are re-read, orphaned ticks looked for and maintenance run; default 15 s. */
  reloadMs?: number;
  /** A claim not renewed for this long belongs to a dead instance and is taken over; default 60 s. */
  leaseMs?: number;
  /** An orphaned tick older than this is given up rather than run late; default 1 h. */
  takeoverWindowMs?: number;
  /** Attempts at one tick, the first one included; default 3. */
  maxAttempts?: number;
  /** How long the claim of a past tick is kept; default 7 days. */
  leaseRetentionMs?: number;
  /** How long `stop()` waits for running jobs; default 30 s. */
  stopTimeoutMs?: number;
  clock?: () => Date;
}

export interface Scheduler {
  start(): void;
  /** Re-reads the dynamic jobs and runs maintenance now (after a schedule was changed here). */
  reload(): Promise<void>;
  /**
   * Stops the schedules, asks running jobs to stop (their `signal`) and waits for them, at most
   * `timeoutMs` (default `stopTimeoutMs`). A tick a job left because of the signal is handed
   * over: its claim expires at once, so another instance takes the tick over.
   */
  stop(timeoutMs?: number): Promise<SchedulerStopped>;
}

/** What `stop` left for other instances. */
export interface SchedulerStopped {
  /** Jobs that were running when the scheduler stopped: they got the abort signal. */
  interrupted: string[];
  /** Of those, the ones still running when the wait ended. */
  stillRunning: string[];
}

const DAY_MS = 24 * 60 * 60 * 1000;

interface Entry {
  job: JobDefinition<never>;
  /** Schedule and zone: a change replaces the cron task. */
  signature: string;
  task: ScheduledTask;
  dynamic: boolean;
}

const signatureOf = (job: JobDefinition<never>) => `${job.schedule}|${job.timezone ?? ''}`;

/**
 * Runs jobs on their cron schedules, each tick once across all instances: the instance that
 * inserts the tick's claim runs it, the others see the unique index refuse theirs. The winner
 * renews its claim while the run goes on; if it dies, its claim expires and another instance takes
 * the tick over (a new attempt, claimed the same way). Jobs must be safe to run a tick again.
 */
export function createScheduler<J extends JobDefinition<never>>(options: SchedulerOptions<J>): Scheduler {
  type D = AllOf<JobDeps<J>>;
  const {
    deps,
    logger,
    instanceId,
    models,
    dynamic,
    maintenance = [],
    reloadMs = 15_000,
    leaseMs = 60_000,
    takeoverWindowMs = 60 * 60 * 1000,
    maxAttempts = 3,
    leaseRetentionMs = 7 * DAY_MS,
    stopTimeoutMs = 30_000,
    clock = () => new Date(),
  } = options;
  const names = options.jobs.map((job) => job.name);
  const duplicate = names.find((name, i) => names.indexOf(name) !== i);
  if (duplicate) throw new Error(`two jobs are named ${duplicate}`);

  const log = logger.child({ component: 'scheduler' });
  const entries = new Map<string, Entry>();
  const running = new Map<string, Promise<void>>();
  const abort = new AbortController();
  let cycleTimer: NodeJS.Timeout | undefined;
  let cycling: Promise<void> | undefined;
  let started = false;
  let stopped = false;

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

  async function execute(entry: Entry, tick: Date, attempt: number, runLog: Logger): Promise<void> {
    const name = tickLeaseName(entry.job.name, tick, attempt);
    // Renewing at a third of the lease leaves two tries before another instance may take over.
    const renewal = setInterval(() => {
      renewTick(models.Lease, name, instanceId, new Date(clock().getTime() + leaseMs)).catch((err: unknown) =>
        runLog.warn({ err }, 'could not renew the claim of the running tick'),
      );
    }, leaseMs / 3);
    const begun = Date.now();
    try {
      const jobDeps = (entry.dynamic ? {} : deps) as never;
      await entry.job.run(jobDeps, { tick, logger: runLog, instanceId, signal: abort.signal });
      runLog.info({ durationMs: Date.now() - begun, attempt }, 'job finished');
    } catch (err) {
      runLog.error({ err, durationMs: Date.now() - begun, attempt }, 'job failed');
    } finally {
      clearInterval(renewal);
    }
    if (abort.signal.aborted) {
      // Stopped mid-run: the claim expires now, so another instance takes the tick over at once.
      await renewTick(models.Lease, name, instanceId, clock()).catch((err: unknown) =>
        runLog.warn({ err }, 'could not hand the tick over; its claim expires by itself'),
      );
      return;
    }
    try {
      await finishTick(models.Lease, name, clock());
      await deleteEndedTicks(models.Lease, entry.job.name, new Date(clock().getTime() - leaseRetentionMs));
    } catch (err) {
      runLog.warn({ err }, 'could not close the claim; it expires by itself');
    }
  }

  /** Runs one attempt at a tick here, unless this job is already running here. */
  function launch(entry: Entry, tick: Date, attempt: number, claimed: () => Promise<boolean>): Promise<void> {
    const runLog = logger.child({ job: entry.job.name, tick: tick.toISOString() });
    if (running.has(entry.job.name)) {
      runLog.warn('the previous run is still going; skipping this tick');
      return Promise.resolve();
    }
    const run = (async () => {
      let won: boolean;
      try {
        won = await claimed();
      } catch (err) {
        // Fail closed: running without the claim could run the tick twice.
        runLog.error({ err }, 'could not claim the tick; skipping it');
        return;
      }
      if (!won) {
        runLog.debug('tick taken by another instance');
        return;
      }
      await execute(entry, tick, attempt, runLog);
    })().finally(() => running.delete(entry.job.name));
    running.set(entry.job.name, run);
    return run;
  }

  function onTick(entry: Entry, tick: Date): Promise<void> | undefined {
    if (stopped) return undefined;
    return launch(entry, tick, 1, () =>
      claimTick(models.Lease, { job: entry.job.name, tick, attempt: 1, owner: instanceId, leaseMs, now: clock() }),
    );
  }

  function schedule(job: JobDefinition<never>, isDynamic: boolean): Entry {
    const holder: { entry?: Entry } = {};
    const task = createTask(job.schedule, (ctx) => (holder.entry ? onTick(holder.entry, ctx.date) : undefined), {
      name: job.name,
      timezone: job.timezone,
      logger: cronLogger,
    });
    const entry: Entry = { job, signature: signatureOf(job), dynamic: isDynamic, task };
    holder.entry = entry;
    void task.start();
    entries.set(job.name, entry);
    return entry;
  }

  async function loadDynamic(): Promise<void> {
    if (!dynamic) return;
    const wanted = await dynamic.load();
    const seen = new Set<string>();
    for (const job of wanted) {
      seen.add(job.name);
      const entry = entries.get(job.name);
      if (entry && !entry.dynamic) {
        log.error({ job: job.name }, 'a dynamic job has the name of a system job; ignored');
        continue;
      }
      if (!entry) {
        schedule(job as JobDefinition<never>, true);
        log.info({ job: job.name, schedule: job.schedule, timezone: job.timezone }, 'job scheduled');
      } else if (entry.signature !== signatureOf(job as JobDefinition<never>)) {
        await entry.task.destroy();
        schedule(job as JobDefinition<never>, true);
        log.info({ job: job.name, schedule: job.schedule, timezone: job.timezone }, 'job rescheduled');
      } else {
        // Same schedule: the run sees the latest definition (e.g. a renamed connection).
        entry.job = job as JobDefinition<never>;
      }
    }
    for (const [name, entry] of entries) {
      if (!entry.dynamic || seen.has(name)) continue;
      await entry.task.destroy();
      entries.delete(name);
      log.info({ job: name }, 'job unscheduled');
    }
  }

  /** Takes over ticks whose instance died before finishing them, or gives them up. */
  async function takeOver(): Promise<void> {
    const now = clock();
    for (const orphan of await orphanedTicks(models.Lease, now)) {
      if (stopped) return;
      if (!orphan.job || !orphan.tick) continue;
      const attempt = orphan.attempt ?? 1;
      const entry = entries.get(orphan.job);
      const orphanLog = log.child({ job: orphan.job, tick: orphan.tick.toISOString(), deadOwner: orphan.owner });
      const tooOld = orphan.tick.getTime() < now.getTime() - takeoverWindowMs;
      if (!entry || attempt >= maxAttempts || tooOld) {
        // Every instance may write this at once; they all write the same.
        await models.Lease.updateOne({ name: orphan.name, done: false }, { $set: { done: true } });
        orphanLog.warn(
          {
            attempt,
            reason: !entry ? 'the job no longer exists' : tooOld ? 'too old to run late' : 'too many attempts',
          },
          'gave up a tick whose instance stopped mid-run',
        );
        continue;
      }
      const tick = orphan.tick;
      await launch(entry, tick, attempt + 1, async () => {
        const won = await claimTick(models.Lease, {
          job: orphan.job!,
          tick,
          attempt: attempt + 1,
          owner: instanceId,
          leaseMs,
          now: clock(),
        });
        if (won) {
          await finishTick(models.Lease, orphan.name, clock());
          orphanLog.warn({ attempt: attempt + 1 }, 'took over a tick whose instance stopped mid-run');
        }
        return won;
      });
    }
  }

  async function cycle(): Promise<void> {
    // Maintenance first: at start, it sees the jobs as they were before any tick of this instance.
    const steps: Array<[string, () => Promise<unknown>]> = [
      ...maintenance.map((item): [string, () => Promise<unknown>] => [item.name, () => item.run(clock())]),
      ['reload jobs', loadDynamic],
      ['take over ticks', takeOver],
    ];
    for (const [step, run] of steps) {
      if (stopped) return;
      try {
        await run();
      } catch (err) {
        log.error({ err, step }, 'scheduler maintenance failed; the next reload tries again');
      }
    }
  }

  /** One cycle at a time; a reload asked for during a cycle runs once it ends. */
  function runCycle(): Promise<void> {
    if (cycling) return cycling.then(() => (stopped ? undefined : runCycle()));
    cycling = cycle().finally(() => (cycling = undefined));
    return cycling;
  }

  return {
    start() {
      if (stopped) throw new Error('the scheduler was stopped; create a new one');
      if (started) return;
      started = true;
      for (const job of options.jobs) schedule(job, false);
      log.info(
        {
          instanceId,
          jobs: [...entries.values()].map(({ job, task }) => ({ name: job.name, nextRun: task.getNextRun() })),
        },
        'scheduler started',
      );
      void runCycle();
      cycleTimer = setInterval(() => void runCycle(), reloadMs);
    },

    async reload() {
      if (!started || stopped) return;
      await runCycle();
    },

    async stop(timeoutMs = stopTimeoutMs) {
      if (stopped) return { interrupted: [], stillRunning: [] };
      stopped = true;
      const interrupted = [...running.keys()];
      clearInterval(cycleTimer);
      // destroy(), not stop(): it also drops the task from node-cron's process-wide registry.
      for (const entry of entries.values()) await entry.task.destroy();
      entries.clear();
      abort.abort();

      let timer: NodeJS.Timeout | undefined;
      const timedOut = await Promise.race([
        Promise.allSettled([...running.values(), ...(cycling ? [cycling] : [])]).then(() => false),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(true), timeoutMs);
        }),
      ]);
      clearTimeout(timer);
      const stillRunning = [...running.keys()];
      if (timedOut) log.warn({ jobs: stillRunning, timeoutMs }, 'scheduler stopped with jobs still running');
      else log.info({ ...(interrupted.length ? { interrupted } : {}) }, 'scheduler stopped');
      return { interrupted, stillRunning };
    },
  };
}
