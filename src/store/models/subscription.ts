import { InferSchemaType, Schema } from 'mongoose';

const pendingPlanSchema = new Schema(
  {
    plan: { type: String, required: true },
    effectiveAt: { type: Date, required: true },
  },
  { _id: false, strict: true },
);

/**
 * The period's orders are held because its allowance was used up (quota-check sent
 * `orders.hold`), until a raise of the allowance releases them (`releasedAt`). One per tenant:
 * a hold of an earlier period ended with it.
 */
const quotaHoldSchema = new Schema(
  {
    period: { type: String, required: true },
    /**
     * The allowance that was used up; a later overrun is one beyond a higher allowance. Unknown
     * for a hold an earlier version made (it kept only its once-a-period alert), once released.
     */
    allowance: { type: Number },
    heldAt: { type: Date, required: true },
    releasedAt: { type: Date },
  },
  { _id: false, strict: true },
);

export const subscriptionSchema = new Schema(
  {
    tenantId: { type: String, required: true },
    plan: { type: String, required: true },
    includedOrders: { type: Number, required: true, min: 0 },
    periodStart: { type: Date, required: true },
    autoTopUp: {
      enabled: { type: Boolean, default: true },
      packOrders: { type: Number, min: 1 },
      maxPerPeriod: { type: Number, min: 0 },
    },
    billing: {
      company: { type: String },
      vatNumber: { type: String },
      email: { type: String },
      address: { type: String },
    },
    /** An upgrade or downgrade that takes effect at the next period. */
    pendingPlan: { type: pendingPlanSchema },
    quotaHold: { type: quotaHoldSchema },
  },
  { collection: 'subscriptions', strict: true, timestamps: true },
);
subscriptionSchema.index({ tenantId: 1 }, { unique: true });

export type Subscription = InferSchemaType<typeof subscriptionSchema>;
