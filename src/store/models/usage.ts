import { InferSchemaType, Schema } from 'mongoose';

const counter = { type: Number, default: 0 };
const countsDefinition = { created: counter, updated: counter, failed: counter };

const entityCountsSchema = new Schema(
  { order: countsDefinition, product: countsDefinition, stock: countsDefinition },
  { _id: false, strict: true },
);

/**
 * Usage of one tenant in one period, as counted from one partition of the transfers topic. A
 * partition has one consumer at a time and is read in order, so each document has a single
 * writer: exact on FerretDB, which loses concurrent updates to one document. `lastOffset` makes a
 * replay change nothing. The tenant's usage is the sum over its partitions' documents.
 * Day buckets are a map keyed by 'YYYY-MM-DD', so one `$inc` reaches period and day counters.
 */
/** The _id of a tenant's usage in a period as counted from one partition. */
export const usageDocId = (tenantId: string, period: string, partition: number) => `${tenantId}:${period}:${partition}`;

export const usageSchema = new Schema(
  {
    // Read and written by this _id only: on FerretDB any other filter reads the whole collection.
    _id: {
      type: String,
      default(this: { tenantId: string; period: string; partition?: number }) {
        return usageDocId(this.tenantId, this.period, this.partition ?? 0);
      },
    },
    tenantId: { type: String, required: true },
    period: { type: String, required: true, match: /^\d{4}-\d{2}$/ },
    partition: { type: Number, required: true, default: 0 },
    /** The last offset of `partition` counted here. */
    lastOffset: { type: Number, required: true, default: -1 },
    counters: { order: countsDefinition, product: countsDefinition, stock: countsDefinition },
    /** Orders counted against the subscription's included orders and top-ups. */
    ordersUsed: { type: Number, default: 0 },
    days: { type: Map, of: entityCountsSchema },
  },
  { collection: 'usage', strict: true, timestamps: true },
);
usageSchema.index({ tenantId: 1, period: 1, partition: 1 }, { unique: true });

export type Usage = InferSchemaType<typeof usageSchema>;
