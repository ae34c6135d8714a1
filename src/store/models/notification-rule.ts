import { InferSchemaType, Schema } from 'mongoose';
import { NOTIFICATION_TRIGGERS, PLATFORM_NAME } from '../../domain/closed-lists';

export const notificationRuleSchema = new Schema(
  {
    tenantId: { type: String, required: true },
    trigger: { type: String, enum: NOTIFICATION_TRIGGERS, required: true },
    recipient: {
      kind: { type: String, match: PLATFORM_NAME, required: true },
      /** A channel id for Slack and Discord, an address for e-mail. */
      target: { type: String, required: true },
    },
  },
  { collection: 'notificationRules', strict: true, timestamps: true },
);
notificationRuleSchema.index({ tenantId: 1, trigger: 1, 'recipient.kind': 1, 'recipient.target': 1 }, { unique: true });

export type NotificationRule = InferSchemaType<typeof notificationRuleSchema>;
