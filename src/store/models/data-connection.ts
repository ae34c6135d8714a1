import { InferSchemaType, Schema } from 'mongoose';
import { ENTITIES } from '../../domain/events';
import { CONNECTION_MODES } from '../../domain/closed-lists';

/** A data connection between two systems, e.g. Shopify > e-conomic for orders. */
export const dataConnectionSchema = new Schema(
  {
    tenantId: { type: String, required: true },
    /** The `connectionId` that transfer events carry. */
    connectionId: { type: String, required: true },
    fromSystemId: { type: String, required: true },
    toSystemId: { type: String, required: true },
    entity: { type: String, enum: ENTITIES, required: true },
    mode: { type: String, enum: CONNECTION_MODES, required: true },
    cron: { type: String },
    timezone: { type: String },
    active: { type: Boolean, default: true },
  },
  { collection: 'connections', strict: true, timestamps: true },
);
dataConnectionSchema.index({ tenantId: 1, connectionId: 1 }, { unique: true });

export type DataConnection = InferSchemaType<typeof dataConnectionSchema>;
