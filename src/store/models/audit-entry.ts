import { InferSchemaType, Schema } from 'mongoose';
import { ACTOR_PLATFORMS } from './constants';

export const auditEntrySchema = new Schema(
  {
    tenantId: { type: String, required: true },
    actor: {
      platform: { type: String, enum: ACTOR_PLATFORMS, required: true },
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
