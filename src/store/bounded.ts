/**
 * Store operations of bounded size. FerretDB v1 holds one of its 100 SQLite connections per
 * statement of a bulk write and hangs for good past that; a long `$in` list is filtered outside
 * any index. So every bulk and every fan-out here has a ceiling, set once at start from
 * STORE_BULK_MAX (default 50).
 */
let bulkMax = 50;

export function setStoreBulkMax(value: number): void {
  if (!Number.isInteger(value) || value < 1) throw new Error(`STORE_BULK_MAX must be a whole number ≥ 1, got ${value}`);
  bulkMax = value;
}

export const storeBulkMax = (): number => bulkMax;

/** `items` in consecutive slices of at most `size`. */
export function chunked<T>(items: readonly T[], size: number = bulkMax): T[][] {
  const slices: T[][] = [];
  for (let at = 0; at < items.length; at += size) slices.push(items.slice(at, at + size));
  return slices;
}

/** Maps with at most `limit` calls in flight; results keep the order of `items`. */
export async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
