import { InferSchemaType, Schema } from 'mongoose';

export const REPLAY_STATES = ['pending', 'replayed'] as const;
export type ReplayState = (typeof REPLAY_STATES)[number];

/**
 * One replay of one dead letter (npm run dlq -- replay). Its `_id` is the dead letter's place,
 * `<dead-letter topic>:<partition>:<offset>`, and it is inserted before the message is produced
 * again: the unique `_id` is what lets a dead letter be replayed once, on any number of machines.
 * `pending` until the broker acknowledged the replay; a record left `pending` is a replay that
 * was interrupted (see src/kafka/dead-letters.ts).
 */
export const deadLetterReplaySchema = new Schema(
  {
    _id: { type: String },
    /** The dead-letter topic and the dead letter's id on it (`<partition>:<offset>`). */
    dlqTopic: { type: String, required: true },
    deadLetterId: { type: String, required: true },
    partition: { type: Number, required: true },
    offset: { type: String, required: true },
    /** Where it was produced again: its original topic. */
    topic: { type: String, required: true },
    tenantId: { type: String },
    group: { type: String },
    state: { type: String, enum: REPLAY_STATES, required: true },
    /** Who replayed it (`user@host`). */
    by: { type: String, required: true },
    claimedAt: { type: Date, required: true },
    replayedAt: { type: Date },
  },
  { collection: 'deadLetterReplays', strict: true, versionKey: false },
);

export type DeadLetterReplay = InferSchemaType<typeof deadLetterReplaySchema>;
