import { InferSchemaType, Schema } from 'mongoose';

/** A named lease that lets one scheduler instance run service-wide jobs (retention, digests). */
export const leaseSchema = new Schema(
  {
    name: { type: String, required: true },
    owner: { type: String, required: true },
    until: { type: Date, required: true },
  },
  { collection: 'leases', strict: true },
);
leaseSchema.index({ name: 1 }, { unique: true });

export type Lease = InferSchemaType<typeof leaseSchema>;
