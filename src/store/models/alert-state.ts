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
    // The notifier's view of the group (src/services/alerts/group-state.ts owns their meaning and shape;
    // `last`, `quota`, … below are the subjects of the alert kinds, each kind's `field`). The notifier
    // writes with strict off, so a new kind's field needs no entry here.
    episode: { type: Number },
    version: { type: Number },
    streak: { type: Number },
    alerting: { type: Boolean },
    /** Transfer ids of the group that failed and have not recovered yet. */
    failing: { type: [String], default: undefined },
    untracked: { type: Number },
    recovered: { type: Number },
    firstAt: { type: Date },
    lastAt: { type: Date },
    last: { type: Schema.Types.Mixed },
    reason: { type: String },
    quota: { type: Schema.Types.Mixed },
    /** The alert ids already counted: a redelivered alert changes nothing. */
    appliedIds: { type: [String], default: undefined },
  },
  { collection: 'alertStates', strict: true, timestamps: true },
);
alertStateSchema.index({ tenantId: 1, groupKey: 1 }, { unique: true });

export type AlertState = InferSchemaType<typeof alertStateSchema>;
