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
 *
 * Its `_id` is its name (claims written by an earlier version keep an ObjectId): on FerretDB v1
 * only a filter that is exactly `{_id}` uses an index, so a claim that is read or renewed often
 * (a bulk retry's, a Run now's) is addressed by `_id`; on MongoDB that is the primary index.
 */
export const leaseSchema = new Schema(
  {
    /** The name (see above). */
    _id: { type: String },
    name: { type: String, required: true },
    owner: { type: String, required: true },
    until: { type: Date, required: true },
    job: { type: String },
    /** The tick a scheduler claim is for, and which attempt at it (1, then takeovers). */
    tick: { type: Date },
    attempt: { type: Number },
    /** The run ended (well or not), or the claim was taken over or given up. */
    done: { type: Boolean },
    /** Who asked for what the claim stands for, when a person did (a Run now): shown to the next one. */
    by: {
      platform: { type: String },
      userId: { type: String },
      displayName: { type: String },
    },
  },
  { collection: 'leases', strict: true },
);
leaseSchema.index({ name: 1 }, { unique: true });
leaseSchema.pre('validate', function defaultId() {
  if (this._id === undefined || this._id === null) this._id = this.name;
});
// Each run deletes its job's expired claims.
leaseSchema.index({ job: 1, until: 1 });
// Instances look for claims whose owner died.
leaseSchema.index({ done: 1, until: 1 });

export type Lease = InferSchemaType<typeof leaseSchema>;
