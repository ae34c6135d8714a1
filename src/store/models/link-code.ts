import { InferSchemaType, Schema } from 'mongoose';

/**
 * One-time code that binds a workspace or channel to a tenant. Only the hash is stored. No TTL
 * index (FerretDB has none): readers check `expiresAt`, and a job prunes by it.
 */
export const linkCodeSchema = new Schema(
  {
    codeHash: { type: String, required: true },
    tenantId: { type: String, required: true },
    expiresAt: { type: Date, required: true },
    usedAt: { type: Date },
  },
  { collection: 'linkCodes', strict: true, timestamps: true },
);
linkCodeSchema.index({ codeHash: 1 }, { unique: true });
linkCodeSchema.index({ expiresAt: 1 });

export type LinkCode = InferSchemaType<typeof linkCodeSchema>;
