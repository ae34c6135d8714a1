import { InferSchemaType, Schema } from 'mongoose';

/**
 * Small documents the recorder keeps current so that chat answers never search the transfers:
 * every one is read and written by `_id` only (on FerretDB v1 any other filter reads the whole
 * collection; on MongoDB `_id` is the primary index).
 *
 * - `view:<tenant>:<partition>`: the latest transfers, the failed and the held ones of one tenant,
 *   as counted from one partition of the transfers topic — one writer each, the partition's owner.
 * - `topology`: how many partitions the transfers topic has; readers look at each of them.
 * - `partitions:<tenant>`: the partitions a tenant's transfers were recorded on (and, in stores
 *   written before 2026-12-02, the days).
 * - `days@<partition>:<tenant>`: the UTC days that partition first recorded the tenant's transfers on.
 * - `ref@<partition>:<tenant>:<reference>#<n>`: the transfers of one partition carrying a reference
 *   (order number, SKU), one chunk inserted per batch that adds some (append-chunks.ts); without
 *   `#<n>`, one document per reference in stores written before 2026-12-02, and
 *   `ref:<tenant>:<reference>` for every partition in stores written before 2026-12-01.
 * - `run:<tenant>:<runId>:<partition>`: the transfers a scheduled run produced, with their status.
 * - `day:<tenant>:<YYYY-MM-DD>:<partition>`: the transfers first recorded that day, which
 *   retention deletes by whole days.
 */
export const transferViewSchema = new Schema(
  {
    _id: { type: String, required: true },
    tenantId: { type: String, required: true },
  },
  { collection: 'transferViews', strict: false },
);

export type TransferViewRecord = InferSchemaType<typeof transferViewSchema>;
