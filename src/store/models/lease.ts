import { InferSchemaType, Schema } from 'mongoose';

/**
 * A named lease that lets one scheduler instance run service-wide jobs (retention, digests).
 *
 * The scheduler claims one tick of a job by inserting `{ name: 'job@tick' }`: the unique index
 * refusing a second insert is the one write FerretDB keeps exact under concurrency. Such a claim
 * records its `job`, and `until` is when the record may be deleted (no TTL index on FerretDB).
 */
export const leaseSchema = new Schema(
  {
    name: { type: String, required: true },
    owner: { type: String, required: true },
    until: { type: Date, required: true },
    job: { type: String },
  },
  { collection: 'leases', strict: true },
);
leaseSchema.index({ name: 1 }, { unique: true });
// Each run deletes its job's expired tick claims.
leaseSchema.index({ job: 1, until: 1 });

export type Lease = InferSchemaType<typeof leaseSchema>;
