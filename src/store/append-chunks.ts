import { mapBounded } from './bounded';
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
  /**
   * How many members the chunk adds. When given, the chunk also carries `total`, the members of
   * all chunks up to and including it, so the set's size is read from its last chunk (chunkSetSize).
   */
  count?: number;
}

/** What the writer remembers of a set: the next chunk number and the total up to the last one. */
interface Remembered {
  next: number;
  total: number;
}

export const chunkId = (base: string, n: number) => `${base}#${n}`;

/** Bases whose next number one process remembers; an evicted one costs a few reads when it grows again. */
const REMEMBERED = 100_000;
/** Chunks read at once when a whole set is read. */
const READ_WINDOW = 8;

const memories = new WeakMap<object, Map<string, Remembered>>();

function memoryOf(collection: object): Map<string, Remembered> {
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
 * Appends one chunk to each set: one bulk insert (bounded by insertKeepingDuplicates) at the
 * numbers this process remembers (0 for a set it does not know). A number already taken — the set
 * was grown by another instance or before a restart — is looked up and the chunk inserted at the
 * first free one.
 */
export async function appendChunks(collection: ChunkCollection, additions: ChunkAddition[]): Promise<void> {
  const memory = memoryOf(collection);
  const keyOf = ({ base, generation }: ChunkAddition) => `${generation ?? ''}\u0000${base}`;
  const remember = (addition: ChunkAddition, next: number, total: number) => {
    memory.delete(keyOf(addition));
    memory.set(keyOf(addition), { next, total });
    while (memory.size > REMEMBERED) {
      const oldest = memory.keys().next().value;
      if (oldest === undefined) break;
      memory.delete(oldest);
    }
  };
  const known = additions.map((addition) => memory.get(keyOf(addition)) ?? { next: 0, total: 0 });
  const totals = additions.map(({ count }, index) => known[index]!.total + (count ?? 0));
  const chunkOf = ({ base, doc, count }: ChunkAddition, n: number, total: number) => ({
    ...doc,
    _id: chunkId(base, n),
    ...(count === undefined ? {} : { total }),
  });
  const refused = await insertKeepingDuplicates(
    collection,
    additions.map((addition, index) => chunkOf(addition, known[index]!.next, totals[index]!)),
  );
  additions.forEach((addition, index) => {
    if (!refused.has(index)) remember(addition, known[index]!.next + 1, totals[index]!);
  });
  await mapBounded([...refused], READ_WINDOW, async (index) => {
    const addition = additions[index]!;
    let taken = known[index]!.next;
    for (;;) {
      const free = await firstFree(collection, addition.base, taken);
      const before = await collection.findOne({ _id: chunkId(addition.base, free - 1) } as never, {
        projection: { total: 1 },
      });
      const total = Number(before?.total ?? 0) + (addition.count ?? 0);
      const again = await insertKeepingDuplicates(collection, [chunkOf(addition, free, total)]);
      // Another writer took it meanwhile: look further.
      if (again.size === 0) return remember(addition, free + 1, total);
      taken = free;
    }
  });
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

/**
 * How many members a set written with counts holds, in a few reads by `_id`: the last chunk's
 * running total (found by doubling then halving), less what its first chunk says was `removed`
 * since (retention takes transfers out of a day's chunks and counts them there).
 */
export async function chunkSetSize(collection: ChunkCollection, base: string): Promise<number> {
  const first = await collection.findOne({ _id: chunkId(base, 0) } as never, { projection: { total: 1, removed: 1 } });
  if (!first) return 0;
  const free = await firstFree(collection, base, 0);
  const last =
    free === 1
      ? first
      : await collection.findOne({ _id: chunkId(base, free - 1) } as never, { projection: { total: 1 } });
  return Number(last?.total ?? 0) - Number(first.removed ?? 0);
}
