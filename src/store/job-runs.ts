import { type JobRunStatus } from '../domain/closed-lists';
import { chunked, mapBounded } from './bounded';
import type { StoreLogger } from './connect';
import { insertKeepingDuplicates, isDuplicateKeyError } from './errors';
import type { Models } from './models';

/**
 * Job runs without searching `jobRuns`, which grows with every tick of every scheduled job. Every
 * recurring read and write here is by `_id` (on FerretDB v1 any other filter reads the whole
 * collection, ~0.3 ms per stored document; on MongoDB `_id` is the primary index) or of a small
 * collection read whole:
 *
 * - one run: `jobRuns` by `_id` = runId (`readJobRun`, `readJobRuns`);
 * - the runs still being watched: `openRuns`, one `{_id: runId}` per running run, read whole (a
 *   handful), each run then by `_id` (`openJobRuns`);
 * - a job's recent results: `Job.recentRuns` on the small `jobs` collection (`recordRecentRun`);
 * - retention: `runs:<tenant>:<day>:<job>` buckets and `runJobs:<tenant>` in `jobRunViews`, both by
 *   `_id`, then the runs by `_id` (`pruneJobRuns`).
 *
 * The one search left is the one-time upgrade of a store written by an earlier version
 * (`upgradeLegacyJobRuns`, at start) and, until the runs it left behind have aged out, one
 * retention query a night for them.
 */

type RunModels = Pick<Models, 'Job' | 'JobRun' | 'OpenRun' | 'JobRunView'>;

const DAY_MS = 24 * 60 * 60 * 1000;
const READ_CONCURRENCY = 8;
const MARKER = 'migration:job-runs-v1';
/** Statuses a run may end with that count for or against a job (skipped runs say nothing). */
const COUNTED: ReadonlySet<string> = new Set(['succeeded', 'failed', 'no_answer', 'missed']);
/** How many finished runs a job keeps in `recentRuns` at least. */
export const RECENT_RUNS_KEPT = 50;

export const jobRunViewIds = {
  day: (tenantId: string, day: string, jobId: string) => `runs:${tenantId}:${day}:${jobId}`,
  jobs: (tenantId: string) => `runJobs:${tenantId}`,
  marker: MARKER,
};

const utcDay = (at: Date) => at.toISOString().slice(0, 10);
const nextDay = (day: string) => utcDay(new Date(Date.parse(`${day}T00:00:00.000Z`) + DAY_MS));

/** A run as it is first recorded. */
export interface NewJobRun {
  tenantId: string;
  jobId: string;
  connectionId: string;
  runId: string;
  tick: Date;
  status: JobRunStatus;
  manual?: boolean;
  reason?: string;
  missedRuns?: number;
  answerBy?: Date;
  finishedAt?: Date;
}

/**
 * Records a run under `_id: runId`, once: a run recorded already (another instance's attempt at
 * the same tick) is kept as it is, and false is returned. A running run is listed in `openRuns`
 * first, so a crash in between leaves a marker the settle loop drops (never an unwatched run).
 * The run is listed in its UTC day's bucket for retention.
 */
export async function recordJobRun(models: RunModels, run: NewJobRun, now: Date): Promise<boolean> {
  if (run.status === 'running') {
    const answerBy = run.answerBy ?? now;
    await insertKeepingDuplicates(models.OpenRun.collection, [
      { _id: run.runId, tenantId: run.tenantId, jobId: run.jobId, answerBy, createdAt: now },
    ]);
  }
  const refused = await insertKeepingDuplicates(models.JobRun, [{ _id: run.runId, ...run }]);
  if (refused.size > 0) return false;
  await listInDay(models, run.tenantId, run.jobId, utcDay(now), run.runId);
  return true;
}

/** Adds a run to its day bucket, and the job to the tenant's list; both by `_id`. */
async function listInDay(models: RunModels, tenantId: string, jobId: string, day: string, runId: string) {
  const views = models.JobRunView.collection;
  const upsertById = async (_id: string, update: object) => {
    // Two writers creating the same document at once: the unique _id refuses one; its retry updates.
    for (let attempt = 0; ; attempt += 1) {
      try {
        await views.updateOne({ _id: _id as never }, update as never, { upsert: true });
        return;
      } catch (error) {
        if (!isDuplicateKeyError(error) || attempt >= 2) throw error;
      }
    }
  };
  await upsertById(jobRunViewIds.day(tenantId, day, jobId), {
    $addToSet: { runIds: runId },
    $setOnInsert: { tenantId, jobId, day },
  });
  // Unchanged (no write) but for a job's first run, or a day before the first listed.
  await upsertById(jobRunViewIds.jobs(tenantId), {
    $addToSet: { jobIds: jobId },
    $min: { since: day },
    $setOnInsert: { tenantId },
  });
}

/** One run, by `_id`. */
export async function readJobRun(models: Pick<Models, 'JobRun'>, runId: string) {
  return models.JobRun.findOne({ _id: runId }).lean();
}

