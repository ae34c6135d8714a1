import { InferSchemaType, Schema } from 'mongoose';

const pendingPlanSchema = new Schema(
  {
    plan: { type: String, required: true },
    effectiveAt: { type: Date, required: true },
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
  },
  { collection: 'subscriptions', strict: true, timestamps: true },
);
subscriptionSchema.index({ tenantId: 1 }, { unique: true });

export type Subscription = InferSchemaType<typeof subscriptionSchema>;
