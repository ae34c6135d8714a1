import { InferSchemaType, Schema } from 'mongoose';

/**
 * One claim on a chat platform's delivery (a Slack event id or trigger id), shared by every
 * instance so that a delivery the platform repeats acts once wherever it lands.
 *
 * `_id` is `<platform>:<kind>:<id>` for the first attempt; an instance that finds a claim whose
 * owner died (lease passed, not done) takes the delivery over by inserting the next attempt,
 * `…#2`, again decided by the unique `_id` (FerretDB v1 lets a conditional update have several
 * winners). Read and written by `_id` only. No TTL index (FerretDB v1 has none): every claim is
 * also listed in a collection of its ten minutes (`chatDeliveryKeys_<YYYYMMDDHHmm>`), and the
 * prune deletes a whole expired list's claims by `_id`, then drops the list (see chat-deliveries.ts).
 */
export const chatDeliverySchema = new Schema(
  {
    _id: { type: String, required: true },
    /** The instance handling it. */
    owner: { type: String, required: true },
    /** Renewed while the owner works; past it, and not done, the owner is taken for dead. */
    leaseUntil: { type: Date, required: true },
    /** The owner finished handling it (well or not): a repeat is only acknowledged. */
    done: { type: Boolean, default: false },
    at: { type: Date, required: true },
  },
  { collection: 'chatDeliveries', strict: true, versionKey: false },
);

export type ChatDeliveryRecord = InferSchemaType<typeof chatDeliverySchema>;
