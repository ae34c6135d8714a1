import type { Connection, Model } from 'mongoose';
import { mapBounded } from './bounded';
import { isDuplicateKeyError } from './errors';
import { deadLetterReplaySchema, type DeadLetterReplay, type ReplayState } from './models/dead-letter-replay';

export type ReplayRecord = DeadLetterReplay & { _id: string };
export type NewReplay = Omit<ReplayRecord, 'state' | 'replayedAt'>;

/** Reads by `_id` in flight at once. */
const READ_CONCURRENCY = 8;

const models = new WeakMap<Connection, Model<DeadLetterReplay>>();

/**
 * The replay records of dead letters (collection deadLetterReplays), on one connection. Only the
 * dead-letter tool and its callers use them, so the model is registered here when first needed.
 */
export function createReplayStore(connection: Connection) {
  let model = models.get(connection);
  if (!model) {
    model = connection.model<DeadLetterReplay>('DeadLetterReplay', deadLetterReplaySchema);
    models.set(connection, model);
  }
  const Replay = model;

  return {
    /** The `_id` of a dead letter's replay record. */
    idOf(dlqTopic: string, partition: number, offset: string): string {
      return `${dlqTopic}:${partition}:${offset}`;
    },

    /**
     * Records that a dead letter is being replayed, unless it was before: the unique `_id` decides,
     * so of two operators replaying the same dead letter at once, one gets it. Returns the record
     * that was there when it was.
     */
    async claim(replay: NewReplay): Promise<{ claimed: true } | { claimed: false; existing: ReplayRecord }> {
      try {
        await Replay.collection.insertOne({ ...replay, state: 'pending' satisfies ReplayState } as never);
        return { claimed: true };
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        const existing = await Replay.collection.findOne({ _id: replay._id as never });
        if (!existing) throw error;
        return { claimed: false, existing: existing as unknown as ReplayRecord };
      }
    },

    /** The broker acknowledged the replay. */
    async confirm(id: string, replayedAt: Date): Promise<void> {
      await Replay.collection.updateOne({ _id: id as never }, { $set: { state: 'replayed', replayedAt } });
    },

    /** The records of these dead letters that have one, by `_id` (each a read by `_id`). */
    async read(ids: string[]): Promise<Map<string, ReplayRecord>> {
      const docs = await mapBounded([...new Set(ids)], READ_CONCURRENCY, (id) =>
        Replay.collection.findOne({ _id: id as never }),
      );
      const found = new Map<string, ReplayRecord>();
      for (const doc of docs) if (doc) found.set(String(doc._id), doc as unknown as ReplayRecord);
      return found;
    },

    /**
     * Deletes the records of dead letters that are gone from the topic (below each partition's
     * first offset after a purge), so the collection stays as small as the topic. Returns how many.
     */
    async prune(dlqTopic: string, firstOffsets: Map<number, bigint>): Promise<number> {
      // A scan, but of a collection that only holds the replays of what the topic still has.
      const docs = await Replay.collection
        .find({ dlqTopic }, { projection: { _id: 1, partition: 1, offset: 1 } })
        .toArray();
      const gone = docs.filter((doc) => {
        const first = firstOffsets.get(doc.partition as number);
        return first !== undefined && BigInt(doc.offset as string) < first;
      });
      await mapBounded(gone, READ_CONCURRENCY, (doc) => Replay.collection.deleteOne({ _id: doc._id }));
      return gone.length;
    },
  };
}

export type ReplayStore = ReturnType<typeof createReplayStore>;
