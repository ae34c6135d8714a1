import { InferSchemaType, Schema } from 'mongoose';

export const RETRY_JOB_STATES = ['sending', 'done'] as const;
export type RetryJobState = (typeof RETRY_JOB_STATES)[number];

/**
 * A bulk retry that is sent to the engines at a pace (src/services/transfers/retry-jobs.ts): what it sends,
 * in order, and how far it got. `_id` is `retry:<tenant>:<batch>` — the batch id comes from the
 * confirmation, so clicking it twice finds the job already there. Any instance may carry on with
 * a job whose claim (a Lease `retry:<tenant>:<batch>#<attempt>`) ran out: it claims the next
 * attempt and sends from `sent`. `sent` moves only after the broker acknowledged that chunk and
 * only under the current `attempt`, so an instance that lost the job cannot move it.
 *
 * Scanned whole for jobs to carry on (a handful sending at a time), so finished jobs are deleted
 * a day after they end.
 */
export const retryJobSchema = new Schema(
  {
    _id: { type: String, required: true },
    tenantId: { type: String, required: true },
    batch: { type: String, required: true },
    actor: {
      platform: { type: String, required: true },
      userId: { type: String, required: true },
    },
    /** When the person confirmed: every command of the job carries it, so a chunk sent again is the same. */
    issuedAt: { type: Date, required: true },
    /** Oldest first; one command each. */
    targets: {
      type: [
        {
          _id: false,
          transferId: { type: String, required: true },
          connectionId: { type: String, required: true },
          reason: { type: String, enum: ['retry', 'release'], required: true },
        },
      ],
      required: true,
    },
    total: { type: Number, required: true },
    /** Commands the broker has acknowledged, from the start of `targets`. */
    sent: { type: Number, required: true, default: 0 },
    /** The attempt whose claim may send; a takeover raises it. */
    attempt: { type: Number, required: true, default: 1 },
    perSecond: { type: Number, required: true },
    state: { type: String, enum: RETRY_JOB_STATES, required: true, default: 'sending' },
    finishedAt: { type: Date },
  },
  { collection: 'retryJobs', strict: true, timestamps: true },
);

export type RetryJob = InferSchemaType<typeof retryJobSchema>;

export const retryJobId = (tenantId: string, batch: string) => `retry:${tenantId}:${batch}`;
