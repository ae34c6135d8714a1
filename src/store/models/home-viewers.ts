import { InferSchemaType, Schema } from 'mongoose';

/**
 * Who has a chat platform's Home view of a tenant open, so that whichever instance learns of a
 * change refreshes all of them: one document per platform and tenant, `_id` `<platform>:<tenant>`,
 * read and written by `_id` only. `viewers` maps `<workspace>:<user>` to the viewer and when they
 * last opened it; each opening sets its own field (no read first), and whoever writes trims
 * entries past their expiry or beyond the bound (see home-viewers.ts).
 */
export const homeViewersSchema = new Schema(
  {
    _id: { type: String, required: true },
    viewers: { type: Schema.Types.Mixed, default: {} },
  },
  { collection: 'homeViewers', strict: true, versionKey: false, minimize: false },
);

export type HomeViewersRecord = InferSchemaType<typeof homeViewersSchema>;
