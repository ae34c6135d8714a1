import { InferSchemaType, Schema } from 'mongoose';

const lineSchema = new Schema(
  {
    description: { type: String, required: true },
    quantity: { type: Number, required: true },
    unitPriceOre: { type: Number, required: true },
    amountOre: { type: Number, required: true },
  },
  { _id: false, strict: true },
);

export const invoiceSchema = new Schema(
  {
    tenantId: { type: String, required: true },
    number: { type: String, required: true },
    lines: { type: [lineSchema], default: () => [] },
    netOre: { type: Number, required: true },
    vatOre: { type: Number, required: true },
    totalOre: { type: Number, required: true },
    issuedAt: { type: Date, required: true },
    /**
     * Required: a unique index treats every missing key as the same null value, and partial
     * indexes are not available on FerretDB.
     */
    idempotencyKey: { type: String, required: true },
  },
  { collection: 'invoices', strict: true, timestamps: true },
);
invoiceSchema.index({ number: 1 }, { unique: true });
invoiceSchema.index({ tenantId: 1, idempotencyKey: 1 }, { unique: true });
invoiceSchema.index({ tenantId: 1, issuedAt: -1 });

export type Invoice = InferSchemaType<typeof invoiceSchema>;
