import type { Connection } from 'mongoose';
import type { TransferEvent } from '../src/domain/events';

export interface RawInsertResult {
  docs: number;
  batchSize: number;
  batches: number;
  elapsedMs: number;
}

/**
 * The store's raw bulk-insert rate: `insertMany` of documents shaped like the recorder's
 * `transferEvents` documents (the event embedded), `batchSize` at a time, one batch after the
 * other, through the driver (no mongoose casting), into a scratch collection that is dropped after.
 */
export async function measureRawInsert(
  connection: Connection,
  events: readonly TransferEvent[],
  batchSize: number,
  collectionName = 'benchRawInsert',
): Promise<RawInsertResult> {
  const db = connection.db;
  if (!db) throw new Error('the bench store connection is not open');
  const collection = db.collection(collectionName);
  const receivedAt = new Date();
  const docs = events.map((event, offset) => ({
    tenantId: event.tenantId,
    eventId: event.id,
    transferId: event.transferId,
    type: event.type,
    occurredAt: new Date(event.occurredAt),
    receivedAt,
    event,
    partition: offset % 3,
    offset,
  }));
  // Creates the collection outside the timed part, as the service's collections exist before it runs.
  await collection.insertOne({ warmUp: true });
  await collection.deleteMany({});
  let batches = 0;
  const start = performance.now();
  for (let i = 0; i < docs.length; i += batchSize) {
    await collection.insertMany(docs.slice(i, i + batchSize), { ordered: false });
    batches += 1;
  }
  const elapsedMs = performance.now() - start;
  await collection.drop().catch(() => undefined);
  return { docs: docs.length, batchSize, batches, elapsedMs };
}
