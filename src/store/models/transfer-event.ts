import { InferSchemaType, Schema } from 'mongoose';
import { TRANSFER_EVENT_TYPES } from '../../domain/events';

/**
 * The raw accepted events, one document per event id. Inserting here first is the idempotency
 * check: a replayed event fails the unique index with code 11000.
 */
export const transferEventSchema = new Schema(
  {
    tenantId: { type: String, required: true },
    eventId: { type: String, required: true },
    transferId: { type: String, required: true },
    type: { type: String, enum: TRANSFER_EVENT_TYPES, required: true },
    occurredAt: { type: Date, required: true },
    receivedAt: { type: Date, default: () => new Date() },
    event: { type: Schema.Types.Mixed, required: true },
    /** Where it was first delivered: a later copy of the same event id is a duplicate, not news. */
    partition: { type: Number },
    offset: { type: Number },
  },
  { collection: 'transferEvents', strict: true },
);
transferEventSchema.index({ tenantId: 1, eventId: 1 }, { unique: true });
transferEventSchema.index({ tenantId: 1, transferId: 1, occurredAt: 1 });

export type TransferEventRecord = InferSchemaType<typeof transferEventSchema>;
