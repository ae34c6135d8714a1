import { InferSchemaType, Schema } from 'mongoose';
import { ENTITIES, HOLD_REASONS, OPERATIONS } from '../../domain/events';
import { STAGE_STATUSES, TRANSFER_STATUSES } from './constants';

const stageSchema = new Schema(
  {
    name: { type: String, required: true },
    status: { type: String, enum: STAGE_STATUSES, required: true },
    message: { type: String },
    at: { type: Date, required: true },
  },
  { _id: false, strict: true },
);

/** Data in one system's own format: what the log shows as "original" and "receiving" format. */
const payloadSchema = new Schema(
  {
    system: { type: String, required: true },
    format: { type: String, required: true },
    payload: { type: Schema.Types.Mixed },
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

/** One transfer as the log shows it, folded from its events. */
export const transferSchema = new Schema(
  {
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
    /** What a person searches by, e.g. the order number. */
    reference: { type: String },
    /** The scheduled run that produced it (the connection.sync command's id). */
    runId: { type: String },
    startedAt: { type: Date },
    finishedAt: { type: Date },
  },
  { collection: 'transfers', strict: true, timestamps: true },
);
transferSchema.index({ tenantId: 1, transferId: 1 }, { unique: true });
transferSchema.index({ tenantId: 1, updatedAt: -1 });
transferSchema.index({ tenantId: 1, status: 1, updatedAt: -1 });
transferSchema.index({ tenantId: 1, connectionId: 1, updatedAt: -1 });
transferSchema.index({ tenantId: 1, reference: 1 });
// A scheduled run's result is read from the transfers it produced.
transferSchema.index({ tenantId: 1, runId: 1 });
// Releasing what a switched-off connection held.
transferSchema.index({ tenantId: 1, status: 1, connectionId: 1 });

export type Transfer = InferSchemaType<typeof transferSchema>;
