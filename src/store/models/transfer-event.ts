import { InferSchemaType, Schema } from 'mongoose';
import { TRANSFER_EVENT_TYPES, type TransferEvent } from '../../domain/events';

/**
 * The raw accepted events, one document per event id (`_id` = `<tenantId>:<eventId>`), append-only:
 * inserted, never updated, never queried by anything but `_id`. Inserting is the idempotency check:
 * a replayed event is refused by the unique _id with code 11000. The event is kept as the JSON text
 * it arrived as, so payload keys like `$where` are stored as data.
 */
export const transferEventSchema = new Schema(
  {
    _id: { type: String, required: true },
    tenantId: { type: String, required: true },
    eventId: { type: String, required: true },
    transferId: { type: String, required: true },
    type: { type: String, enum: TRANSFER_EVENT_TYPES, required: true },
    occurredAt: { type: Date, required: true },
    receivedAt: { type: Date, default: () => new Date() },
    eventJson: { type: String, required: true },
    /** Where it was first delivered: a later copy of the same event id is a duplicate, not news. */
    partition: { type: Number },
    offset: { type: Number },
  },
  { collection: 'transferEvents', strict: true },
);
transferEventSchema.index({ tenantId: 1, eventId: 1 }, { unique: true });

export type TransferEventRecord = InferSchemaType<typeof transferEventSchema>;

/** An accepted event as stored, with where it was first delivered; its `_id` is `<tenantId>:<eventId>`. */
export function transferEventRecord(event: TransferEvent, partition: number, offset: number, receivedAt: Date) {
  return {
    tenantId: event.tenantId,
    eventId: event.id,
    transferId: event.transferId,
    type: event.type,
    occurredAt: new Date(event.occurredAt),
    receivedAt,
    eventJson: JSON.stringify(event),
    partition,
    offset,
  };
}
