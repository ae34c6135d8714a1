import { chunked, INSERT_BULK_MAX, mapBounded } from './bounded';
import { insertKeepingDuplicates } from './errors';

/**
 * Sets that only grow, kept append-only: each addition is a new document `<base>#<n>` (n = 0, 1,
 * 2, … without gaps), inserted once and never updated. On FerretDB v1 an insert costs about a
 * tenth of an update by `_id` (0.1 against 0.9 ms a document, in bulks, on this project's machine)
 * and an update re-encodes the whole document, so a set grown in place costs more the more it
 * holds; on MongoDB both are writes by the primary index.
 */
interface ChunkCollection {
  insertMany(docs: never[], options: { ordered: false }): Promise<unknown>;
  findOne(filter: never, options?: { projection?: Record<string, 0 | 1> }): Promise<Record<string, unknown> | null>;
}

export interface ChunkAddition {
  base: string;
  /** What the set's writer knows of the set's owner: a tenant erased and created again starts anew. */
  generation?: string;
  doc: Record<string, unknown>;
}

export const chunkId = (base: string, n: number) => `${base}#${n}`;

/** Bases whose next number one process remembers; an evicted one costs a few reads when it grows again. */
const REMEMBERED = 100_000;
/** Chunks read at once when a whole set is read. */
const READ_WINDOW = 8;

const memories = new WeakMap<object, Map<string, number>>();

function memoryOf(collection: object): Map<string, number> {
  let memory = memories.get(collection);
  if (!memory) memories.set(collection, (memory = new Map()));
  return memory;
}

const exists = async (collection: ChunkCollection, base: string, n: number) =>
  (await collection.findOne({ _id: chunkId(base, n) } as never, { projection: { _id: 1 } })) !== null;

/**
 * The first number after `taken` (a chunk known to exist) that no chunk has: doubling steps, then
 * halving between the last hit and the first miss. Reads by `_id` only, about 2·log₂(n) of them.
 */
async function firstFree(collection: ChunkCollection, base: string, taken: number): Promise<number> {
  let low = taken;
  let step = 1;
  while (await exists(collection, base, low + step)) {
    low += step;
    step *= 2;
  }
  let high = low + step;
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (await exists(collection, base, middle)) low = middle;
    else high = middle;
  }
  return high;
}

/**
 * Appends one chunk to each set: one bulk insert at the numbers this process remembers (0 for a
 * set it does not know). A number already taken — the set was grown by another instance or before
 * a restart — is looked up and the chunk inserted at the first free one.
 */
export async function appendChunks(collection: ChunkCollection, additions: ChunkAddition[]): Promise<void> {
  const memory = memoryOf(collection);
  const keyOf = ({ base, generation }: ChunkAddition) => `${generation ?? ''}\u0000${base}`;
  const remember = (addition: ChunkAddition, next: number) => {
    memory.delete(keyOf(addition));
    memory.set(keyOf(addition), next);
    while (memory.size > REMEMBERED) {
      const oldest = memory.keys().next().value;
      if (oldest === undefined) break;
      memory.delete(oldest);
    }
  };
  for (const slice of chunked(additions, INSERT_BULK_MAX)) {
    const numbers = slice.map((addition) => memory.get(keyOf(addition)) ?? 0);
    const docs = slice.map(({ base, doc }, index) => ({ ...doc, _id: chunkId(base, numbers[index]!) }));
    const refused = await insertKeepingDuplicates(collection, docs);
    slice.forEach((addition, index) => {
      if (!refused.has(index)) remember(addition, numbers[index]! + 1);
    });
    await mapBounded([...refused], READ_WINDOW, async (index) => {
      const addition = slice[index]!;
      let taken = numbers[index]!;
      for (;;) {
        const free = await firstFree(collection, addition.base, taken);
        const again = await insertKeepingDuplicates(collection, [
          { ...addition.doc, _id: chunkId(addition.base, free) },
        ]);
        // Another writer took it meanwhile: look further.
        if (again.size === 0) return remember(addition, free + 1);
        taken = free;
      }
    });
  }
}

/** Every chunk of a set, in the order they were added: windows of reads by `_id` up to the first gap. */
export async function readChunks(collection: ChunkCollection, base: string): Promise<Array<Record<string, unknown>>> {
  const docs: Array<Record<string, unknown>> = [];
  for (let from = 0; ; from += READ_WINDOW) {
    const window = await mapBounded(
      Array.from({ length: READ_WINDOW }, (_, offset) => from + offset),
      READ_WINDOW,
      (n) => collection.findOne({ _id: chunkId(base, n) } as never),
    );
    for (const doc of window) {
      if (!doc) return docs;
      docs.push(doc);
    }
  }
}
