import { InferSchemaType, Schema, Types } from 'mongoose';
import { PLATFORM_NAME } from '../../domain/closed-lists';

/**
 * One change, who made it and when. `_id` is a string: a purchase's entry is written under an
 * `_id` derived from its invoice (src/services/billing/purchase-audit.ts), so writing it twice — the
 * purchase and a later reconciliation — leaves one entry. Other entries get a fresh id; entries of
 * an earlier version keep their ObjectId.
 */
export const auditEntrySchema = new Schema(
  {
    _id: { type: String, default: () => new Types.ObjectId().toHexString() },
    tenantId: { type: String, required: true },
    actor: {
      platform: { type: String, match: PLATFORM_NAME, required: true },
      userId: { type: String, required: true },
    },
    /** e.g. 'connection.deactivate', 'topup.buy'. */
    action: { type: String, required: true },
    /** What was acted on, e.g. a connection id. */
    target: { type: String },
    details: { type: Schema.Types.Mixed },
    at: { type: Date, default: () => new Date() },
  },
  { collection: 'auditEntries', strict: true },
);
auditEntrySchema.index({ tenantId: 1, at: -1 });

export type AuditEntry = InferSchemaType<typeof auditEntrySchema>;
