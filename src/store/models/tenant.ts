import { InferSchemaType, Schema } from 'mongoose';
import { DEFAULT_QUOTA_THRESHOLDS, DEFAULT_TIMEZONE } from '../../domain/closed-lists';
import { DEFAULT_LANGUAGE, LANGUAGES } from '../../domain/tenant-spec';

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
    /** The language of the tenant's mails, and of chat answers where the platform does not say the person's. */
    language: { type: String, enum: LANGUAGES, default: DEFAULT_LANGUAGE },
    /** Who at the customer answers for the integration (the spec's `owner`): personal data, erased with the tenant. */
    owner: {
      name: { type: String },
      email: { type: String },
      phone: { type: String },
    },
    /** Unset means the service-wide retention applies. */
    retention: {
      days: { type: Number, min: 1 },
      maxTransfers: { type: Number, min: 1 },
    },
    /** HMAC key of `POST /webhooks/events`; a secret, so only read when asked for. */
    webhookSecret: { type: String, select: false },
    /**
     * The secret a rotation replaced, still accepted until `until` so engines can switch over
     * without a refused request (src/services/tenants/rotate-secret.ts).
     */
    previousWebhookSecret: {
      type: new Schema(
        { secret: { type: String, required: true }, until: { type: Date, required: true } },
        { _id: false },
      ),
      select: false,
    },
  },
  { collection: 'tenants', strict: true, timestamps: true },
);
tenantSchema.index({ tenantId: 1 }, { unique: true });

export type Tenant = InferSchemaType<typeof tenantSchema>;