/** Runs by `_id`, in the order of `runIds` (null where none is stored); at most 8 reads at once. */
export async function readJobRuns(models: Pick<Models, 'JobRun'>, runIds: readonly string[], projection?: object) {
  return mapBounded(runIds, READ_CONCURRENCY, (runId) => models.JobRun.findOne({ _id: runId }, projection).lean());
}

export type OpenJobRun = NonNullable<Awaited<ReturnType<typeof readJobRun>>>;

/**
 * The runs still being watched: `openRuns` read whole (a handful), each run by `_id`. Markers whose
 * run has settled (another instance settled it, or a late second attempt re-listed it) are dropped
 * by `_id`; so is a marker whose run was never recorded once its `answerBy` has passed.
 */
export async function openJobRuns(models: Pick<Models, 'JobRun' | 'OpenRun'>, now: Date): Promise<OpenJobRun[]> {
  const markers = await models.OpenRun.find({}).lean();
  const runs = await readJobRuns(
    models,
    markers.map((marker) => marker._id),
  );
  const open: OpenJobRun[] = [];
  for (const [index, marker] of markers.entries()) {
    const run = runs[index];
    if (run?.status === 'running') open.push(run as OpenJobRun);
    else if (run || now >= marker.answerBy) await closeOpenRun(models, marker._id);
  }
  return open;
}

/** The run is no longer watched. */
export async function closeOpenRun(models: Pick<Models, 'OpenRun'>, runId: string): Promise<void> {
  await models.OpenRun.deleteOne({ _id: runId });
}

export interface RecentRun {
  runId: string;
  status: JobRunStatus;
  tick: Date;
}

/**
 * Enters a finished run into its job's `recentRuns` and returns the list, newest tick first. The
 * list is derived from its content, not from a count: entering the same run twice (two instances
 * settling it at once) gives the same list. `jobs` is small, so its filter may search. FerretDB
 * applies an update without isolation from another writer of the same job; two different runs of
 * one job settled at the same moment by two instances could lose one entry (on MongoDB as well,
 * being a read and a write): rare, and it only shortens a streak.
 */
export async function recordRecentRun(
  models: Pick<Models, 'Job'>,
  job: { tenantId: string; jobId: string },
  run: RecentRun,
  keep = RECENT_RUNS_KEPT,
): Promise<RecentRun[]> {
  const current = await models.Job.findOne({ tenantId: job.tenantId, jobId: job.jobId }, { recentRuns: 1 }).lean();
  const before = (current?.recentRuns ?? []) as RecentRun[];
  if (!COUNTED.has(run.status)) return before;
  const recentRuns = mergeRecent(before, [run], keep);
  if (current) await models.Job.updateOne({ tenantId: job.tenantId, jobId: job.jobId }, { $set: { recentRuns } });
  return recentRuns;
}

function mergeRecent(list: RecentRun[], add: RecentRun[], keep: number): RecentRun[] {
  const ids = new Set(add.map(({ runId }) => runId));
  return [...list.filter(({ runId }) => !ids.has(runId)), ...add]
    .map(({ runId, status, tick }) => ({ runId, status, tick: new Date(tick) }))
    .sort((a, b) => b.tick.getTime() - a.tick.getTime() || b.runId.localeCompare(a.runId))
    .slice(0, keep);
}

export interface PruneJobRunsOptions {
  now: Date;
  /** Runs recorded on a UTC day wholly before `now - retentionDays` are deleted. */
  retentionDays: number;
  signal?: AbortSignal;
}

/**
 * Retention of job runs, by `_id` only: per tenant (the small `tenants` collection), its jobs
 * (`runJobs:<tenant>` and the small `jobs` collection), and per day since the last pruned one, the
 * day bucket `runs:<tenant>:<day>:<job>`; its runs are deleted by `_id` in bounded bulks, then the
 * bucket. A run is kept at least `retentionDays` after it was recorded and at most one day more
 * (runs settle within their answer timeout, so it has long finished). Stopped at any point, the
 * next run finds what is left. Runs written by an earlier version (not in any bucket) go by the old
 * query, `finishedAt` before the window, while the upgrade's marker says some remain (or there is
 * no marker: a store this version never started on).
 *
 * @returns how many runs were deleted.
 */
