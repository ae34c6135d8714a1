import type { Connection } from 'mongoose';
import type { TransferEvent } from '../src/domain/events';
import { transferEventRecord } from '../src/store';

export interface RawInsertResult {
  docs: number;
  batchSize: number;
  batches: number;
  elapsedMs: number;
}

/** A document shaped like the recorder's `transferEvents` documents (the store assigns its _id). */
const rawDocument = (event: TransferEvent, offset: number, receivedAt: Date) =>
  transferEventRecord(event, offset % 3, offset, receivedAt);

/**
 * The raw insertMany rate into a collection that already holds about `size` documents (the
 * growth benchmark's "same size class"): first tops `collectionName` up to `size` with documents
 * from `filler(count)`, untimed, then times `events` as measureRawInsert does. The collection is
 * kept (with the timed documents) so that the next, larger size only adds the difference.
 *
 * @param stored documents the collection holds already (what the previous call returned)
 */
export async function measureRawInsertAtSize(
  connection: Connection,
  events: readonly TransferEvent[],
  batchSize: number,
  options: { collectionName: string; size: number; stored: number; filler(count: number): TransferEvent[] },
): Promise<RawInsertResult & { stored: number; fillMs: number }> {
  const db = connection.db;
  if (!db) throw new Error('the bench store connection is not open');
  const collection = db.collection(options.collectionName);
  let stored = options.stored;
  const fillStart = performance.now();
  if (stored === 0) {
    await collection.insertOne({ warmUp: true });
    await collection.deleteMany({});
  }
  const receivedAt = new Date();
  while (stored < options.size) {
    const docs = options
      .filler(Math.min(1000, options.size - stored))
      .map((event, index) => rawDocument(event, stored + index, receivedAt));
    await collection.insertMany(docs, { ordered: false });
    stored += docs.length;
  }
  const fillMs = performance.now() - fillStart;
  const timed = events.map((event, index) => rawDocument(event, stored + index, new Date()));
  let batches = 0;
  const start = performance.now();
  for (let i = 0; i < timed.length; i += batchSize) {
    await collection.insertMany(timed.slice(i, i + batchSize), { ordered: false });
    batches += 1;
  }
  const elapsedMs = performance.now() - start;
  return { docs: timed.length, batchSize, batches, elapsedMs, stored: stored + timed.length, fillMs };
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
  const docs = events.map((event, offset) => rawDocument(event, offset, receivedAt));
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
