import { InferSchemaType, Schema } from 'mongoose';
import { SYSTEM_KINDS, SYSTEM_ROLES } from '../../domain/closed-lists';

export const systemSchema = new Schema(
  {
    tenantId: { type: String, required: true },
    systemId: { type: String, required: true },
    kind: { type: String, enum: SYSTEM_KINDS, required: true },
    name: { type: String, required: true },
    role: { type: String, enum: SYSTEM_ROLES, required: true },
    connected: { type: Boolean, default: true },
    /** Shown and edited from chat; anything secret belongs in `secrets`. */
    settings: { type: Schema.Types.Mixed },
    /** API keys and tokens; never selected unless a query asks for `+secrets`. */
    secrets: { type: Schema.Types.Mixed, select: false },
  },
  { collection: 'systems', strict: true, timestamps: true },
);
systemSchema.index({ tenantId: 1, systemId: 1 }, { unique: true });

export type System = InferSchemaType<typeof systemSchema>;
