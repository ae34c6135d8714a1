import { InferSchemaType, Schema } from 'mongoose';
import { PLATFORM_NAME, WORKSPACE_GONE_REASONS } from '../../domain/closed-lists';

/**
 * `channelId` of a binding that covers the whole workspace. An empty string rather than null or a
 * missing field: the unique index then tells "workspace-wide" apart from each channel exactly,
 * without the partial index FerretDB lacks.
 */
export const WORKSPACE_WIDE = '';

/** Maps a Slack workspace / Discord guild, or one channel of it, to a tenant. */
export const bindingSchema = new Schema(
  {
    platform: { type: String, match: PLATFORM_NAME, required: true },
    /** Slack team id or Discord guild id. */
    workspaceId: { type: String, required: true },
    // Not `required`: mongoose's required check refuses the empty string.
    channelId: {
      type: String,
      default: WORKSPACE_WIDE,
      set: (value: string | null | undefined) => value ?? WORKSPACE_WIDE,
    },
    tenantId: { type: String, required: true },
    /**
     * When the bot was found to be no longer in the workspace (removed from the Discord server, say).
     * Kept, not deleted, so the owner sees what happened; alerts there stop, and linking again clears it.
     */
    goneAt: { type: Date },
    goneReason: { type: String, enum: WORKSPACE_GONE_REASONS },
  },
  { collection: 'bindings', strict: true, timestamps: true },
);
bindingSchema.index({ platform: 1, workspaceId: 1, channelId: 1 }, { unique: true });
bindingSchema.index({ tenantId: 1 });

export type Binding = InferSchemaType<typeof bindingSchema>;
