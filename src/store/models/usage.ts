import { InferSchemaType, Schema } from 'mongoose';

const counter = { type: Number, default: 0 };
const countsDefinition = { created: counter, updated: counter, failed: counter };

const entityCountsSchema = new Schema(
  { order: countsDefinition, product: countsDefinition, stock: countsDefinition },
  { _id: false, strict: true },
);

/**
 * Usage of one tenant in one period. Day buckets are a map keyed by 'YYYY-MM-DD' rather than an
 * array, so one `$inc` upsert reaches both the period counter and the day bucket.
 */
export const usageSchema = new Schema(
  {
    tenantId: { type: String, required: true },
    period: { type: String, required: true, match: /^\d{4}-\d{2}$/ },
    counters: { order: countsDefinition, product: countsDefinition, stock: countsDefinition },
    /** Orders counted against the subscription's included orders and top-ups. */
    ordersUsed: { type: Number, default: 0 },
    days: { type: Map, of: entityCountsSchema },
  },
  { collection: 'usage', strict: true, timestamps: true },
);
usageSchema.index({ tenantId: 1, period: 1 }, { unique: true });

export type Usage = InferSchemaType<typeof usageSchema>;
