import { InferSchemaType, Schema } from 'mongoose';

/**
 * The runs of scheduled jobs still being watched: one `{_id: runId}` per run whose status is
 * 'running', inserted before the run and deleted by `_id` once it has settled. A handful at any
 * time, so the settle loop reads the collection whole; each run is then read from `jobRuns` by
 * `_id` (on MongoDB `_id` is the primary index).
 */
export const openRunSchema = new Schema(
  {
    /** The runId. */
    _id: { type: String, required: true },
    tenantId: { type: String, required: true },
    jobId: { type: String, required: true },
    /** A marker whose run was never recorded (a crash in between) is dropped after this. */
    answerBy: { type: Date, required: true },
  },
  { collection: 'openRuns', strict: true, timestamps: { createdAt: true, updatedAt: false } },
);

export type OpenRunRecord = InferSchemaType<typeof openRunSchema>;

/**
 * Small documents kept beside `jobRuns` so that its retention never searches it; every one is read
 * and written by `_id` only (on FerretDB v1 any other filter reads the whole collection; on MongoDB
 * `_id` is the primary index).
 *
 * - `runs:<tenant>:<YYYY-MM-DD>:<jobId>`: the runs of one job recorded that UTC day (`runIds`);
 *   retention deletes them by whole days.
 * - `runJobs:<tenant>`: the jobs a tenant's runs were recorded for (`jobIds`), the first day
 *   (`since`) and the last day retention has deleted (`prunedThrough`).
 * - `migration:job-runs-v1`: the one-time upgrade of runs written by an earlier version is done;
 *   `legacyLeft` says finished runs with an ObjectId `_id` remain for retention to delete.
 */
export const jobRunViewSchema = new Schema(
  {
    _id: { type: String, required: true },
    tenantId: { type: String },
  },
  { collection: 'jobRunViews', strict: false },
);

export type JobRunViewRecord = InferSchemaType<typeof jobRunViewSchema>;
