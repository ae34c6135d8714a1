import { InferSchemaType, Schema } from 'mongoose';
import { ENTITIES, HOLD_REASONS, OPERATIONS } from '../../domain/events';
import { STAGE_STATUSES, TRANSFER_STATUSES } from '../../domain/closed-lists';

const stageSchema = new Schema(
  {
    name: { type: String, required: true },
    status: { type: String, enum: STAGE_STATUSES, required: true },
    message: { type: String },
    at: { type: Date, required: true },
  },
  { _id: false, strict: true },
);

/**
 * Data in one system's own format: what the log shows as "original" and "receiving" format. The
 * payload is kept as the JSON text the engine sent: a customer's key such as `$where` or `a.b` is
 * data, which a document store would read as an operator or a path, and nesting deeper than the
 * store allows stays one string.
 */
const payloadSchema = new Schema(
  {
    system: { type: String, required: true },
    format: { type: String, required: true },
    payloadJson: { type: String },
  },
  { _id: false, strict: true },
);

/** One event folded into the transfer, with where it was first delivered, as JSON text (see payloadSchema). */
const foldedEventSchema = new Schema(
  {
    partition: { type: Number },
    offset: { type: Number },
    json: { type: String, required: true },
  },
  { _id: false, strict: true },
);

const errorSchema = new Schema(
  {
    code: { type: String, required: true },
    message: { type: String, required: true },
    retryable: { type: Boolean, required: true },
  },
  { _id: false, strict: true },
);

/**
 * One transfer as the log shows it, folded from its events, addressed by `transferDocId` so that
 * reading and rewriting it never depends on a secondary index (FerretDB uses none for reads).
 */
export const transferSchema = new Schema(
  {
    _id: { type: String, required: true },
    tenantId: { type: String, required: true },
    transferId: { type: String, required: true },
    connectionId: { type: String, required: true },
    entity: { type: String, enum: ENTITIES, required: true },
    operation: { type: String, enum: OPERATIONS, required: true },
    status: { type: String, enum: TRANSFER_STATUSES, required: true },
    /** Why a transfer is held: its connection, module or the whole integration was off, or the quota. */
    hold: {
      type: new Schema(
        { reason: { type: String, enum: HOLD_REASONS, required: true }, message: { type: String } },
        { _id: false, strict: true },
      ),
    },
    /** How many times it was started: 1 plus retries and releases. */
    attempts: { type: Number, default: 1 },
    stages: { type: [stageSchema], default: () => [] },
    source: { type: payloadSchema },
    target: { type: payloadSchema },
    error: { type: errorSchema },
    /** Events already folded in; a replayed event is recognised here and changes nothing. */
    eventIds: { type: [String], default: () => [] },
    /** The events themselves: the recorder folds a transfer again from these, never from a query. */
    events: { type: [foldedEventSchema], default: () => [] },
    /** What a person searches by, e.g. the order number. */
    reference: { type: String },
    /** The scheduled run that produced it (the connection.sync command's id). */
    runId: { type: String },
    startedAt: { type: Date },
    finishedAt: { type: Date },
  },
  { collection: 'transfers', strict: true, timestamps: true },
);
// Every read of a transfer is by _id; the log, the status and the job results read small views
// the recorder keeps (transfer-view.ts). This index only keeps one document per transfer.
transferSchema.index({ tenantId: 1, transferId: 1 }, { unique: true });

/** The _id of a transfer's document. */
export const transferDocId = (tenantId: string, transferId: string) => `${tenantId}:${transferId}`;

export type Transfer = InferSchemaType<typeof transferSchema>;
