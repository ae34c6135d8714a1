import { InferSchemaType, Schema } from 'mongoose';
import { JOB_RUN_STATUSES } from './constants';

/**
 * One run of a connection's scheduled job: a tick that sent a sync request, a tick skipped because
 * something was switched off, a manual "Run now", or slots missed while no instance was up.
 *
 * Inserted once per tick under a unique `runId` (the id of the `connection.sync` command, which
 * engines echo on the transfers they send), so several instances record a tick once. Its result is
 * read from those transfers, or "no answer" once `answerBy` has passed without any.
 */
export const jobRunSchema = new Schema(
  {
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
jobRunSchema.index({ runId: 1 }, { unique: true });
jobRunSchema.index({ tenantId: 1, jobId: 1, tick: -1 });
jobRunSchema.index({ status: 1 });

export type JobRun = InferSchemaType<typeof jobRunSchema>;
