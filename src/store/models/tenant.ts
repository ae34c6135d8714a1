import { InferSchemaType, Schema } from 'mongoose';
import { DEFAULT_QUOTA_THRESHOLDS, DEFAULT_TIMEZONE } from '../../domain/closed-lists';

/** One customer integration. `tenantId` (not `_id`) is the id, so every collection is queried alike. */
export const tenantSchema = new Schema(
  {
    tenantId: { type: String, required: true },
    name: { type: String, required: true },
    active: { type: Boolean, default: true },
    modules: {
      orders: { type: Boolean, default: true },
      products: { type: Boolean, default: true },
      stock: { type: Boolean, default: true },
    },
    /** Percentages of the included orders at which a quota alert is sent. */
    quotaThresholds: { type: [Number], default: () => [...DEFAULT_QUOTA_THRESHOLDS] },
    timezone: { type: String, default: DEFAULT_TIMEZONE },
    /** Unset means the service-wide retention applies. */
    retention: {
      days: { type: Number, min: 1 },
      maxTransfers: { type: Number, min: 1 },
    },
    /** HMAC key of `POST /webhooks/events`; a secret, so only read when asked for. */
    webhookSecret: { type: String, select: false },
  },
  { collection: 'tenants', strict: true, timestamps: true },
);
tenantSchema.index({ tenantId: 1 }, { unique: true });

export type Tenant = InferSchemaType<typeof tenantSchema>;
