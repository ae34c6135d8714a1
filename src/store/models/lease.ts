import { InferSchemaType, Schema } from 'mongoose';

/**
 * A claim: one instance's right to do one thing once (run one tick of a job, send one digest).
 *
 * The scheduler claims a tick by inserting `{ name: 'job@tick' }`: the unique index refusing a
 * second insert is the one write FerretDB keeps exact under concurrency. While the run goes on its
 * owner pushes `until` forward; a claim not `done` whose `until` has passed belongs to an instance
 * that died, and another takes the tick over by inserting the next attempt (`job@tick#2`), again
 * decided by the unique index. `until` also says when a finished claim may be deleted (no TTL
 * index on FerretDB).
 */
export const leaseSchema = new Schema(
  {
    name: { type: String, required: true },
    owner: { type: String, required: true },
    until: { type: Date, required: true },
    job: { type: String },
    /** The tick a scheduler claim is for, and which attempt at it (1, then takeovers). */
    tick: { type: Date },
    attempt: { type: Number },
    /** The run ended (well or not), or the claim was taken over or given up. */
    done: { type: Boolean },
  },
  { collection: 'leases', strict: true },
);
leaseSchema.index({ name: 1 }, { unique: true });
// Each run deletes its job's expired claims.
leaseSchema.index({ job: 1, until: 1 });
// Instances look for claims whose owner died.
leaseSchema.index({ done: 1, until: 1 });

export type Lease = InferSchemaType<typeof leaseSchema>;
