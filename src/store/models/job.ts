import { InferSchemaType, Schema } from 'mongoose';
import { DEFAULT_TIMEZONE, JOB_RUN_STATUSES } from '../../domain/closed-lists';

/**
 * A scheduled run of a connection (the dashboard's "Run settings"). Few (one per scheduled
 * connection), so reading the collection whole is cheap; it carries what would otherwise need a
 * search of the growing `jobRuns`: the last run's id (read then by `_id`) and the recent results.
 */
export const jobSchema = new Schema(
  {
    tenantId: { type: String, required: true },
    jobId: { type: String, required: true },
    connectionId: { type: String, required: true },
    cron: { type: String, required: true },
    timezone: { type: String, default: DEFAULT_TIMEZONE },
    lastRunAt: { type: Date },
    lastStatus: { type: String, enum: JOB_RUN_STATUSES },
    nextRunAt: { type: Date },
    /** The run `lastStatus` belongs to (a JobRun's runId). */
    lastRunId: { type: String },
    /** Since when the job has been due on its current schedule: runs before it cannot be missed. */
    scheduledSince: { type: Date },
    /** Its connection is switched off: no ticks, and nothing counts as missed. */
    paused: { type: Boolean, default: false },
    /**
     * The job's latest finished runs (succeeded, failed, no answer, missed; skipped runs say
     * nothing either way), newest tick first, a few dozen at most: written when a run settles or
     * is reported missed, read for `job.failing` / `job.recovered` instead of the run history.
     */
    recentRuns: {
      type: [
        new Schema(
          {
            runId: { type: String, required: true },
            status: { type: String, enum: JOB_RUN_STATUSES, required: true },
            tick: { type: Date, required: true },
          },
          { _id: false },
        ),
      ],
      default: undefined,
    },
  },
  { collection: 'jobs', strict: true, timestamps: true },
);
jobSchema.index({ tenantId: 1, jobId: 1 }, { unique: true });
jobSchema.index({ tenantId: 1, connectionId: 1 });
// The scheduler looks for due jobs across all tenants.
jobSchema.index({ nextRunAt: 1 });

export type Job = InferSchemaType<typeof jobSchema>;
