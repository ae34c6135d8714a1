import { InferSchemaType, Schema } from 'mongoose';

/**
 * Orders bought on top of the plan for one period, by hand or automatically. A collection of its
 * own rather than an array on the subscription: inserting into the unique idempotency index is the
 * one write FerretDB makes exact under concurrency, so a double click or two instances buy once.
 */
export const topUpSchema = new Schema(
  {
    tenantId: { type: String, required: true },
    /** 'YYYY-MM': the period whose allowance it raises. */
    period: { type: String, required: true, match: /^\d{4}-\d{2}$/ },
    orders: { type: Number, required: true, min: 1 },
    priceOre: { type: Number, required: true, min: 0 },
    auto: { type: Boolean, default: false },
    invoiceNumber: { type: String, required: true },
    idempotencyKey: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { collection: 'topUps', strict: true, timestamps: true },
);
topUpSchema.index({ tenantId: 1, idempotencyKey: 1 }, { unique: true });
topUpSchema.index({ tenantId: 1, period: 1 });

export type TopUp = InferSchemaType<typeof topUpSchema>;
