import { InferSchemaType, Schema } from 'mongoose';

/**
 * Which workspace holds a chat channel, as the platform said while the bot could still ask: a
 * Discord channel id alone does not name its server, and once the bot is removed Discord no longer
 * tells. One document per channel, `_id` `<platform>:<channel id>`, read and written by `_id` only;
 * one per alert channel, so the collection stays small. Platform facts, not a tenant's data.
 */
export const channelWorkspaceSchema = new Schema(
  {
    _id: { type: String, required: true },
    platform: { type: String, required: true },
    channelId: { type: String, required: true },
    workspaceId: { type: String, required: true },
  },
  { collection: 'channelWorkspaces', strict: true, versionKey: false, timestamps: true },
);

export type ChannelWorkspace = InferSchemaType<typeof channelWorkspaceSchema>;
