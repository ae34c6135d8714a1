import { InferSchemaType, Schema } from 'mongoose';
import { PLATFORM_NAME } from '../../domain/closed-lists';

const lineSchema = new Schema(
  {
    description: { type: String, required: true },
    quantity: { type: Number, required: true },
    unitPriceOre: { type: Number, required: true },
    amountOre: { type: Number, required: true },
  },
  { _id: false, strict: true },
);

/**
 * The audit entry a purchase implies, written in the same insert as its invoice (an outbox in the
 * purchase document): the entry in auditEntries is derived from it, so a purchase cannot end up
 * unaudited however the process stops (src/services/billing/purchase-audit.ts).
 */
const purchaseAuditSchema = new Schema(
  {
    actor: {
      platform: { type: String, match: PLATFORM_NAME, required: true },
      userId: { type: String, required: true },
    },
    action: { type: String, required: true },
    target: { type: String },
    details: { type: Schema.Types.Mixed },
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
    /** Absent on invoices of an earlier version, which their purchase audited itself. */
    audit: { type: purchaseAuditSchema },
    /** When the entry derived from `audit` was found written; absent: the reconciliation writes it. */
    auditedAt: { type: Date },
    /**
     * Its tenant was erased: the invoice is kept for bookkeeping without anything personal, and
     * without `audit` (src/services/tenants/anonymise-invoices.ts).
     */
    erasedAt: { type: Date },
  },
  { collection: 'invoices', strict: true, timestamps: true },
);
invoiceSchema.index({ number: 1 }, { unique: true });
invoiceSchema.index({ tenantId: 1, idempotencyKey: 1 }, { unique: true });
invoiceSchema.index({ tenantId: 1, issuedAt: -1 });

export type Invoice = InferSchemaType<typeof invoiceSchema>;
