import { InferSchemaType, Schema } from 'mongoose';
import { JOB_RUN_STATUSES } from '../../domain/closed-lists';

/**
 * One run of a connection's scheduled job: a tick that sent a sync request, a tick skipped because
 * something was switched off, a manual "Run now", or slots missed while no instance was up.
 *
 * Inserted once per tick under `_id: runId` (the id of the `connection.sync` command, which
 * engines echo on the transfers they send), so several instances record a tick once. Its result is
 * read from those transfers, or "no answer" once `answerBy` has passed without any.
 *
 * The collection grows with time (a document per tick of every scheduled job, kept RETENTION_DAYS),
 * so it is only ever read and written by `_id` (on FerretDB v1 any other filter reads the whole
 * collection; on MongoDB `_id` is the primary index). What would otherwise need a search is kept
 * elsewhere, small (see src/store/job-runs.ts):
 * - the runs still being watched: `openRuns`, one `{_id: runId}` per running run;
 * - a job's last run: `Job.lastRunId`, then this collection by `_id`;
 * - a job's recent results (for "failing N runs in a row"): `Job.recentRuns`;
 * - the runs to delete for retention: `runs:<tenant>:<day>:<job>` buckets in `jobRunViews`.
 *
 * Documented shape of a direct insert: `{ _id: runId, runId, tenantId, jobId, connectionId, tick,
 * status, ... }`; `_id` defaults to `runId` when left out. Runs written by an earlier version have
 * an ObjectId `_id`: `upgradeLegacyJobRuns` re-addresses the ones still read at start.
 */
export const jobRunSchema = new Schema(
  {
    /** The runId. */
    _id: { type: String },
    tenantId: { type: String, required: true },
    jobId: { type: String, required: true },
    connectionId: { type: String, required: true },
    runId: { type: String, required: true },
    /** The cron slot (or the click, for a manual run); for missed runs, the latest missed slot. */
    tick: { type: Date, required: true },
    status: { type: String, enum: JOB_RUN_STATUSES, required: true },
    manual: { type: Boolean, default: false },
    /** Why a run was skipped (integration, module, system or connection off). */
    reason: { type: String },
    /** How many slots in a row were missed (status 'missed'). */
    missedRuns: { type: Number },
    answerBy: { type: Date },
    transfers: {
      total: { type: Number, default: 0 },
      succeeded: { type: Number, default: 0 },
      failed: { type: Number, default: 0 },
    },
    /** What the failed transfers said (the first error code and message), for the alert. */
    failure: { type: String },
    /** Set once the result is final; runs without it are still being watched. */
    finishedAt: { type: Date },
  },
  { collection: 'jobRuns', strict: true, timestamps: true },
);
// Nothing searches runs any more (see above); the unique runId also refuses a second copy of a run
// under another `_id` (one written by an earlier version during a rolling upgrade).
jobRunSchema.index({ runId: 1 }, { unique: true });
jobRunSchema.pre('validate', function defaultId() {
  if (this._id === undefined || this._id === null) this._id = this.runId;
});

export type JobRun = InferSchemaType<typeof jobRunSchema>;