export async function pruneJobRuns(
  models: RunModels & Pick<Models, 'Tenant'>,
  { now, retentionDays, signal }: PruneJobRunsOptions,
): Promise<number> {
  const views = models.JobRunView.collection;
  const firstKeptDay = utcDay(new Date(now.getTime() - retentionDays * DAY_MS));
  const [tenants, jobs] = await Promise.all([
    models.Tenant.find({}, { tenantId: 1 }).lean(),
    models.Job.find({}, { tenantId: 1, jobId: 1 }).lean(),
  ]);
  let deleted = 0;
  for (const { tenantId } of tenants) {
    if (signal?.aborted) return deleted;
    const listing = await views.findOne({ _id: jobRunViewIds.jobs(tenantId) as never });
    if (!listing) continue;
    const jobIds = [
      ...new Set([
        ...((listing.jobIds as string[] | undefined) ?? []),
        ...jobs.filter((job) => job.tenantId === tenantId).map((job) => job.jobId),
      ]),
    ];
    const prunedThrough = listing.prunedThrough as string | undefined;
    let day = prunedThrough ? nextDay(prunedThrough) : String(listing.since ?? firstKeptDay);
    for (; day < firstKeptDay; day = nextDay(day)) {
      if (signal?.aborted) return deleted;
      for (const jobId of jobIds) {
        const _id = jobRunViewIds.day(tenantId, day, jobId);
        const bucket = await views.findOne({ _id: _id as never }, { projection: { runIds: 1 } });
        for (const runIds of chunked((bucket?.runIds as string[] | undefined) ?? [])) {
          const result = await models.JobRun.collection.bulkWrite(
            runIds.map((runId) => ({ deleteOne: { filter: { _id: runId as never } } })),
            { ordered: false },
          );
          deleted += result.deletedCount;
        }
        if (bucket) await views.deleteOne({ _id: _id as never });
      }
      await views.updateOne({ _id: jobRunViewIds.jobs(tenantId) as never }, { $set: { prunedThrough: day } });
    }
  }
  if (!signal?.aborted) deleted += await pruneLegacyJobRuns(models, new Date(now.getTime() - retentionDays * DAY_MS));
  return deleted;
}

async function pruneLegacyJobRuns(models: RunModels, before: Date): Promise<number> {
  const views = models.JobRunView.collection;
  const marker = await views.findOne({ _id: MARKER as never });
  if (marker && !marker.legacyLeft) return 0;
  // The old query, searching: only until the runs of an earlier version have aged out.
  const { deletedCount } = await models.JobRun.deleteMany({ finishedAt: { $lt: before } });
  if (marker && !(await models.JobRun.collection.findOne({ _id: { $type: 'objectId' } } as never))) {
    await views.updateOne({ _id: MARKER as never }, { $set: { legacyLeft: false } });
  }
  return deletedCount;
}

/**
 * Once per store (the `migration:job-runs-v1` marker, read by `_id`, says it is done), before the
 * scheduler starts: one pass over the runs an earlier version wrote with an ObjectId `_id`. Runs
 * still running, and each job's last run, are re-addressed under `_id: runId` (running ones are
 * listed in `openRuns`, so they settle as before); every job's `recentRuns` is filled from the
 * finished ones, so a failure streak carries on. Other finished runs stay as they are until
 * retention deletes them with the old query (the marker's `legacyLeft`).
 */
export async function upgradeLegacyJobRuns(models: RunModels, logger?: StoreLogger): Promise<void> {
  const views = models.JobRunView.collection;
  if (await views.findOne({ _id: MARKER as never })) return;
  const jobs = await models.Job.find({}, { tenantId: 1, jobId: 1, lastRunId: 1, recentRuns: 1 }).lean();
  const lastRunIds = new Set(jobs.map((job) => job.lastRunId).filter(Boolean));
  const recent = new Map<string, RecentRun[]>();
  const keyOf = (tenantId: unknown, jobId: unknown) => `${String(tenantId)}\u0000${String(jobId)}`;
  let readdressed = 0;
  let left = 0;
  for await (const doc of models.JobRun.collection.find({ _id: { $type: 'objectId' } } as never)) {
    const { _id, ...rest } = doc;
    const runId = String(doc.runId);
    const tenantId = String(doc.tenantId);
    const jobId = String(doc.jobId);
    if (COUNTED.has(String(doc.status))) {
      const key = keyOf(tenantId, jobId);
      const entry = { runId, status: doc.status as JobRunStatus, tick: doc.tick as Date };
      recent.set(key, mergeRecent(recent.get(key) ?? [], [entry], RECENT_RUNS_KEPT));
    }
    if (doc.status !== 'running' && !lastRunIds.has(runId)) {
      left += 1;
      continue;
    }
    // The old copy goes first: its runId is unique too.
    await models.JobRun.collection.deleteOne({ _id });
    await models.JobRun.collection.insertOne({ ...rest, _id: runId as never }).catch((error: unknown) => {
      if (!isDuplicateKeyError(error)) throw error;
    });
    if (doc.status === 'running') {
      const answerBy = (doc.answerBy as Date | undefined) ?? new Date();
      await insertKeepingDuplicates(models.OpenRun.collection, [{ _id: runId, tenantId, jobId, answerBy }]);
    }
    const recordedAt = (doc.createdAt as Date | undefined) ?? (doc.tick as Date);
    await listInDay(models, tenantId, jobId, utcDay(recordedAt), runId);
    readdressed += 1;
  }
  for (const job of jobs) {
    const found = recent.get(keyOf(job.tenantId, job.jobId));
    if (!found) continue;
    const recentRuns = mergeRecent((job.recentRuns ?? []) as RecentRun[], found, RECENT_RUNS_KEPT);
    await models.Job.updateOne({ tenantId: job.tenantId, jobId: job.jobId }, { $set: { recentRuns } });
  }
  await views
    .insertOne({ _id: MARKER as never, tenantId: '', legacyLeft: left > 0, at: new Date() })
    .catch((error: unknown) => {
      if (!isDuplicateKeyError(error)) throw error;
    });
  if (readdressed + left > 0) logger?.info({ readdressed, left }, 'upgraded the job runs to _id-addressed documents');
}
