import { InferSchemaType, Schema } from 'mongoose';

/** One alert group: the chat message that is updated in place instead of posting a new one. */
export const alertStateSchema = new Schema(
  {
    tenantId: { type: String, required: true },
    groupKey: { type: String, required: true },
    lastSentAt: { type: Date },
    count: { type: Number, default: 0 },
    mutedUntil: { type: Date },
    resolvedAt: { type: Date },
    /** Per recipient channel, what its platform needs to edit the message (ts, message id, …). */
    messageRefs: { type: Schema.Types.Mixed },
  },
  { collection: 'alertStates', strict: true, timestamps: true },
);
alertStateSchema.index({ tenantId: 1, groupKey: 1 }, { unique: true });

export type AlertState = InferSchemaType<typeof alertStateSchema>;
