import { InferSchemaType, Schema } from 'mongoose';
import { ROLES, PLATFORM_NAME } from '../../domain/closed-lists';

/** A chat user allowed to manage the integration, with the role that bounds what they may do. */
export const memberSchema = new Schema(
  {
    tenantId: { type: String, required: true },
    platform: { type: String, match: PLATFORM_NAME, required: true },
    platformUserId: { type: String, required: true },
    /** Slack team or Discord guild the user was invited from. */
    teamId: { type: String },
    role: { type: String, enum: ROLES, required: true },
  },
  { collection: 'members', strict: true, timestamps: true },
);
memberSchema.index({ tenantId: 1, platform: 1, platformUserId: 1 }, { unique: true });

export type Member = InferSchemaType<typeof memberSchema>;
