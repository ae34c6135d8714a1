import { INSERT_BULK_MAX, withUpdateSlots } from './bounded';

/** True for a write refused by a unique index (MongoDB and FerretDB both answer code 11000). */
export function isDuplicateKeyError(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 11000;
}

interface InsertTarget {
  insertMany(docs: never[], options: { ordered: false }): Promise<unknown>;
}

/**
 * Inserts documents, keeping going past duplicates (code 11000, e.g. a replayed event), and
 * returns the indexes of the documents a unique index refused. Any other failure is thrown.
 * Sent in bulks of INSERT_BULK_MAX: FerretDB writes a bulk insert in one statement batch, holding
 * no connection per document as its updates do.
 */
export async function insertKeepingDuplicates<T extends object>(
  collection: InsertTarget,
  docs: T[],
): Promise<Set<number>> {
  const refused = new Set<number>();
  for (let at = 0; at < docs.length; at += INSERT_BULK_MAX) {
    for (const index of await insertSlice(collection, docs.slice(at, at + INSERT_BULK_MAX))) refused.add(at + index);
  }
  return refused;
}

async function insertSlice(collection: InsertTarget, docs: object[]): Promise<number[]> {
  try {
    await collection.insertMany(docs as never[], { ordered: false });
    return [];
  } catch (error) {
    const writeErrors = (
      error as { writeErrors?: Array<{ index: number; code: number }> | { index: number; code: number } }
    ).writeErrors;
    const list = Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : [];
    if (list.length === 0 || list.some(({ code }) => code !== 11000)) throw error;
    return list.map(({ index }) => index);
  }
}

interface BulkTarget {
  bulkWrite(operations: never[], options: { ordered: false }): Promise<unknown>;
}

/**
 * Runs upserts by `_id` in bounded bulks. Two writers upserting the same new `_id` at once make one
 * of them fail with 11000 (the other inserted first); run again, its operation finds the document
 * and updates it, which is what it meant.
 */
export async function bulkUpsert<T extends object>(
  collection: BulkTarget,
  operations: T[],
  size: number,
): Promise<void> {
  for (let at = 0; at < operations.length; at += size) {
    const slice = operations.slice(at, at + size);
    try {
      await withUpdateSlots(slice.length, () => collection.bulkWrite(slice as never[], { ordered: false }));
    } catch (error) {
      const writeErrors = (error as { writeErrors?: unknown }).writeErrors;
      const list = (Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : []) as Array<{
        index: number;
        code: number;
      }>;
      if (list.length === 0 || list.some(({ code }) => code !== 11000)) throw error;
      const again = list.map(({ index }) => slice[index]);
      await withUpdateSlots(again.length, () => collection.bulkWrite(again as never[], { ordered: false }));
    }
  }
}
